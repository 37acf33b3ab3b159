/**
 * Parsing and normalising JSON reads (routeros-cli.md §2.3):
 * `:put [:serialize to=json options=json.no-string-conversion [/<menu>/print detail as-value where …]]`.
 *
 * What the device may send, and what we make of it:
 * - an array of rows, `[]` when nothing matched, or a bare object for a singleton menu → always an array of rows;
 * - integers possibly as floats (`2048.000000`, §2.3 [V]) → JSON.parse already yields 2048; numeric strings stay
 *   strings here and are converted by the property's decoder, since only it knows the property's type;
 * - durations as `30s`, `1m30s` or `00:00:30` (which form is [I]) → seconds via `durationValue`;
 * - an unset property as `null` or as a missing key (both seen [V]/[I]) → `undefined` alike;
 * - multi-value properties as JSON arrays, or comma-joined text → string arrays via `listValue`;
 * - non-ASCII text as raw UTF-8, or escaped one UTF-8 byte at a time — as `\u00XX` or as RouterOS's own `\XX`
 *   (not valid JSON) — (which the device does is undocumented, §2.3 [I]) → the text it encodes (decodeByteEscapes).
 * Documentation: https://help.mikrotik.com/docs/display/ROS/Scripting (`:serialize`).
 */
import { parseDurationSeconds } from "../core/duration";

/** One row of a `print detail as-value` read, keys verbatim (`.id`, `dst-address`, `local.role`). */
export type Row = Record<string, unknown>;

/** Error for output that is not the JSON the read asked for. */
export class ReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReadError";
  }
}

/**
 * Parses the payload lines of a JSON read into rows. Lines are joined without separators: JSON escapes its own
 * newlines, so a line break in the payload can only come from output wrapping [I: exec output is not wrapped].
 * `null` values are dropped so that `null` and a missing key mean the same (unset). Throws ReadError.
 */
export function parseRows(payload: readonly string[]): Row[] {
  const text = decodeByteEscapes(payload.join("").trim());
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Neither item data nor JSON.parse's message (which quotes it) goes into the error: a read of a menu prints
    // every item's properties, passwords included on 7.16–7.20 (issue 14). A short message with nothing of JSON
    // in it (`no such item`) is the device's own words and is quoted.
    const plain = text.length <= 200 && !/[{}[\]"]/.test(text);
    throw new ReadError(
      plain
        ? `device returned text that is not JSON: ${JSON.stringify(text)}`
        : `device returned ${text.length} characters that are not JSON`,
    );
  }
  const rows = Array.isArray(data) ? data : [data];
  return rows.map((r) => {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw new ReadError(
        `device returned a JSON row that is not an object (${Array.isArray(r) ? "an array" : r === null ? "null" : typeof r})`,
      );
    }
    const row: Row = {};
    for (const [k, v] of Object.entries(r as Record<string, unknown>)) if (v !== null) row[k] = v;
    return row;
  });
}

/**
 * Rewrites the escapes inside the JSON strings of `json` that stand for bytes — RouterOS's `\XX` (two upper-case
 * hex digits, not a JSON escape) and `\u0080`–`\u00ff` — into the text those bytes encode in UTF-8 (bytes that are
 * not valid UTF-8 stay one code point each). Raw non-ASCII characters and every other escape are left alone: a
 * device that sends raw UTF-8 never escapes a character above U+007F [I: §2.3 "JSON escapes control characters"],
 * so a run of such escapes is always bytes, never Latin-1 text. The result is the same JSON with valid escapes only.
 */
export function decodeByteEscapes(json: string): string {
  if (!/\\(?:[0-9A-F]{2}|u00[89a-fA-F][0-9a-fA-F])/.test(json)) return json;
  let out = "";
  let inString = false;
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    const buf = Buffer.from(bytes);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
      text = buf.toString("latin1");
    }
    out += JSON.stringify(text).slice(1, -1);
    bytes = [];
  };
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (!inString) {
      out += c;
      if (c === '"') inString = true;
      continue;
    }
    if (c === "\\") {
      const rest = json.slice(i + 1, i + 6);
      const ros = /^[0-9A-F]{2}/.exec(rest);
      const uni = /^u00([0-9a-fA-F]{2})/.exec(rest);
      if (ros) {
        bytes.push(parseInt(ros[0], 16));
        i += 2;
        continue;
      }
      if (uni && parseInt(uni[1], 16) >= 0x80) {
        bytes.push(parseInt(uni[1], 16));
        i += 5;
        continue;
      }
      flush();
      // Any other escape is copied whole (a `\\` must not start a byte escape).
      const len = json[i + 1] === "u" ? 6 : 2;
      out += json.slice(i, i + len);
      i += len - 1;
      continue;
    }
    flush();
    out += c;
    if (c === '"') inString = false;
  }
  flush();
  return out;
}

