/**
 * The one place where values become RouterOS CLI text (routeros-cli.md §3). Everything else builds commands from
 * the typed fragments exported here, so no user input is ever concatenated into a command line elsewhere.
 *
 * Documentation: https://help.mikrotik.com/docs/display/ROS/Scripting (quoting, escapes, `where` operators) and
 * https://help.mikrotik.com/docs/x/xgEF (Command Line Interface: add/set/remove/print).
 */

/** A fragment of CLI text that only this module can produce; its `text` is safe to place on a command line. */
export interface Cli {
  readonly __cli: true;
  readonly text: string;
}

function cli(text: string): Cli {
  return { __cli: true, text };
}

/** Menu paths in slash form, lower-case words: `/ip/route`, `/routing/bgp/connection`. */
const MENU_PATH = /^(\/[a-z0-9][a-z0-9-]*)+$/;
/** RouterOS property names: `dst-address`, `local.role`, `output.default-originate`, and the id key `.id`. */
const PROP_NAME = /^(\.id|[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*)$/;
/** Internal ids: `*` + hex (`*1`, `*2E`, `*400ae12f`), routeros-cli.md §2.4. */
const ITEM_ID = /^\*[0-9A-Fa-f]+$/;

/** Error for input the codec refuses to encode. Callers wrap it with device and resource context. */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodecError";
  }
}

/** Validates a menu path (`/ip/route`); throws CodecError otherwise. */
export function menuPath(path: string): Cli {
  if (!MENU_PATH.test(path)) throw new CodecError(`invalid RouterOS menu path ${JSON.stringify(path)}`);
  return cli(path);
}

/** Validates a property name (`check-gateway`, `local.role`, `.id`); throws CodecError otherwise. */
export function propName(name: string): Cli {
  if (!PROP_NAME.test(name)) throw new CodecError(`invalid RouterOS property name ${JSON.stringify(name)}`);
  return cli(name);
}

/** True when `s` looks like a RouterOS internal id (`*1A`). */
export function isItemId(s: string): boolean {
  return ITEM_ID.test(s);
}

/** An internal id literal, left unquoted as RouterOS requires (`.id=*1`, §3.2); throws CodecError otherwise. */
export function itemId(id: string): Cli {
  if (!ITEM_ID.test(id)) throw new CodecError(`invalid RouterOS item id ${JSON.stringify(id)}`);
  return cli(id);
}

// Named escapes of §3.3. `\_` (space) exists too but a literal space is fine inside quotes.
const NAMED_ESCAPES: Record<number, string> = {
  0x5c: "\\\\", // backslash
  0x22: '\\"',
  0x24: "\\$", // `$` would substitute a variable, silently empty when undefined (§3.3)
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x07: "\\a",
  0x08: "\\b",
  0x0c: "\\f",
  0x0b: "\\v",
};

/**
 * Encodes a string as one double-quoted RouterOS literal (§3.3). Every value is quoted, even when it would be
 * legal bare, so delimiters (`;` `#` brackets, braces, spaces) can never end the token. Escapes: `\\`, `\"`,
 * `\$`, the named control escapes, and `\XX` (upper-case hex) for every other control byte, DEL and each UTF-8
 * byte ≥ 0x80 — RouterOS stores bytes and prints non-ASCII as `\XX` per byte in exports [I: accepted on input].
 * The result is pure ASCII, so its length in bytes equals its length in characters.
 */
export function quote(value: string): Cli {
  let out = '"';
  for (const byte of Buffer.from(value, "utf8")) {
    const named = NAMED_ESCAPES[byte];
    if (named !== undefined) out += named;
    else if (byte < 0x20 || byte >= 0x7f) out += "\\" + byte.toString(16).toUpperCase().padStart(2, "0");
    else out += String.fromCharCode(byte);
  }
  return cli(out + '"');
}

/**
 * Every spelling a secret takes on a RouterOS command line, for the command log's redaction (transport/redact.ts
 * knows no codec): the value, its body once quoted by {@link quote} (`pa$sw?rd` → `pa\$sw?rd`, `€` → `\E2\82\AC`),
 * and twice quoted — a command inside a quoted script, e.g. the lock-out guard's scheduler `on-event`.
 */
export function secretSpellings(secrets: readonly string[]): string[] {
  const body = (s: string) => quote(s).text.slice(1, -1);
  return [...new Set(secrets.filter((s) => s !== "").flatMap((s) => [s, body(s), body(body(s))]))];
}

/** A value the codec can encode as a property value. */
export type CliValue = string | number | boolean | readonly (string | number)[];

/**
 * Encodes a property value, always quoted: booleans as `yes`/`no` (§3.2: `true`/`false` are refused in `where`),
 * numbers in plain decimal, lists comma-joined (RouterOS list syntax, e.g. `output.redistribute=connected,static`).
 * Throws CodecError for non-finite numbers and list items containing a comma (they would split).
 */
