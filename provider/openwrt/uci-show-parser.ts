/**
 * Strict parser for `uci show` output (docs/reference/openwrt-uci.md §2.2, §2.3).
 *
 * Grammar, as measured:
 *   section line  `pkg.sec=type`            type unquoted; `sec` is a name or `@type[N]` for anonymous sections
 *   option line   `pkg.sec.opt='v'`         always single-quoted
 *   list line     `pkg.sec.opt='a' 'b'`     elements joined by one space (the default `-d`)
 * Inside quotes everything is literal, including newlines (a value may span lines); `'\''` stands for `'`.
 * `get` is never parsed: its list output is ambiguous (§2.2, §6.1).
 *
 * Limitation of the format: a one-element list prints exactly like a string option, so the parser returns a
 * string for it; callers that know an option is a list normalise (see {@link asList}).
 * Docs: https://openwrt.org/docs/guide-user/base-system/uci
 */

export type UciValue = string | string[];

export interface UciShowSection {
  package: string;
  /** The section name, or `@type[N]` for an anonymous section in whole-package output. */
  name: string;
  type: string;
  anonymous: boolean;
  /** Options in show order; lists of two or more elements as arrays. */
  options: Record<string, UciValue>;
}

/** A malformed line; `line` is 1-based in the parsed text. */
export class UciShowParseError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`uci show output, line ${line}: ${reason}`);
    this.name = "UciShowParseError";
  }
}

const SECTION_PATH = /^([A-Za-z0-9_-]+)\.(@[^\s=[\]]+\[-?\d+\]|[A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?=/;

/**
 * Parses `uci show` output into sections, in order. Throws {@link UciShowParseError} on any line that does not
 * follow the grammar (an option before its section, an unterminated quote, text after a closing quote, …).
 */
export function parseUciShow(text: string): UciShowSection[] {
  const sections: UciShowSection[] = [];
  const byKey = new Map<string, UciShowSection>();
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const eol = text.indexOf("\n", pos);
    const head = text.slice(pos, eol < 0 ? text.length : eol);
    const m = SECTION_PATH.exec(head);
    if (!m) throw new UciShowParseError(line, `expected pkg.section[.option]=…, got "${head.slice(0, 60)}"`);
    const [prefix, pkg, sec, opt] = m;
    const key = `${pkg}.${sec}`;
    if (opt === undefined) {
      const type = head.slice(prefix.length);
      if (!/^[^\s']+$/.test(type)) throw new UciShowParseError(line, `bad section type "${type}"`);
      if (byKey.has(key)) throw new UciShowParseError(line, `section ${key} appears twice`);
      // No prototype: an option named `__proto__` is an own property, not a prototype change (issue 14).
      const s: UciShowSection = {
        package: pkg,
        name: sec,
        type,
        anonymous: sec.startsWith("@"),
        options: Object.create(null) as UciShowSection["options"],
      };
      sections.push(s);
      byKey.set(key, s);
      pos = eol < 0 ? text.length : eol + 1;
      line++;
      continue;
    }
    const s = byKey.get(key);
    if (!s) throw new UciShowParseError(line, `option ${key}.${opt} before its section line`);
    const r = decodeValues(text, pos + prefix.length, line);
    if (Object.prototype.hasOwnProperty.call(s.options, opt))
      throw new UciShowParseError(line, `option ${key}.${opt} appears twice`);
    s.options[opt] = r.values.length === 1 ? r.values[0] : r.values;
    pos = r.end;
    line = r.line;
  }
  return sections;
}

/**
 * Decodes `'a' 'b'` starting at `start` (just after `=`); returns the values, the index after the line's
 * newline, and the next line number.
 */
function decodeValues(text: string, start: number, line: number): { values: string[]; end: number; line: number } {
  const values: string[] = [];
  let i = start;
  let cur = "";
  const startLine = line;
  if (text[i] !== "'") throw new UciShowParseError(line, "option value must start with '");
  for (;;) {
    // i is at an opening quote.
    const close = text.indexOf("'", i + 1);
    if (close < 0) throw new UciShowParseError(startLine, "unterminated quote");
    const chunk = text.slice(i + 1, close);
    for (const ch of chunk) if (ch === "\n") line++;
    cur += chunk;
    i = close + 1;
    if (text.startsWith("\\''", i)) {
      // `'\''`: close, escaped quote, reopen: same element.
      cur += "'";
      i += 2;
      continue;
    }
    values.push(cur);
    cur = "";
    if (i >= text.length) return { values, end: i, line: line + 1 };
    if (text[i] === "\n") return { values, end: i + 1, line: line + 1 };
    if (text.startsWith(" '", i)) {
      i += 1;
      continue;
    }
    throw new UciShowParseError(line, `unexpected text after closing quote: "${text.slice(i, i + 20)}"`);
  }
}

/** Finds a named section. */
export function findSection(
  sections: readonly UciShowSection[],
  pkg: string,
  name: string,
): UciShowSection | undefined {
  return sections.find((s) => s.package === pkg && s.name === name);
}

/** A value as a list: show prints a one-element list as a plain string. */
export function asList(v: UciValue): string[] {
  return typeof v === "string" ? [v] : v;
}

/** Compares a read-back value with the intended one, tolerating the one-element-list ambiguity of `show`. */
export function sameUciValue(shown: UciValue | undefined, intended: UciValue | undefined): boolean {
  if (shown === undefined || intended === undefined) return shown === intended;
  if (typeof intended === "string") return typeof shown === "string" && shown === intended;
  const a = asList(shown);
  return a.length === intended.length && a.every((x, k) => x === intended[k]);
}
