/**
 * Seconds of a duration given as a number of seconds or as RouterOS/BIRD-style text: `30`, `30s`, `1m30s`, `1h`,
 * `2w3d`, `00:00:30` (hours may exceed 23). `undefined` for anything else (a negative or fractional number, text in
 * another form). One parser for declared inputs (`durationSeconds`, provider/resources/common.ts) and device reads
 * (provider/routeros/read.ts), so both sides of a diff agree.
 */
export function parseDurationSeconds(v: number | string): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? v : undefined;
  const t = v.trim();
  const clock = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(t);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?$/.exec(t);
  if (!m || t === "") return undefined;
  const [w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  return w * 604800 + d * 86400 + h * 3600 + mi * 60 + s;
}
