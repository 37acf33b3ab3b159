/**
 * The one place where values become OpenWrt device text: uci batch lines, POSIX sh arguments and BIRD2 config
 * tokens. Nothing else in provider/openwrt concatenates user input into device text.
 *
 * Facts used (docs/reference/openwrt-uci.md, measured on uci 66127cd and 5781664):
 * - §2.3: uci writes every value as `'…'` with each `'` replaced by `'\''`; nothing else is escaped.
 * - §2.8: `uci batch` tokenizes like the config parser, so `'…'` is literal and may span lines.
 * - §2.1/§2.6: a control char other than TAB/LF/CR is a parse error; option and section names allow
 *   `[A-Za-z0-9_]` only, package names additionally `-`; setting an empty value deletes the option.
 * Docs: https://openwrt.org/docs/guide-user/base-system/uci
 */

/** A value or name that cannot be sent to the device; `field` names the input (e.g. `options.network[1]`). */
export class CodecError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "CodecError";
  }
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN_UCI_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Throws when `value` holds a control char uci rejects (§2.1: anything but TAB, LF, CR). */
export function checkUciValue(value: string, field: string): string {
  const m = FORBIDDEN_UCI_CHARS.exec(value);
  if (m)
    throw new CodecError(
      field,
      `contains control character U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")}, which uci rejects`,
    );
  return value;
}

/**
 * The single-quote rule shared by uci (§2.3) and POSIX sh: wrap in `'…'`, write each `'` as `'\''`. Everything
 * else inside single quotes is literal to both.
 */
function singleQuoted(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** uci's single quoting rule (§2.3): `it's` → `'it'\''s'`. Validates first; see {@link checkUciValue}. */
export function uciQuote(value: string, field: string): string {
  checkUciValue(value, field);
  return singleQuoted(value);
}

const UCI_NAME = /^[A-Za-z0-9_]+$/;
const UCI_PACKAGE = /^[A-Za-z0-9_-]+$/;
// Types may hold any printable non-space (§2.1), but `show` prints them unquoted, so routerstack keeps to a set
// that reads back unambiguously.
const UCI_TYPE = /^[A-Za-z0-9_-]+$/;

/** Validates an option or section name: `[A-Za-z0-9_]+` (§2.6). Returns it unchanged. */
export function uciName(name: string, field: string): string {
  if (!UCI_NAME.test(name))
    throw new CodecError(field, `"${printable(name)}" is not a uci name (letters, digits and _ only)`);
  return name;
}

/** Validates a package name: `[A-Za-z0-9_-]+` (§2.1/§2.2). */
export function uciPackage(name: string, field: string): string {
  if (!UCI_PACKAGE.test(name))
    throw new CodecError(field, `"${printable(name)}" is not a uci package name (letters, digits, _ and -)`);
  return name;
}

/** Validates a section type; routerstack accepts `[A-Za-z0-9_-]+` (uci allows more, but prints it unquoted). */
export function uciType(type: string, field: string): string {
  if (!UCI_TYPE.test(type))
    throw new CodecError(
      field,
      `"${printable(type)}" is not a section type routerstack writes (letters, digits, _ and -)`,
    );
  return type;
}

/**
 * The extended-syntax reference to the first section of a type, `@system[0]` (openwrt-uci.md §2.2: how `show`
 * names an anonymous section in whole-package output). Only for a singleton section the engine locates by type.
 */
export const FIRST_OF_TYPE = /^@[A-Za-z0-9_-]+\[0\]$/;

/** One change in a uci batch. Sections are always named; routerstack never emits `add`, `rename`, `reorder` or `import`. */
export type UciCommand =
  | { op: "set-section"; package: string; section: string; type: string }
  | { op: "set"; package: string; section: string; option: string; value: string }
  | { op: "add_list"; package: string; section: string; option: string; value: string }
  | { op: "delete-option"; package: string; section: string; option: string }
  | { op: "delete-section"; package: string; section: string };

/**
 * Encodes one command as a `uci batch` line (§2.8), e.g. `set network.wwan.apn='internet'`.
 * `set` with an empty value is refused: uci would silently delete the option (§2.6); use `delete-option`.
 * Throws {@link CodecError} naming the offending part.
 */
export function encodeUciCommand(c: UciCommand): string {
  // `@type[0]` only addresses an existing section's options (a singleton such as system's, section-engine.ts);
  // it never creates, retypes or deletes a section, which stay by name.
  const first = FIRST_OF_TYPE.test(c.section) && c.op !== "set-section" && c.op !== "delete-section";
  const path = `${uciPackage(c.package, "package")}.${first ? c.section : uciName(c.section, "section")}`;
  switch (c.op) {
    case "set-section":
      return `set ${path}=${uciQuote(uciType(c.type, "type"), "type")}`;
    case "set":
      if (c.value === "")
        throw new CodecError(`options.${c.option}`, "is empty; uci deletes an option set to an empty value");
      return `set ${path}.${uciName(c.option, "option")}=${uciQuote(c.value, `options.${c.option}`)}`;
    case "add_list":
      return `add_list ${path}.${uciName(c.option, "option")}=${uciQuote(c.value, `options.${c.option}`)}`;
    case "delete-option":
      return `delete ${path}.${uciName(c.option, "option")}`;
    case "delete-section":
      return `delete ${path}`;
  }
}

/** Encodes a whole batch: one line per command, each ending in `\n`. No `commit`: the transaction decides. */
export function encodeUciBatch(commands: readonly UciCommand[]): string {
  return commands.map((c) => encodeUciCommand(c) + "\n").join("");
}

/**
 * Encodes a value as `uci show` prints it (§2.2/§2.3): a string as `'v'`, a list as `'a' 'b'`.
 * The inverse of the show parser's value decoding; used by tests and by the lab-facing fixtures.
 */
export function formatUciShowValue(value: string | readonly string[]): string {
  return typeof value === "string" ? singleQuoted(value) : value.map(singleQuoted).join(" ");
}

/**
 * POSIX sh single-quoting for one command argument: `it's` → `'it'\''s'`. Everything inside single quotes is
 * literal in sh, so only `'` needs care. NUL cannot be passed in an argument and is refused.
 */
export function shQuote(arg: string, field: string): string {
  if (arg.includes("\u0000")) throw new CodecError(field, "contains a NUL byte");
  return singleQuoted(arg);
}

/** An absolute path safe to put in a script: no NUL, newline or `..` segments. */
export function absolutePath(path: string, field: string): string {
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith("/") || /[\u0000-\u001f\u007f]/.test(path) || path.split("/").includes("..")) {
    throw new CodecError(field, `"${printable(path)}" must be an absolute path without control characters or ".."`);
  }
  return path;
}