export function value(v: CliValue): Cli {
  if (typeof v === "boolean") return quote(v ? "yes" : "no");
  if (typeof v === "number") return quote(numberText(v));
  if (typeof v === "string") return quote(v);
  const items = v.map((x) => (typeof x === "number" ? numberText(x) : x));
  for (const x of items) {
    if (x.includes(",")) throw new CodecError(`list item ${JSON.stringify(x)} contains a comma`);
  }
  return quote(items.join(","));
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new CodecError(`cannot encode number ${n}`);
  return Number.isInteger(n) ? n.toFixed(0) : String(n);
}

/** One argument of `add`/`set`: a value, a presence flag, or an unset. */
export type Arg =
  | { kind: "value"; prop: string; value: CliValue }
  /** Presence flags (`fib`, `blackhole`): the bare word sets them; `prop=yes` is refused (§3.1). */
  | { kind: "flag"; prop: string; on: boolean }
  /** Unset (`!prop`), returning the property to its default (§3.1). */
  | { kind: "unset"; prop: string }
  /** An item reference such as `place-before=*5`: ids stay unquoted (§3.2). */
  | { kind: "id"; prop: string; id: string };

function argText(a: Arg): string {
  const p = propName(a.prop).text;
  if (a.kind === "value") return `${p}=${value(a.value).text}`;
  // `!blackhole` as a way to clear a presence flag is [I] in §3.1; it is the documented unset syntax.
  if (a.kind === "flag") return a.on ? p : `!${p}`;
  if (a.kind === "id") return `${p}=${itemId(a.id).text}`;
  return `!${p}`;
}

function argsText(args: readonly Arg[]): string {
  return args.map((a) => " " + argText(a)).join("");
}

/** A `where` expression (§3.2). */
export type Where =
  | { op: "eq" | "ne"; prop: string; value: CliValue }
  | { op: "regex"; prop: string; pattern: string }
  | { op: "id"; id: string }
  | { op: "and" | "or"; terms: readonly Where[] }
  | { op: "not"; term: Where };

/** Renders a `where` expression. Right-hand values are always quoted (unquoted `/` and `:` are operators). */
export function where(w: Where): Cli {
  switch (w.op) {
    case "eq":
      return cli(`${propName(w.prop).text}=${value(w.value).text}`);
    case "ne":
      return cli(`${propName(w.prop).text}!=${value(w.value).text}`);
    case "regex":
      return cli(`${propName(w.prop).text}~${quote(w.pattern).text}`);
    case "id":
      // ids stay unquoted (§3.2: `where .id=*1`)
      return cli(`.id=${itemId(w.id).text}`);
    case "and":
    case "or": {
      if (w.terms.length === 0) throw new CodecError(`empty ${w.op} expression`);
      const sep = w.op === "and" ? " && " : " || ";
      return cli(w.terms.map((t) => `(${where(t).text})`).join(sep));
    }
    case "not":
      return cli(`!(${where(w.term).text})`);
  }
}

/**
 * A POSIX extended regex that matches `literal` exactly as a prefix anchor (`^literal`). Special characters are
 * put in brackets (`[.]`) rather than backslash-escaped so the pattern stays readable after CLI quoting.
 */
export function regexPrefix(literal: string): string {
  return (
    "^" + literal.replace(/[.[\]{}()*+?^$|\\]/g, (c) => (c === "^" || c === "\\" || c === "]" ? `\\${c}` : `[${c}]`))
  );
}

/** One command of an exec line; built only by the functions below. */
export interface Command {
  readonly __command: true;
  readonly text: string;
  /** Whether the command yields a value that is printed with `:put [...]` (add's id, reads). */
  readonly yields: boolean;
}

function command(text: string, yields: boolean): Command {
  return { __command: true, text, yields };
}

/** `/menu/add args…`; printed through `:put [...]` by the envelope so the new `.id` comes back (T2). */
export function add(menu: string, args: readonly Arg[]): Command {
  return command(`${menuPath(menu).text}/add${argsText(args)}`, true);
}

/** `/menu/set <id> args…` — silent on success (T3). Throws CodecError when there is nothing to set. */
export function set(menu: string, id: string, args: readonly Arg[]): Command {
  if (args.length === 0) throw new CodecError("set without arguments");
  return command(`${menuPath(menu).text}/set ${itemId(id).text}${argsText(args)}`, false);
}

/** `/menu/set args…` on a singleton menu (`/system/note`, `/ip/dns`): no id. Throws CodecError when empty. */
export function setSingleton(menu: string, args: readonly Arg[]): Command {
  if (args.length === 0) throw new CodecError("set without arguments");
  return command(`${menuPath(menu).text}/set${argsText(args)}`, false);
}

