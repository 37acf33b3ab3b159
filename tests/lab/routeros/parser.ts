/**
 * Parser for one console command line. The whole line is parsed before anything runs, so a parse error aborts
 * it with only the error text (routeros-cli.md §4.2, T10). Syntax follows §3: `;`-separated statements, menu
 * paths in slash or space form, `name=value` arguments, `!prop`, presence flags, `[ ]` substitution, `{ }`
 * blocks, `( )` expressions, double-quoted strings with the escapes of §3.3, where-expressions of §3.2.
 *
 * Columns are 1-based character offsets in the exec line (T10: over exec there is no prompt to add) [I: whether
 * RouterOS counts bytes or characters for non-ASCII input].
 */
import type { Arg, CmdStmt, Expr, QuotedPart, Stmt } from "./ast";
import { CliParseError } from "./errors";
import { MENUS, type MenuDef, type Verb } from "./menus";
import { versionAtLeast } from "./props";
import { menuExists, menuSchema } from "./schema";
import { typeWord } from "./values";

export interface MenuNode {
  path: string;
  children: Map<string, MenuNode>;
  parent?: MenuNode;
  menu?: MenuDef;
}

/** The command tree of one version: menus gated by `since` or absent from its catalogue are absent (`bad command
 *  name`, schema.ts). */
export function buildMenuTree(version: string): MenuNode {
  const root: MenuNode = { path: "", children: new Map() };
  for (const m of MENUS) {
    if (!menuExists(m, version)) continue;
    let node = root;
    for (const part of m.path.split("/").slice(1)) {
      let child = node.children.get(part);
      if (!child) {
        child = { path: `${node.path}/${part}`, children: new Map(), parent: node };
        node.children.set(part, child);
      }
      node = child;
    }
    node.menu = m;
  }
  return root;
}

interface VerbSpec {
  named: Set<string>;
  flags: Set<string>;
  /** Flags that are properties (`fib`, `blackhole`); `fib=yes` is rejected (§3.1). */
  propFlags: Set<string>;
  positional: string[];
  unsettable: Set<string>;
  where: boolean;
  findExpr: boolean;
}

/** What a verb accepts. `add` and `set` take exactly the arguments schema.ts gives for this version. */
function verbSpec(menu: MenuDef, verb: Verb, version: string): VerbSpec {
  const schema = menuSchema(menu, version);
  const writable = schema.props.filter((p) => !p.readOnly);
  const accepted = verb === "add" ? schema.add : schema.set;
  const propFlags = new Set(writable.filter((p) => p.type.kind === "flag" && accepted.has(p.name)).map((p) => p.name));
  const values = writable.filter((p) => p.type.kind !== "flag" && accepted.has(p.name)).map((p) => p.name);
  const spec: VerbSpec = {
    named: new Set(),
    flags: new Set(),
    propFlags,
    positional: [],
    unsettable: new Set(),
    where: false,
    findExpr: false,
  };
  const numbers = menu.singleton ? [] : ["numbers"];
  switch (verb) {
    case "add":
      spec.named = new Set([...values, ...(menu.ordered ? ["place-before"] : [])]);
      spec.flags = new Set(propFlags);
      break;
    case "set":
      spec.named = new Set(values);
      spec.flags = new Set(propFlags);
      spec.positional = numbers;
      // `set … !prop` is the other spelling of `unset` (§3.1); a menu without `unset` (address-list, lte/apn,
      // §3.1 [S]) is taken to refuse it too [I: the reference lists only the missing verb].
      spec.unsettable = new Set(
        menu.verbs.includes("unset") ? writable.filter((p) => schema.set.has(p.name)).map((p) => p.name) : [],
      );
      break;
    case "unset":
      spec.positional = [...numbers, "value-name"];
      break;
    case "remove":
    case "enable":
    case "disable":
      spec.positional = numbers;
      break;
    case "get":
      spec.positional = [...numbers, "value-name"];
      break;
    case "move":
      spec.positional = ["numbers", "destination"];
      break;
    case "find":
      spec.findExpr = true;
      break;
    case "print": {
      const flags = ["detail", "as-value", "count-only", "terse", "without-paging", "brief"];
      // `print show-sensitive` appears in 7.21 (§0 item 10, §7).
      if (versionAtLeast(version, "7.21")) flags.push("show-sensitive");
      spec.flags = new Set(flags);
      spec.named = new Set(["proplist"]);
      spec.where = true;
      break;
    }
  }
  return spec;
}

