/**
 * An independent reader of RouterOS quoted strings and command tokens, written from routeros-cli.md §3.3 (not
 * from provider/routeros/codec.ts), so codec round-trip tests compare two implementations.
 */

const NAMED: Record<string, number> = {
  '"': 0x22,
  "\\": 0x5c,
  $: 0x24,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  _: 0x20,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
};

/** Raised where RouterOS would report a syntax error. */
export class CliSyntaxError extends Error {}

/**
 * Decodes one quoted literal starting at `text[start]` (which must be `"`); returns the value and the index after
 * the closing quote. A bare `$` inside quotes is variable substitution in RouterOS, so it is a syntax error here
 * (an encoder must escape it); unknown escapes are syntax errors as on the device.
 */
export function readQuoted(text: string, start: number): { value: string; end: number } {
  if (text[start] !== '"') throw new CliSyntaxError(`expected '"' at ${start}`);
  const bytes: number[] = [];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { value: Buffer.from(bytes).toString("utf8"), end: i + 1 };
    if (c === "$") throw new CliSyntaxError(`unescaped $ at ${i}`);
    if (c === "\\") {
      const n = text[i + 1];
      if (n !== undefined && NAMED[n] !== undefined) {
        bytes.push(NAMED[n]);
        i += 2;
        continue;
      }
      const hex = text.slice(i + 1, i + 3);
      if (/^[0-9A-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 3;
        continue;
      }
      throw new CliSyntaxError(`unknown escape \\${n} at ${i}`);
    }
    const code = c.charCodeAt(0);
    if (code >= 0x80) throw new CliSyntaxError(`raw non-ASCII at ${i}`);
    bytes.push(code);
    i++;
  }
  throw new CliSyntaxError("unterminated string");
}

/** Decodes a whole quoted literal `"…"`; throws CliSyntaxError when anything follows it. */
export function decodeQuoted(text: string): string {
  const { value, end } = readQuoted(text, 0);
  if (end !== text.length) throw new CliSyntaxError(`text after closing quote at ${end}`);
  return value;
}

export type Token =
  { t: "str"; v: string; pos: number } | { t: "word"; v: string; pos: number } | { t: "punct"; v: string; pos: number };

/** Splits a console line into tokens: quoted strings, delimiters `[ ] { } ( ) ;`, and words. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c === '"') {
      const { value, end } = readQuoted(line, i);
      out.push({ t: "str", v: value, pos: i });
      i = end;
    } else if ("[]{}();".includes(c)) {
      out.push({ t: "punct", v: c, pos: i });
      i++;
    } else {
      let j = i;
      // `=` ends a word only for the purpose of attaching a quoted value: `comment="x"` → word `comment=`, str.
      while (j < line.length && !' \t"[]{}();'.includes(line[j])) j++;
      out.push({ t: "word", v: line.slice(i, j), pos: i });
      i = j;
    }
  }
  return out;
}