/** `/menu/remove <id>` — silent on success. */
export function remove(menu: string, id: string): Command {
  return command(`${menuPath(menu).text}/remove ${itemId(id).text}`, false);
}

/**
 * `/menu/move <id> [<before-id>]` on ordered menus (§3.1 `move <id> <before-id>`) — silent on success. Without
 * `beforeId` the item goes to the end of the list [I: the reference shows only the two-argument form].
 */
export function move(menu: string, id: string, beforeId?: string): Command {
  const dest = beforeId === undefined ? "" : ` ${itemId(beforeId).text}`;
  return command(`${menuPath(menu).text}/move ${itemId(id).text}${dest}`, false);
}

/**
 * The JSON read of §2.3: `:serialize to=json options=json.no-string-conversion [/menu/print detail as-value
 * where …]`, printed by the envelope. Without `where` every row of the menu is read.
 */
export function printJson(menu: string, filter?: Where): Command {
  const w = filter ? ` where ${where(filter).text}` : "";
  return command(
    `:serialize to=json options=json.no-string-conversion [${menuPath(menu).text}/print detail as-value${w}]`,
    true,
  );
}

/** `/menu/get <prop>` on a singleton menu (`/system/resource/get version`, T1). */
export function getSingleton(menu: string, prop: string): Command {
  return command(`${menuPath(menu).text}/get ${propName(prop).text}`, true);
}

/** `:put <quoted text>` — used by the envelope for its markers. */
export function putText(text: string): Cli {
  return cli(`:put ${quote(text).text}`);
}

/** Internal: the envelope's constructs, kept here so every piece of command text comes from this module. */
export const envelopeSyntax = {
  /** `:onerror e in={ <body> } do={ :put ("<prefix>" . $e) }` (7.13+, DOC-SCRIPT; §4.2). */
  onError(body: string, errPrefix: string): Cli {
    return cli(`:onerror e in={ ${body} } do={ :put (${quote(errPrefix).text} . $e) }`);
  },
  /** `:put [<cmd>]` for commands that yield a value, else the command itself. */
  run(c: Command): string {
    return c.yields ? `:put [${c.text}]` : c.text;
  },
  /** Joins statements of one line. */
  line(parts: readonly string[]): string {
    return parts.join("; ");
  },
};

/** `[/menu/find where …]`: the ids of the items matching `filter`, as an argument of another command. */
function findWhere(menu: string, filter: Where): string {
  return `[${menuPath(menu).text}/find where ${where(filter).text}]`;
}

/** `/menu/remove [/menu/find where …]`: removes what matches (nothing when nothing does), silent on success. */
export function removeWhere(menu: string, filter: Where): Command {
  return command(`${menuPath(menu).text}/remove ${findWhere(menu, filter)}`, false);
}

/** `/menu/set [/menu/find where …] args…`: sets what matches (nothing when nothing does), silent on success. */
export function setWhere(menu: string, filter: Where, args: readonly Arg[]): Command {
  if (args.length === 0) throw new CodecError("set without arguments");
  return command(`${menuPath(menu).text}/set ${findWhere(menu, filter)}${argsText(args)}`, false);
}

/**
 * `:if ([:len [/menu/find where …]] = 0) do={ :put [/menu/add args…] }`: adds only when no item matches `filter`,
 * printing the new `.id`; prints nothing and changes nothing when one does. The lookup a create needs before its
 * `add` thus rides on the add's own line (`:if`, `:len` and `find` returning an id list: DOC-SCRIPT
 * https://help.mikrotik.com/docs/display/ROS/Scripting, routeros-cli.md §3.1 T4).
 */
export function addUnless(menu: string, filter: Where, args: readonly Arg[]): Command {
  const found = findWhere(menu, filter);
  return command(`:if ([:len ${found}] = 0) do={ :put [${menuPath(menu).text}/add${argsText(args)}] }`, false);
}

/**
 * `:if ([:len [/menu/find where …]] = 1) do={ /menu/remove [/menu/find where …] }`: removes the one item matching
 * `filter`, and nothing when none or several do (several is for the caller to report; an empty `[find]` given to
 * `remove` is only inferred to be a no-op, routeros-cli.md §3.1, so it is never relied on). Silent.
 */
export function removeIfOne(menu: string, filter: Where): Command {
  const found = findWhere(menu, filter);
  return command(`:if ([:len ${found}] = 1) do={ ${menuPath(menu).text}/remove ${found} }`, false);
}

/**
 * A script body (a scheduler job's `on-event`) running `commands` in order, each in `:do { … } on-error={}` so a
 * failing one does not stop the rest (DOC-SCRIPT). It becomes a quoted value through `value()` like any text.
 */
export function scriptBody(commands: readonly Command[]): string {
  return commands.map((c) => `:do { ${c.text} } on-error={}`).join("; ");
}
