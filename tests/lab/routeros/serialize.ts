/**
 * `:serialize` (routeros-cli.md §2.3, T6, T7). JSON: numeric-looking strings become floats unless
 * `json.no-string-conversion` (`"1234"` → `1234.000000`); integers stay integers except in the floatIntegers
 * variation (`2048.000000`, observed on 7.23.2); ids and durations are strings; maps keep sorted keys.
 * Non-ASCII is emitted as raw UTF-8 [I], or escaped one UTF-8 byte at a time in the nonAsciiEscaped variation
 * (`\u00XX`, or RouterOS's own `\XX`); control characters are escaped [V TIK4NET].
 */
import { formatId, formatTime, toText, type Value } from "./values";

export interface JsonOptions {
  noStringConversion: boolean;
  floatIntegers?: boolean;
  clockDurations?: boolean;
  nonAsciiEscaped?: "json" | "routeros";
}

/** A JSON string literal; non-ASCII escaped per UTF-8 byte when `mode` says so. */
function jsonString(text: string, mode: JsonOptions["nonAsciiEscaped"]): string {
  const plain = JSON.stringify(text);
  if (!mode) return plain;
  // eslint-disable-next-line no-control-regex -- the range's lower bound, not a control character to match
  return plain.replace(/[^\x00-\x7f]+/g, (run) =>
    [...Buffer.from(run, "utf8")]
      .map((b) => (mode === "json" ? `\\u00${b.toString(16).padStart(2, "0")}` : `\\${b.toString(16).toUpperCase()}`))
      .join(""),
  );
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

export function toJson(v: Value, o: JsonOptions): string {
  switch (v.t) {
    case "nil":
    case "opaque":
      return "null";
    case "str":
      if (!o.noStringConversion && NUMERIC.test(v.v)) return Number(v.v).toFixed(6);
      return jsonString(v.v, o.nonAsciiEscaped);
    case "num":
      return o.floatIntegers ? v.v.toFixed(6) : String(v.v);
    case "bool":
      return v.v ? "true" : "false";
    case "id":
      return JSON.stringify(formatId(v.v));
    case "time":
      return JSON.stringify(formatTime(v.v, o));
    case "arr":
      return `[${v.v.map((x) => toJson(x, o)).join(",")}]`;
    case "map":
      return `{${v.v.map(([k, x]) => `${jsonString(k, o.nonAsciiEscaped)}:${toJson(x, o)}`).join(",")}}`;
  }
}

/**
 * DSV: with `dsv.remap` an array of maps becomes a header of all keys plus one row per map, missing values as
 * empty cells (T7). Without it each element is a row of its values [I]. Rows are joined by `\n`; the console
 * prints them with CRLF.
 */
export function toDsv(v: Value, delimiter: string, remap: boolean, opts: { clockDurations?: boolean }): string {
  const rows = v.t === "arr" ? v.v : [v];
  const cell = (x: Value | undefined): string => (x === undefined ? "" : toText(x, opts, true));
  if (remap && rows.every((r) => r.t === "map")) {
    const keys = [...new Set(rows.flatMap((r) => (r.t === "map" ? r.v.map(([k]) => k) : [])))].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const lines = [keys.join(delimiter)];
    for (const r of rows) {
      const m = new Map(r.t === "map" ? r.v : []);
      lines.push(keys.map((k) => cell(m.get(k))).join(delimiter));
    }
    return lines.join("\n");
  }
  return rows
    .map((r) =>
      (r.t === "arr" ? r.v.map(cell) : r.t === "map" ? r.v.map(([, x]) => cell(x)) : [cell(r)]).join(delimiter),
    )
    .join("\n");
}