/**
 * BIRD2 string literal (`"…"`). BIRD 2.0's lexer ends a string at the next `"` and rejects a newline inside it;
 * whether it honours backslash escapes differs between releases, so routerstack refuses `"`, `\` and control
 * characters instead of escaping them. Docs: https://bird.network.cz/?get_doc&v=20&f=bird-3.html
 */
export function birdString(value: string, field: string): string {
  // eslint-disable-next-line no-control-regex
  if (/["\\\u0000-\u001f\u007f]/.test(value))
    throw new CodecError(
      field,
      `"${printable(value)}" must not contain quotes, backslashes or control characters (BIRD string)`,
    );
  return `"${value}"`;
}

const BIRD_SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A BIRD2 symbol (protocol or filter name): `[A-Za-z_][A-Za-z0-9_]*`, at most 64 characters here. Keywords
 * (`bgp`, `static`, `device`, …) are not listed by routerstack; `bird -p` rejects them before anything is loaded.
 */
/**
 * Words BIRD 2 reads as keywords, so they cannot name a protocol (measured: `bird -p` 2.0.12 refuses these as
 * protocol names). Not exhaustive: BIRD has more keywords; `bird -p` still checks every file before it is loaded.
 */
export const BIRD_KEYWORDS: ReadonlySet<string> = new Set([
  "all",
  "as",
  "attribute",
  "babel",
  "bfd",
  "bgp",
  "debug",
  "define",
  "device",
  "direct",
  "else",
  "export",
  "false",
  "filter",
  "from",
  "function",
  "id",
  "if",
  "import",
  "in",
  "include",
  "interface",
  "ipv4",
  "ipv6",
  "kernel",
  "kernel4",
  "kernel6",
  "log",
  "mpls",
  "neighbor",
  "none",
  "off",
  "on",
  "ospf",
  "pipe",
  "protocol",
  "rip",
  "roa",
  "router",
  "static",
  "table",
  "template",
  "then",
  "true",
  "where",
  "yes",
  "no",
  "via",
  "return",
  "accept",
  "reject",
]);

export function isBirdSymbol(name: string): boolean {
  return BIRD_SYMBOL.test(name) && name.length <= 64 && !BIRD_KEYWORDS.has(name.toLowerCase());
}

export function birdSymbol(name: string, field: string): string {
  if (!isBirdSymbol(name))
    throw new CodecError(
      field,
      `"${printable(name)}" is not a BIRD symbol (letter or _, then letters, digits, _; not a keyword)`,
    );
  return name;
}

/** Renders a string for inclusion in an error message: control chars as \uXXXX, at most 80 chars. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return t.length > 80 ? t.slice(0, 77) + "..." : t;
}
