/**
 * Human `print` output. routeros-cli.md §2.1 says these formats are never to be parsed (wrapping, unquoted
 * values), so the emulator keeps them simple [I]: singletons as right-aligned `key: value` lines (the CENTRS
 * `/system resource print` fixture, §1.1), lists as numbered rows with flags, `;;; comment` and `key=value`.
 */
import type { Value } from "./values";
import { toText, type FormatOptions } from "./values";

function show(v: Value, o: FormatOptions): string {
  const t = toText(v, o, true);
  return v.t === "str" && (t === "" || /[\s";]/.test(t)) ? JSON.stringify(t) : t;
}

/** `order`: the menu's property order (uptime before version, as in the CENTRS fixture). */
export function printSingleton(row: Value, order: string[], o: FormatOptions): string[] {
  if (row.t !== "map") return [];
  const entries = [...row.v].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padStart(width)}: ${toText(v, o, true)}`);
}

export function printList(rows: Value[], o: FormatOptions): string[] {
  const lines = ["Flags: X - DISABLED; D - DYNAMIC"];
  rows.forEach((row, n) => {
    if (row.t !== "map") return;
    const m = new Map(row.v);
    const flags = `${m.get("disabled")?.t === "bool" && (m.get("disabled") as { v: boolean }).v ? "X" : " "}${
      m.get("dynamic")?.t === "bool" && (m.get("dynamic") as { v: boolean }).v ? "D" : " "
    }`;
    const comment = m.get("comment");
    lines.push(`${String(n).padStart(2)} ${flags}${comment ? ` ;;; ${toText(comment, o)}` : ""}`);
    const kv = row.v
      .filter(([k, v]) => k !== ".id" && k !== "comment" && v.t !== "bool" && v.t !== "nil")
      .map(([k, v]) => `${k}=${show(v, o)}`);
    lines.push(`      ${kv.join(" ")}`);
  });
  return lines;
}