/**
 * Whether a secret property's value is a mask (only `*`), as a device that prints secrets masked rather than
 * leaving them out would send it [I]. A real secret of only asterisks is taken for a mask too (never drift).
 */
export function isMaskedSecret(v: unknown): boolean {
  return typeof v === "string" && /^\*+$/.test(v);
}

/** Text of a scalar (`"x"`, `1`, `true`); `undefined` for unset; arrays are comma-joined as RouterOS prints them. */
export function textValue(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => textValue(x) ?? "").join(",");
  if (typeof v === "number") return Number.isInteger(v) ? v.toFixed(0) : String(v);
  return String(v);
}

/** An integer from a JSON number (`1`, `1.000000`) or numeric text (`"1"`, `"1.000000"`); else `undefined`. */
export function intValue(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
  if (typeof v === "string" && /^-?\d+(\.0+)?$/.test(v.trim())) return Number.parseInt(v, 10);
  return undefined;
}

/** A boolean from `true`/`false` (JSON), or `yes`/`no`/`true`/`false` text; else `undefined`. */
export function boolValue(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    if (v === "yes" || v === "true") return true;
    if (v === "no" || v === "false") return false;
  }
  return undefined;
}

/**
 * Seconds from a RouterOS duration: `30s`, `1m30s`, `1h`, `1d2h`, `00:00:30`, `1w2d00:00:30`, or a number of
 * seconds. Sub-second parts (`500ms`) are not representable and give `undefined`, as does `infinity`.
 */
export function durationValue(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  // RouterOS prints long intervals as `1w2d03:04:05` (weeks/days then a clock) [I: form seen in print output].
  const mixed = /^(?:(\d+)w)?(?:(\d+)d)?(\d+):(\d{2}):(\d{2})$/.exec(t);
  if (mixed) {
    const [w, d, h, m, s] = mixed.slice(1).map((x) => Number(x ?? 0));
    return w * 604800 + d * 86400 + h * 3600 + m * 60 + s;
  }
  return parseDurationSeconds(t);
}

/**
 * Seconds with millisecond resolution from a RouterOS duration that may have a sub-second part: `100ms`,
 * `1s500ms`, `1m`, `00:00:00.250`, `1d00:00:01.5`, or a number of seconds. `undefined` when unreadable or
 * `infinity`. Used for netwatch's thresholds (`thr-avg 100ms`, routeros-cli.md §5.8); which text form a JSON read
 * gives (`100ms` or `00:00:00.100`) is [I].
 */
export function durationMsValue(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) / 1000 : undefined;
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  const clock = /^(?:(\d+)w)?(?:(\d+)d)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(t);
  if (clock) {
    const [w, d, h, m, s] = clock.slice(1, 6).map((x) => Number(x ?? 0));
    const ms = clock[6] ? Number(clock[6].padEnd(3, "0")) : 0;
    return ((w * 604800 + d * 86400 + h * 3600 + m * 60 + s) * 1000 + ms) / 1000;
  }
  if (/^\d+(\.\d{1,3})?$/.test(t)) return Math.round(Number(t) * 1000) / 1000;
  const units: Record<string, number> = { w: 604800000, d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };
  const re = /(\d+)(ms|w|d|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * units[m[2]];
    pos = re.lastIndex;
  }
  return pos > 0 && pos === t.length ? total / 1000 : undefined;
}

/**
 * A percentage from a JSON number (`85`, `85.000000`) or text (`"85"`, `"85%"`, `"85.0%"`); `undefined` otherwise.
 * How RouterOS prints `thr-loss-percent` (docs: `85.0%`) in a JSON read is [I].
 */
export function percentValue(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(v.trim());
  return m ? Number(m[1]) : undefined;
}

/** A list from a JSON array or comma-joined text; empty text is the empty list; `undefined` when unset. */
export function listValue(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => textValue(x) ?? "").filter((x) => x !== "");
  const t = textValue(v) ?? "";
  return t === "" ? [] : t.split(",");
}
