/**
 * Script values of the RouterOS console (routeros-cli.md §2.2–§2.4): strings, numbers, booleans, ids (`*hex`),
 * time intervals, arrays and key-sorted maps, plus `nil`. `:put` prints arrays `;`-joined and maps as `k=v;k=v`
 * (§2.2, T4, T5).
 */
import { formatClock, formatDuration } from "./durations";

export type Value =
  | { t: "nil" }
  | { t: "str"; v: string }
  | { t: "num"; v: number }
  | { t: "bool"; v: boolean }
  | { t: "id"; v: number }
  | { t: "time"; v: number }
  | { t: "arr"; v: Value[] }
  | { t: "map"; v: [string, Value][] }
  /**
   * What an unquoted `/` or `:` produces inside a where-expression: §3.2 says they are operators, so
   * `where address=192.168.1.1/24` matches nothing. `prefix` keeps the text so `in 10.0.0.0/8` still works [I].
   */
  | { t: "opaque"; prefix?: string };

export const NIL: Value = { t: "nil" };
export const str = (v: string): Value => ({ t: "str", v });
export const num = (v: number): Value => ({ t: "num", v });
export const bool = (v: boolean): Value => ({ t: "bool", v });
export const id = (v: number): Value => ({ t: "id", v });

export function formatId(n: number): string {
  return `*${n.toString(16).toUpperCase()}`;
}

export function parseIdLiteral(text: string): number | undefined {
  return /^\*[0-9A-Fa-f]{1,8}$/.test(text) ? parseInt(text.slice(1), 16) : undefined;
}

/** Build a map value with keys sorted as RouterOS sorts named array keys (§2.2: byte order, `.id` first). */
export function mapOf(entries: [string, Value][]): Value {
  return { t: "map", v: [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** The type an unquoted word gets in a script (`30` is a number, `*1` an id, `a,b` an array) [I for details]. */
export function typeWord(word: string): Value {
  if (word.includes(",")) return { t: "arr", v: word.split(",").map(typeWord) };
  if (/^-?\d{1,15}$/.test(word)) return num(Number(word));
  if (word === "true" || word === "false") return bool(word === "true");
  const idv = parseIdLiteral(word);
  if (idv !== undefined) return id(idv);
  return str(word);
}

export interface FormatOptions {
  clockDurations?: boolean;
}

export function formatTime(seconds: number, opts: FormatOptions): string {
  return opts.clockDurations ? formatClock(seconds) : formatDuration(seconds);
}

/** Text of a value as `:put` prints it and as a value turns into a command argument. */
export function toText(v: Value, opts: FormatOptions = {}, nested = false): string {
  switch (v.t) {
    case "nil":
    case "opaque":
      return "";
    case "str":
      return v.v;
    case "num":
      return String(v.v);
    case "bool":
      return v.v ? "true" : "false";
    case "id":
      return formatId(v.v);
    case "time":
      return formatTime(v.v, opts);
    case "arr":
      // Nested lists (e.g. an ECMP gateway inside an as-value row) are comma-joined [I].
      return v.v.map((x) => toText(x, opts, true)).join(nested ? "," : ";");
    case "map":
      return v.v.map(([k, x]) => `${k}=${toText(x, opts, true)}`).join(";");
  }
}

/** Truthiness for `:if` and bare where-properties (§3.2: a bare name tests "is set"). */
export function truthy(v: Value | undefined): boolean {
  if (!v) return false;
  switch (v.t) {
    case "nil":
    case "opaque":
      return false;
    case "bool":
      return v.v;
    case "str":
      return v.v !== "";
    case "arr":
      return v.v.length > 0;
    default:
      return true;
  }
}
