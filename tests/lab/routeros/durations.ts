/**
 * RouterOS time intervals. Print form `1w2d3h4m5s` / `100ms` (routeros-cli.md §5.4 `hold-time (3m; 3s..1h or
 * infinity)`, §5.8 `interval 10s`); the clock form `00:00:30` is the variation the reference marks
 * unverified for serialised output (DESIGN.md "The lab": `30s` vs `00:00:30`) [I].
 */

const UNITS: [string, number][] = [
  ["w", 604800],
  ["d", 86400],
  ["h", 3600],
  ["m", 60],
  ["s", 1],
];

/** Parse `30s`, `1m30s`, `1h`, `100ms`, `00:00:30`, `1d00:00:30`, or a bare number of seconds. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const clock = /^(?:(\d+)w)?(?:(\d+)d)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(t);
  if (clock) {
    const [, w, d, h, m, s, frac] = clock;
    return (
      Number(w ?? 0) * 604800 +
      Number(d ?? 0) * 86400 +
      Number(h) * 3600 +
      Number(m) * 60 +
      Number(s) +
      (frac ? Number(frac.padEnd(3, "0")) / 1000 : 0)
    );
  }
  const re = /(\d+(?:\.\d+)?)(ms|us|w|d|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    const n = Number(m[1]);
    const unit = m[2];
    total += unit === "ms" ? n / 1000 : unit === "us" ? n / 1e6 : n * UNITS.find(([u]) => u === unit)![1];
    pos = re.lastIndex;
  }
  return pos === t.length && pos > 0 ? total : undefined;
}

/** `90` → `1m30s`; `0` → `0s`; `0.1` → `100ms` (RouterOS print style). */
export function formatDuration(seconds: number): string {
  let rest = Math.round(seconds * 1000);
  if (rest === 0) return "0s";
  let out = "";
  for (const [unit, size] of UNITS) {
    const ms = size * 1000;
    if (rest >= ms) {
      out += `${Math.floor(rest / ms)}${unit}`;
      rest %= ms;
    }
  }
  if (rest > 0) out += `${rest}ms`;
  return out;
}

/** `30` → `00:00:30`; `90061` → `1d01:01:01` (the console's clock style). */
export function formatClock(seconds: number): string {
  let rest = Math.floor(seconds);
  const ms = Math.round((seconds - rest) * 1000);
  const w = Math.floor(rest / 604800);
  rest %= 604800;
  const d = Math.floor(rest / 86400);
  rest %= 86400;
  const p2 = (n: number): string => String(n).padStart(2, "0");
  const clock = `${p2(Math.floor(rest / 3600))}:${p2(Math.floor((rest % 3600) / 60))}:${p2(rest % 60)}`;
  return `${w ? `${w}w` : ""}${d ? `${d}d` : ""}${clock}${ms ? `.${String(ms).padStart(3, "0")}` : ""}`;
}
