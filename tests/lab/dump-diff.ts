/**
 * Differences between two lab dumps, counted per device object: a RouterOS menu item (compared without `.id`,
 * which changes on re-add and reboot), a uci section (package + section name, or position for anonymous ones),
 * a file. Used for "created" and "left after destroy" counts, which must come from the devices. In ordered RouterOS
 * menus (firewall, routing rules; dumps keep their list order) an item present on both sides but moved relative
 * to the others counts as "changed": the fewest items whose removal leaves both sides in the same order.
 */
import { isDeepStrictEqual } from "util";
import type { LabDump } from "./lab";
import { menuByPath } from "./routeros/menus";

export interface DumpDifference {
  device: "crs" | "dlink";
  what: string;
  change: "added" | "removed" | "changed";
}

/** Parses `uci export` text (openwrt-uci.md §2.4) into `package.section` → options. */
export function parseUciExport(text: string): Map<string, Record<string, string | string[]>> {
  const out = new Map<string, Record<string, string | string[]>>();
  let pkg = "";
  let current: Record<string, string | string[]> | undefined;
  const counters = new Map<string, number>();
  const tokens = tokenizeLines(text);
  for (const words of tokens) {
    if (words[0] === "package") {
      pkg = words[1];
      counters.clear();
    } else if (words[0] === "config") {
      const type = words[1];
      const n = counters.get(type) ?? 0;
      counters.set(type, n + 1);
      const name = words[2] ?? `@${type}[${n}]`;
      current = { ".type": type };
      out.set(`${pkg}.${name}`, current);
    } else if (words[0] === "option" && current) {
      current[words[1]] = words[2] ?? "";
    } else if (words[0] === "list" && current) {
      const prev = current[words[1]];
      current[words[1]] = [...(Array.isArray(prev) ? prev : []), words[2] ?? ""];
    }
  }
  return out;
}

/** Splits config text into lines of words, honouring '…' quoting that may span lines and the '\'' idiom. */
function tokenizeLines(text: string): string[][] {
  const lines: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word = (word ?? "") + text.slice(i + 1, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end + 1;
    } else if (c === "\\" && i + 1 < text.length) {
      word = (word ?? "") + text[i + 1];
      i += 2;
    } else if (c === " " || c === "\t" || c === "\n") {
      if (word !== undefined) words.push(word);
      word = undefined;
      if (c === "\n") {
        if (words.length) lines.push(words);
        words = [];
      }
      i++;
    } else {
      word = (word ?? "") + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  if (words.length) lines.push(words);
  return lines;
}

function withoutId(item: unknown): unknown {
  const { [".id"]: _id, ...rest } = item as Record<string, unknown>;
  return rest;
}

export function diffDumps(before: LabDump, after: LabDump): DumpDifference[] {
  const diffs: DumpDifference[] = [];
  for (const menu of new Set([...Object.keys(before.crs), ...Object.keys(after.crs)])) {
    const a = (before.crs[menu] ?? []).map(withoutId);
    const b = (after.crs[menu] ?? []).map(withoutId);
    const taken = new Array<boolean>(a.length).fill(false);
    // Positions in `a` of the items of `b` that match, in `b`'s order.
    const matched: { at: number; item: unknown }[] = [];
    for (const item of b) {
      const k = a.findIndex((x, i) => !taken[i] && isDeepStrictEqual(x, item));
      if (k >= 0) {
        taken[k] = true;
        matched.push({ at: k, item });
      } else diffs.push({ device: "crs", what: `${menu} ${JSON.stringify(item)}`, change: "added" });
    }
    a.forEach((item, i) => {
      if (!taken[i]) diffs.push({ device: "crs", what: `${menu} ${JSON.stringify(item)}`, change: "removed" });
    });
    if (menuByPath(menu)?.ordered) {
      const kept = longestIncreasing(matched.map((m) => m.at));
      matched.forEach((m, i) => {
        if (!kept.has(i))
          diffs.push({ device: "crs", what: `${menu} ${JSON.stringify(m.item)} moved`, change: "changed" });
      });
    }
  }
  const ua = parseUciExport(before.dlink.uci);
  const ub = parseUciExport(after.dlink.uci);
  for (const key of new Set([...ua.keys(), ...ub.keys()])) {
    const x = ua.get(key);
    const y = ub.get(key);
    if (!x) diffs.push({ device: "dlink", what: `uci ${key}`, change: "added" });
    else if (!y) diffs.push({ device: "dlink", what: `uci ${key}`, change: "removed" });
    else if (!isDeepStrictEqual(x, y)) diffs.push({ device: "dlink", what: `uci ${key}`, change: "changed" });
  }
  for (const file of new Set([...Object.keys(before.dlink.files), ...Object.keys(after.dlink.files)])) {
    const x = before.dlink.files[file];
    const y = after.dlink.files[file];
    if (x === undefined) diffs.push({ device: "dlink", what: `file ${file}`, change: "added" });
    else if (y === undefined) diffs.push({ device: "dlink", what: `file ${file}`, change: "removed" });
    else if (x !== y) diffs.push({ device: "dlink", what: `file ${file}`, change: "changed" });
  }
  return diffs;
}

/** Indices of a longest strictly increasing subsequence of `xs`. */
function longestIncreasing(xs: readonly number[]): Set<number> {
  const len = xs.map(() => 1);
  const prev = xs.map(() => -1);
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < i; j++) {
      if (xs[j] < xs[i] && len[j] + 1 > len[i]) {
        len[i] = len[j] + 1;
        prev[i] = j;
      }
    }
  }
  let best = -1;
  for (let i = 0; i < xs.length; i++) if (best < 0 || len[i] > len[best]) best = i;
  const out = new Set<number>();
  for (let i = best; i >= 0; i = prev[i]) out.add(i);
  return out;
}