const NAME_CHAR = /[A-Za-z0-9_.-]/;
const VAR_CHAR = /[A-Za-z0-9_]/;
const WORD_STOP = new Set([" ", "\t", ";", "[", "]", "{", "}", "(", ")", '"', "#"]);
const ESCAPES: Record<string, number> = {
  '"': 0x22,
  "\\": 0x5c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  $: 0x24,
  _: 0x20,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
};

export class Parser {
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly version: string,
    private readonly root: MenuNode,
  ) {}

  parseLine(): Stmt[] {
    return this.statements(this.root, "");
  }

  // ---- errors -------------------------------------------------------------------------------------------

  private err(text: string, at = this.i): CliParseError {
    return new CliParseError(text, 1, at + 1);
  }
  private syntax(at = this.i): CliParseError {
    return this.err("syntax error", at);
  }
  private expectedEnd(at = this.i): CliParseError {
    return this.err("expected end of command", at);
  }
  /** Unknown parameter: `bad parameter X` from 7.23, `syntax error` up to 7.21 (§4.1, T10). */
  private badParam(name: string, at: number): CliParseError {
    return versionAtLeast(this.version, "7.23") ? this.err(`bad parameter ${name}`, at) : this.syntax(at);
  }

  // ---- cursor -------------------------------------------------------------------------------------------

  private peek(off = 0): string | undefined {
    return this.src[this.i + off];
  }
  private ws(): void {
    while (this.peek() === " " || this.peek() === "\t") this.i++;
  }
  private atEndOfCommand(): boolean {
    const c = this.peek();
    return c === undefined || c === ";" || c === "]" || c === "}" || c === "#";
  }
  private readWhile(re: RegExp): string {
    const start = this.i;
    while (this.peek() !== undefined && re.test(this.peek()!)) this.i++;
    return this.src.slice(start, this.i);
  }
  private expect(c: string): void {
    if (this.peek() !== c) throw this.syntax();
    this.i++;
  }

  // ---- statements ---------------------------------------------------------------------------------------

  private statements(ctx: MenuNode, close: "" | "]" | "}"): Stmt[] {
    const out: Stmt[] = [];
    let cur = ctx;
    for (;;) {
      this.ws();
      const c = this.peek();
      if (c === undefined) {
        if (close) throw this.syntax();
        return out;
      }
      if (c === close) return out;
      if (c === ";") {
        this.i++;
        continue;
      }
      if (c === "#") {
        // A comment runs to the end of the line (§3.3).
        this.i = this.src.length;
        continue;
      }
      if (c === "]" || c === "}" || c === ")") throw this.syntax();
      const r = this.statement(cur);
      if (r.ctx) cur = r.ctx;
      if (r.stmt) out.push(r.stmt);
      this.ws();
      if (!this.atEndOfCommand()) throw this.expectedEnd();
    }
  }

  private statement(ctx: MenuNode): { stmt?: Stmt; ctx?: MenuNode } {
    const c = this.peek()!;
    if (c === ":") return { stmt: this.scriptCommand(ctx) };
    if (c === "/") return this.command(ctx, true);
    if (c === "{") {
      this.i++;
      const body = this.statements(ctx, "}");
      this.expect("}");
      return { stmt: { k: "block", body } };
    }
    if (c === "[" || c === "(" || c === '"' || c === "$") return { stmt: { k: "expr", e: this.value(ctx) } };
    if (NAME_CHAR.test(c)) return this.command(ctx, false);
    throw this.syntax();
  }

  /** A menu command; a bare path (`/ip route`) changes the menu for the rest of the block. */
  private command(ctx: MenuNode, absolute: boolean): { stmt?: Stmt; ctx?: MenuNode } {
    let node = absolute ? this.root : ctx;
    if (absolute) this.i++;
    let verb: Verb | undefined;
    for (;;) {
      const start = this.i;
      const w = this.readWhile(NAME_CHAR);
      if (!w) break;
      const child = node.children.get(w);
      if (w === "..") node = node.parent ?? node;
      else if (child) node = child;
      else if (node.menu && (node.menu.verbs as string[]).includes(w)) {
        verb = w as Verb;
        break;
      } else throw this.err(`bad command name ${w}`, start);
      if (this.peek() === "/") {
        this.i++;
        continue;
      }
      if (this.peek() === " " || this.peek() === "\t") {
        this.ws();
        if (this.atEndOfCommand()) break;
        continue;
      }
      break;
    }
    if (!verb) {
      if (!this.atEndOfCommand()) throw this.syntax();
      return { ctx: node };
    }
    return { stmt: this.commandArgs(node, verb) };
  }

  private commandArgs(node: MenuNode, verb: Verb): CmdStmt {
    const menu = node.menu!;
    const spec = verbSpec(menu, verb, this.version);
    const argStart = this.i;
    const stmt: CmdStmt = {
      k: "cmd",
      menu,
      verb,
      positional: new Map(),
      named: [],
      unsets: [],
      flags: [],
      argText: "",
    };
    if (spec.findExpr) {
      this.ws();
      const save = this.i;
      if (this.readWhile(NAME_CHAR) !== "where") this.i = save;
      this.ws();
      if (!this.atEndOfCommand()) stmt.where = this.expr(node, true);
      stmt.argText = this.src.slice(argStart, this.i).trim();
      return stmt;
    }
    let posIdx = 0;
    for (;;) {
      this.ws();
      if (this.atEndOfCommand()) break;
      const start = this.i;
      const c = this.peek()!;
      if (c === "!") {
        this.i++;
        const name = this.readWhile(NAME_CHAR);
        if (!name) throw this.syntax();
        if (!spec.unsettable.has(name)) throw this.badParam(name, start + 1);
        stmt.unsets.push(name);
        continue;
      }
      if (NAME_CHAR.test(c)) {
        const name = this.readWhile(NAME_CHAR);
        if (this.peek() === "=") {
          if (spec.propFlags.has(name)) throw this.syntax(); // `fib=yes` is rejected (§3.1) [I: wording]
          this.i++;
          if (spec.positional.includes(name)) {
            stmt.positional.set(name, this.argValue(node));
            continue;
          }
          if (!spec.named.has(name)) throw this.badParam(name, start);
          stmt.named.push({ name, value: this.argValue(node), col: start + 1 });
          continue;
        }
        if (name === "where" && spec.where) {
          this.ws();
          stmt.where = this.expr(node, true);
          break;
        }
        if (spec.flags.has(name)) {
          stmt.flags.push(name);
          continue;
        }
        this.i = start;
        while (posIdx < spec.positional.length && stmt.positional.has(spec.positional[posIdx])) posIdx++;
        if (posIdx >= spec.positional.length) throw this.badParam(name, start);
      }
      while (posIdx < spec.positional.length && stmt.positional.has(spec.positional[posIdx])) posIdx++;
      if (posIdx >= spec.positional.length) throw this.expectedEnd(start);
      stmt.positional.set(spec.positional[posIdx++], this.value(node));
    }
    stmt.argText = this.src.slice(argStart, this.i).trim();
    return stmt;
  }

  /**
   * The value after `name=`. `name=` directly followed by the end of the command is an empty value; followed by
   * a space and another argument it is `expected end of command` at that argument (§3.1, T10).
   */
  private argValue(ctx: MenuNode): Expr {
    const col = this.i + 1;
    if (this.atEndOfCommand()) return { k: "lit", v: { t: "str", v: "" }, col };
    if (this.peek() === " " || this.peek() === "\t") {
      this.ws();
      if (this.atEndOfCommand()) return { k: "lit", v: { t: "str", v: "" }, col };
      throw this.expectedEnd();
    }
    return this.value(ctx);
  }

  /** A value in argument position: quoted string, `[ ]`, `( )`, `{ }`, `$var` or an unquoted word. */
  private value(ctx: MenuNode): Expr {
    const c = this.peek();
    let e: Expr;
    if (c === '"') e = this.quoted(ctx);
    else if (c === "[") {
      this.i++;
      const body = this.statements(ctx, "]");
      this.expect("]");
      e = { k: "sub", body };
    } else if (c === "(") {
      this.i++;
      e = this.expr(ctx, false);
      this.ws();
      this.expect(")");
    } else if (c === "{") {
      this.i++;
      const body = this.statements(ctx, "}");
      this.expect("}");
      e = { k: "block", body };
    } else if (c === "$") {
      this.i++;
      const name = this.readWhile(VAR_CHAR);
      if (!name) throw this.syntax();
      e = { k: "var", name };
    } else {
      const start = this.i;
      while (this.peek() !== undefined && !WORD_STOP.has(this.peek()!)) {
        const d = this.peek()!;
        // `$`, `\` and `'` outside quotes are syntax errors (§3.3).
        if (d === "$" || d === "\\" || d === "'" || d === "\r" || d === "\n") throw this.syntax();
        this.i++;
      }
      if (this.i === start) throw this.syntax();
      e = { k: "lit", v: typeWord(this.src.slice(start, this.i)), col: start + 1 };
    }
    const d = this.peek();
    if (d !== undefined && !WORD_STOP.has(d) && d !== "]" && d !== "}" && d !== ")") throw this.syntax();
    if (d === '"' || d === "(" || d === "[" || d === "{") throw this.syntax();
    return e;
  }

  /** A double-quoted string (§3.3): escapes decode to bytes, the result is stored as UTF-8. */
  private quoted(ctx: MenuNode): Expr {
    this.i++;
    const parts: QuotedPart[] = [];
    let bytes: number[] = [];
    const flush = (): void => {
      if (bytes.length) parts.push(Buffer.from(bytes).toString("utf8"));
      bytes = [];
    };
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw this.syntax();
      if (c === '"') {
        this.i++;
        break;
      }
      // Literal newlines inside quotes work on telnet but are unverified over exec (§1.3) [I]: rejected.
      if (c === "\r" || c === "\n") throw this.syntax();
      if (c === "\\") {
        const n1 = this.peek(1);
        const n2 = this.peek(2);
        if (n1 !== undefined && n2 !== undefined && /[0-9A-F]/.test(n1) && /[0-9A-F]/.test(n2)) {
          bytes.push(parseInt(n1 + n2, 16));
          this.i += 3;
          continue;
        }
        if (n1 !== undefined && ESCAPES[n1] !== undefined) {
          bytes.push(ESCAPES[n1]);
          this.i += 2;
          continue;
        }
        throw this.syntax(); // unknown escape (§3.3)
      }
      if (c === "$") {
        if (this.peek(1) === "[") {
          this.i += 2;
          const body = this.statements(ctx, "]");
          this.expect("]");
          flush();
          parts.push({ sub: body });
          continue;
        }
        this.i++;
        const name = this.readWhile(VAR_CHAR);
        if (!name) throw this.syntax(this.i - 1); // a lone `$` [I]
        flush();
        parts.push({ var: name });
        continue;
      }
      const cp = this.src.codePointAt(this.i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, "utf8"));
      this.i += ch.length;
    }
    flush();
    return { k: "qstr", parts };
  }

  // ---- expressions --------------------------------------------------------------------------------------

  private keyword(word: string): boolean {
    if (this.src.startsWith(word, this.i) && !NAME_CHAR.test(this.src[this.i + word.length] ?? " ")) {
      this.i += word.length;
      return true;
    }
    return false;
  }

  /** `( )` expressions and, with `where`, where-expressions (§3.2): bare names are properties on the left. */
  private expr(ctx: MenuNode, where: boolean): Expr {
    let l = this.andExpr(ctx, where);
    for (;;) {
      this.ws();
      if (this.src.startsWith("||", this.i)) this.i += 2;
      else if (!this.keyword("or")) return l;
      l = { k: "bin", op: "||", a: l, b: this.andExpr(ctx, where) };
    }
  }

  private andExpr(ctx: MenuNode, where: boolean): Expr {
    let l = this.cmpExpr(ctx, where);
    for (;;) {
      this.ws();
      if (this.src.startsWith("&&", this.i)) this.i += 2;
      else if (!this.keyword("and")) return l;
      l = { k: "bin", op: "&&", a: l, b: this.cmpExpr(ctx, where) };
    }
  }

  private cmpExpr(ctx: MenuNode, where: boolean): Expr {
    this.ws();
    const l = this.concatExpr(ctx, where, where);
    this.ws();
    let op: string | undefined;
    for (const o of ["!=", "<=", ">=", "=", "<", ">", "~"]) {
      if (this.src.startsWith(o, this.i)) {
        op = o;
        this.i += o.length;
        break;
      }
    }
    if (!op && this.keyword("in")) op = "in";
    if (!op) return l;
    this.ws();
    const rStart = this.i;
    const r = this.concatExpr(ctx, where, false);
    // `.id=` needs an id literal: `[find .id=garbage]` → `expected item id` (§3.1, §4.1).
    if (where && l.k === "prop" && l.name === ".id" && r.k === "lit" && r.v.t !== "id") {
      throw this.err("expected item id", rStart);
    }
    return { k: "bin", op, a: l, b: r };
  }

  private concatExpr(ctx: MenuNode, where: boolean, asProp: boolean): Expr {
    let l = this.mulExpr(ctx, where, asProp);
    for (;;) {
      const save = this.i;
      this.ws();
      if (this.peek() === "." && !NAME_CHAR.test(this.peek(1) ?? " ")) {
        this.i++;
        this.ws();
        l = { k: "bin", op: ".", a: l, b: this.mulExpr(ctx, where, false) };
      } else if (this.peek() === "." && this.peek(1) === "$") {
        this.i++;
        l = { k: "bin", op: ".", a: l, b: this.mulExpr(ctx, where, false) };
      } else {
        this.i = save;
        return l;
      }
    }
  }

  /** Unquoted `/` and `:` are operators (§3.2): `192.168.1.1/24` unquoted is a division, not a prefix. */
  private mulExpr(ctx: MenuNode, where: boolean, asProp: boolean): Expr {
    let l = this.unary(ctx, where, asProp);
    while (this.peek() === "/" || (where && this.peek() === ":")) {
      const op = this.peek()!;
      this.i++;
      l = { k: "bin", op, a: l, b: this.unary(ctx, where, false) };
    }
    return l;
  }

  private unary(ctx: MenuNode, where: boolean, asProp: boolean): Expr {
    this.ws();
    const c = this.peek();
    if (c === "!" && this.peek(1) !== "=") {
      this.i++;
      return { k: "not", a: this.unary(ctx, where, asProp) };
    }
    if (c === "(") {
      this.i++;
      const e = this.expr(ctx, where);
      this.ws();
      this.expect(")");
      return e;
    }
    if (c === '"') return this.quoted(ctx);
    if (c === "[") {
      this.i++;
      const body = this.statements(ctx, "]");
      this.expect("]");
      return { k: "sub", body };
    }
    if (c === "$") {
      this.i++;
      const name = this.readWhile(VAR_CHAR);
      if (!name) throw this.syntax();
      return { k: "var", name };
    }
    const start = this.i;
    while (this.peek() !== undefined && /[A-Za-z0-9_.*-]/.test(this.peek()!)) {
      if (this.peek() === "." && !/[A-Za-z0-9_*-]/.test(this.peek(1) ?? " ") && this.i > start) break;
      this.i++;
    }
    const word = this.src.slice(start, this.i);
    // Nothing usable here: `'`, `\`, an operator without operand or the end of the line.
    if (!word) throw this.syntax();
    if (asProp) return { k: "prop", name: word };
    return { k: "lit", v: typeWord(word), col: start + 1 };
  }

  // ---- script commands ----------------------------------------------------------------------------------

  private scriptArgs(ctx: MenuNode, allowed: string[], positional: boolean): { named: Arg[]; pos?: Expr } {
    const named: Arg[] = [];
    let pos: Expr | undefined;
    for (;;) {
      this.ws();
      if (this.atEndOfCommand()) break;
      const start = this.i;
      if (NAME_CHAR.test(this.peek()!)) {
        const name = this.readWhile(NAME_CHAR);
        if (this.peek() === "=") {
          this.i++;
          if (!allowed.includes(name)) throw this.badParam(name, start);
          named.push({ name, value: this.argValue(ctx), col: start + 1 });
          continue;
        }
        this.i = start;
      }
      if (!positional || pos) throw this.expectedEnd(start);
      pos = this.value(ctx);
    }
    return { named, pos };
  }

  private blockOf(e: Expr | null | undefined): Stmt[] {
    if (!e) return [];
    return e.k === "block" ? e.body : [{ k: "expr", e }];
  }

  private scriptCommand(ctx: MenuNode): Stmt {
    this.i++;
    const start = this.i;
    const name = this.readWhile(NAME_CHAR);
    const optionalValue = (): Expr | undefined => {
      this.ws();
      return this.atEndOfCommand() ? undefined : this.value(ctx);
    };
    switch (name) {
      case "put":
        return { k: "put", e: optionalValue() };
      case "local":
      case "global":
      case "set": {
        this.ws();
        const v = this.readWhile(VAR_CHAR);
        if (!v) throw this.syntax();
        let e: Expr | undefined;
        if (this.peek() === "=") {
          this.i++;
          e = this.argValue(ctx);
        } else e = optionalValue();
        return name === "set" ? { k: "assign", name: v, e } : { k: "local", name: v, e };
      }
      case "onerror": {
        // `:onerror e in={ } do={ }` — 7.13+ (§4.2); the variable name comes first.
        this.ws();
        const v = this.readWhile(VAR_CHAR);
        if (!v) throw this.syntax();
        const { named } = this.scriptArgs(ctx, ["in", "do"], false);
        const body = named.find((a) => a.name === "in");
        if (!body) throw this.syntax();
        return {
          k: "onerror",
          name: v,
          body: this.blockOf(body.value),
          handler: this.blockOf(named.find((a) => a.name === "do")?.value),
        };
      }
      case "do": {
        const { named, pos } = this.scriptArgs(ctx, ["on-error", "command"], true);
        const body = pos ?? named.find((a) => a.name === "command")?.value;
        const handler = named.find((a) => a.name === "on-error");
        return { k: "do", body: this.blockOf(body), onError: handler ? this.blockOf(handler.value) : undefined };
      }
      case "if": {
        this.ws();
        const cond = this.value(ctx);
        const { named } = this.scriptArgs(ctx, ["do", "else"], false);
        const els = named.find((a) => a.name === "else");
        return {
          k: "if",
          cond,
          then: this.blockOf(named.find((a) => a.name === "do")?.value),
          else: els ? this.blockOf(els.value) : undefined,
        };
      }
      case "error":
        return { k: "error", e: optionalValue() };
      case "serialize": {
        // `options`, `delimiter`, `order` from 7.16, `file-name` from 7.18 (§2.3).
        const allowed = ["to", "value", "options", "delimiter", "order"];
        if (versionAtLeast(this.version, "7.18")) allowed.push("file-name");
        const { named, pos } = this.scriptArgs(ctx, allowed, true);
        if (pos) named.push({ name: "value", value: pos, col: 0 });
        return { k: "serialize", args: named };
      }
      case "typeof":
      case "len":
      case "tostr":
        return { k: name, e: optionalValue() };
      default:
        throw this.err(`bad command name ${name}`, start);
    }
  }
}

export function parseLine(src: string, version: string, root: MenuNode): Stmt[] {
  return new Parser(src, version, root).parseLine();
}
