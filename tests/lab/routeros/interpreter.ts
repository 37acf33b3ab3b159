/**
 * Runs one parsed command line: statements in order until the end or an uncaught runtime error, which prints
 * its message and stops the line (routeros-cli.md §4.2, T8). `:onerror e in={…} do={…}` puts the message into
 * `$e` (T9 [I: message content]); `:do {…} on-error={…}` catches without a message. Output lines end in CRLF
 * (§1.1).
 */
import { menuSchema } from "./schema";
import type { CmdStmt, Expr, Stmt } from "./ast";
import { MenuCommands, type Where } from "./commands";
import { CliParseError, CliRuntimeError, rt } from "./errors";
import * as human from "./human";
import { parsePrefix, prefixContains } from "./ipaddr";
import { WRITE_VERBS } from "./menus";
import { buildMenuTree, parseLine, type MenuNode } from "./parser";
import type { RowOptions } from "./rows";
import { wgGenerateKey } from "./menus-vpn";
import { rowValue } from "./rows";
import { toDsv, toJson } from "./serialize";
import type { Item, RouterState } from "./state";
import { NIL, toText, truthy, type Value } from "./values";

/**
 * Switchable behaviours the reference marks as inferred or unverified [I] (DESIGN.md "Ground truth": the provider
 * must be correct under each). Each is off by default (the lab's default reading of the reference).
 */
export interface Variation {
  /** §2.3: integers serialised as floats (`2048.000000`). */
  floatIntegers?: boolean;
  /** §2.3: durations as `00:00:30` instead of `30s`. */
  clockDurations?: boolean;
  /** §2.3: unset properties picked from a row as `null` instead of missing. */
  nullForUnset?: boolean;
  /** A `/system/scheduler` job added without `start-time` runs at once (then every interval), not one interval later (scheduler.ts). */
  schedulerRunsAtOnce?: boolean;
  /**
   * A `/system/scheduler` job gets its start (when added without `start-time`) and its `next-run` when the exec
   * line ends, not in the `add` itself: a later `print` on the same line shows neither (scheduler.ts) [I].
   */
  schedulerAnchoredAtLineEnd?: boolean;
  /**
   * SSH server only (server.ts, with `managementAddress`): a change that cuts the management path also ends the
   * connections already open — the exec that made it gets no reply, and any other open connection is dropped at
   * its next exec. Default: only new connections are refused (reachability.ts). Which of the two a given cut does
   * on RouterOS is [I] (an `accept established` rule, the kind of cut, the client's TCP state).
   */
  cutEndsLiveSessions?: boolean;
  /** §0 item 10 / §9 item 5: secrets masked in print (7.21+, no `show-sensitive`) as `*****` instead of left out. */
  secretsMaskedAsText?: boolean;
  /**
   * §2.3 / §3.3: non-ASCII inside `:serialize to=json` returned escaped, one escape per UTF-8 byte: `json` as
   * `\u00XX` (valid JSON, each byte a code point), `routeros` as RouterOS's own `\XX` (not valid JSON).
   */
  nonAsciiEscaped?: "json" | "routeros";
  /** §5.11: `/interface/wireguard/add` without `private-key` generates one (the device's key) [D], as on RouterOS. */
  wireguardGeneratesKeys?: boolean;
  /**
   * §1.1: an async log echo (the default logging rule echoes `critical` topics into open terminals) arrives
   * before the output. Seen in console output [V]; whether exec channels get it is inferred [I].
   */
  logEcho?: boolean;
}

/** §1.1's captured echo line (cli.ts prints it before each exec's output under `logEcho`). */
export const LOG_ECHO = "17:20:06 echo: system,error,critical login failure for user admin from 192.0.2.9 via ssh\r\n";

class Scope {
  private readonly vars = new Map<string, Value>();
  constructor(private readonly parent?: Scope) {}
  lookup(name: string): Value | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }
  define(name: string, v: Value): void {
    this.vars.set(name, v);
  }
  assign(name: string, v: Value): void {
    // Walks the scope chain outwards, starting with this scope.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.vars.has(name)) {
        s.vars.set(name, v);
        return;
      }
    }
    this.vars.set(name, v);
  }
}

class Output {
  text = "";
  /** `:put` and print lines: embedded newlines become CRLF, every line ends with CRLF. */
  line(s: string): void {
    this.text += `${s.replace(/\r?\n/g, "\r\n")}\r\n`;
  }
}

interface Ctx {
  scope: Scope;
  out: Output;
  /** Inside `[ ]`: commands return values instead of printing. */
  inSub: boolean;
}

const SERIALIZE_OPTIONS = [
  "json.pretty",
  "json.no-string-conversion",
  "dsv.wrap-strings",
  "dsv.ignore-size",
  "dsv.remap",
];

export class Interpreter {
  private readonly tree: MenuNode;
  private readonly cmds: MenuCommands;
  private onWrite?: (entry: string) => void;

  constructor(
    readonly state: RouterState,
    private readonly variation: Variation = {},
  ) {
    this.tree = buildMenuTree(state.version);
    this.cmds = new MenuCommands(state);
  }

  /** Run one exec line and return its exact stdout; `onWrite` receives each successful write command. */
  run(line: string, onWrite?: (entry: string) => void): string {
    let stmts: Stmt[];
    try {
      stmts = parseLine(line, this.state.version, this.tree);
    } catch (e) {
      if (e instanceof CliParseError) return `${e.message}\r\n`;
      throw e;
    }
    const out = new Output();
    this.onWrite = onWrite;
    try {
      this.block(stmts, { scope: new Scope(), out, inSub: false });
    } catch (e) {
      if (!(e instanceof CliRuntimeError)) throw e;
      out.line(e.message);
    } finally {
      this.onWrite = undefined;
      this.state.syncDynamic();
    }
    return out.text;
  }

  private block(stmts: Stmt[], ctx: Ctx): Value {
    let last: Value = NIL;
    for (const s of stmts) last = this.stmt(s, ctx);
    return last;
  }

  private child(ctx: Ctx, inSub = ctx.inSub): Ctx {
    return { scope: new Scope(ctx.scope), out: ctx.out, inSub };
  }

  private fmt(): { clockDurations?: boolean } {
    return { clockDurations: this.variation.clockDurations };
  }

  private stmt(s: Stmt, ctx: Ctx): Value {
    switch (s.k) {
      case "put":
        ctx.out.line(s.e ? toText(this.eval(s.e, ctx), this.fmt()) : "");
        return NIL;
      case "local":
        ctx.scope.define(s.name, s.e ? this.eval(s.e, ctx) : NIL);
        return NIL;
      case "assign":
        ctx.scope.assign(s.name, s.e ? this.eval(s.e, ctx) : NIL);
        return NIL;
      case "onerror":
        try {
          this.block(s.body, this.child(ctx));
          return { t: "bool", v: false };
        } catch (e) {
          if (!(e instanceof CliRuntimeError)) throw e;
          const h = this.child(ctx);
          h.scope.define(s.name, { t: "str", v: e.message });
          this.block(s.handler, h);
          return { t: "bool", v: true };
        }
      case "do":
        try {
          return this.block(s.body, this.child(ctx));
        } catch (e) {
          if (!(e instanceof CliRuntimeError) || !s.onError) throw e;
          this.block(s.onError, this.child(ctx));
          return NIL;
        }
      case "if":
        if (truthy(this.eval(s.cond, ctx))) return this.block(s.then, this.child(ctx));
        return s.else ? this.block(s.else, this.child(ctx)) : NIL;
      case "error":
        throw rt(s.e ? toText(this.eval(s.e, ctx), this.fmt()) : "");
      case "serialize":
        return this.serialize(s.args.map((a) => [a.name, a.value ? this.eval(a.value, ctx) : NIL]));
      case "typeof": {
        const v = s.e ? this.eval(s.e, ctx) : NIL;
        const names: Record<string, string> = { arr: "array", map: "array", opaque: "nil" };
        return { t: "str", v: names[v.t] ?? v.t };
      }
      case "len": {
        const v = s.e ? this.eval(s.e, ctx) : NIL;
        return { t: "num", v: v.t === "arr" || v.t === "map" ? v.v.length : toText(v).length };
      }
      case "tostr":
        return { t: "str", v: s.e ? toText(this.eval(s.e, ctx), this.fmt()) : "" };
      case "block":
        return this.block(s.body, this.child(ctx));
      case "expr":
        return this.eval(s.e, ctx);
      case "nop":
        return NIL;
      case "cmd":
        return this.command(s, ctx);
    }
  }

  private serialize(args: [string, Value][]): Value {
    const arg = (n: string): Value | undefined => args.find(([k]) => k === n)?.[1];
    const to = arg("to") ? toText(arg("to")!) : "";
    if (to !== "json" && to !== "dsv") throw rt("input does not match any value of to");
    const options = arg("options") ? toText(arg("options")!, {}, true).split(",").filter(Boolean) : [];
    for (const o of options) if (!SERIALIZE_OPTIONS.includes(o)) throw rt("input does not match any value of options");
    const value = arg("value") ?? NIL;
    if (to === "json") {
      // json.pretty is accepted but its layout is unverified, so output stays compact [I].
      return {
        t: "str",
        v: toJson(value, {
          noStringConversion: options.includes("json.no-string-conversion"),
          floatIntegers: this.variation.floatIntegers,
          clockDurations: this.variation.clockDurations,
          nonAsciiEscaped: this.variation.nonAsciiEscaped,
        }),
      };
    }
    const delimiter = arg("delimiter") ? toText(arg("delimiter")!) : ",";
    return { t: "str", v: toDsv(value, delimiter, options.includes("dsv.remap"), this.fmt()) };
  }

  // ---- expressions ----------------------------------------------------------------------------------------

  private eval(e: Expr, ctx: Ctx): Value {
    switch (e.k) {
      case "lit":
        return e.v;
      case "qstr":
        return {
          t: "str",
          v: e.parts
            .map((p) =>
              typeof p === "string"
                ? p
                : "var" in p
                  ? toText(ctx.scope.lookup(p.var) ?? NIL, this.fmt())
                  : toText(this.block(p.sub, this.child(ctx, true)), this.fmt()),
            )
            .join(""),
        };
      case "var":
        return ctx.scope.lookup(e.name) ?? NIL;
      case "sub":
        return this.block(e.body, this.child(ctx, true));
      case "block":
        return this.block(e.body, this.child(ctx));
      case "not":
        return { t: "bool", v: !truthy(this.eval(e.a, ctx)) };
      case "prop":
        return NIL;
      case "bin":
        if (e.op === "&&") return { t: "bool", v: truthy(this.eval(e.a, ctx)) && truthy(this.eval(e.b, ctx)) };
        if (e.op === "||") return { t: "bool", v: truthy(this.eval(e.a, ctx)) || truthy(this.eval(e.b, ctx)) };
        return this.binary(e.op, this.eval(e.a, ctx), this.eval(e.b, ctx));
    }
  }

  private binary(op: string, a: Value, b: Value): Value {
    const bool = (v: boolean): Value => ({ t: "bool", v });
    switch (op) {
      case ".":
        return { t: "str", v: toText(a, this.fmt()) + toText(b, this.fmt()) };
      case "/":
        if (a.t === "num" && b.t === "num" && b.v !== 0) return { t: "num", v: Math.trunc(a.v / b.v) };
        return { t: "opaque", prefix: `${toText(a)}/${toText(b)}` };
      case ":":
        return { t: "opaque" };
      default:
        return bool(compare(op, a, b));
    }
  }

  /** Where-expressions (§3.2): properties of the row on the left, literals on the right. */
  private where(e: Expr | undefined, ctx: Ctx, menu: CmdStmt["menu"]): Where {
    if (!e) return () => true;
    const val = (x: Expr, item: Item): Value | undefined =>
      x.k === "prop" ? rowValue(this.state, menu, item, x.name) : this.eval(x, ctx);
    const test = (x: Expr, item: Item): boolean => {
      if (x.k === "prop") return truthy(rowValue(this.state, menu, item, x.name));
      if (x.k === "not") return !test(x.a, item);
      if (x.k === "bin" && x.op === "&&") return test(x.a, item) && test(x.b, item);
      if (x.k === "bin" && x.op === "||") return test(x.a, item) || test(x.b, item);
      if (x.k === "bin" && ["=", "!=", "<", ">", "<=", ">=", "~", "in"].includes(x.op)) {
        return compare(x.op, val(x.a, item), val(x.b, item) ?? NIL);
      }
      return truthy(this.eval(x, ctx));
    };
    return (item) => test(e, item);
  }

  // ---- menu commands --------------------------------------------------------------------------------------

  private command(s: CmdStmt, ctx: Ctx): Value {
    const pos = (n: string): Value | undefined => {
      const e = s.positional.get(n);
      return e ? this.eval(e, ctx) : undefined;
    };
    const named: [string, Value][] = s.named.map((a) => [a.name, a.value ? this.eval(a.value, ctx) : NIL]);
    const rowOpts: RowOptions = {
      detail: s.flags.includes("detail"),
      showSensitive: s.flags.includes("show-sensitive"),
      nullForUnset: !!this.variation.nullForUnset,
      maskedAsText: !!this.variation.secretsMaskedAsText,
    };
    let result: Value = NIL;
    switch (s.verb) {
      case "add":
        result = this.cmds.add(s.menu, named, s.flags);
        if (this.variation.wireguardGeneratesKeys && s.menu.path === "/interface/wireguard" && result.t === "id") {
          const id = result.v;
          const item = this.state.items(s.menu).find((i) => i.id === id);
          // §5.11: "private-key (auto-generated if omitted)" [D]: the device's own key, random like `wg genkey`.
          if (item && item.props["private-key"] === undefined) item.props["private-key"] = wgGenerateKey();
        }
        break;
      case "set":
        this.cmds.set(s.menu, pos("numbers"), named, s.flags, s.unsets);
        break;
      case "unset":
        this.cmds.unset(s.menu, pos("numbers"), pos("value-name"));
        break;
      case "remove":
        this.cmds.remove(s.menu, pos("numbers"));
        break;
      case "enable":
      case "disable":
        this.cmds.enable(s.menu, pos("numbers"), s.verb === "disable");
        break;
      case "move":
        this.cmds.move(s.menu, pos("numbers"), pos("destination"));
        break;
      case "get":
        return this.cmds.get(s.menu, pos("numbers"), pos("value-name"), rowOpts);
      case "find":
        return this.cmds.find(s.menu, this.where(s.where, ctx, s.menu));
      case "print":
        return this.print(s, ctx, named, rowOpts);
    }
    if (WRITE_VERBS.has(s.verb)) this.onWrite?.(`${s.menu.path}/${s.verb}${s.argText ? ` ${s.argText}` : ""}`);
    return result;
  }

  /**
   * `print`: `as-value` returns rows and prints nothing (§2.2); `count-only` prints a bare number or returns it
   * inside `[ ]` (§3.1 count); otherwise the human format is printed. A singleton serialises as a bare object.
   */
  private print(s: CmdStmt, ctx: Ctx, named: [string, Value][], rowOpts: RowOptions): Value {
    const where = this.where(s.where, ctx, s.menu);
    const proplistArg = named.find(([n]) => n === "proplist");
    const proplist = proplistArg ? toText(proplistArg[1], {}, true).split(",") : undefined;
    // Human print shows every property; as-value without `detail` only the summary columns (§2.2).
    const asValue = s.flags.includes("as-value");
    const opts = s.menu.singleton || !asValue ? { ...rowOpts, detail: true } : rowOpts;
    const rows = this.cmds.rows(s.menu, where, opts, proplist);
    if (s.flags.includes("count-only")) {
      const n: Value = { t: "num", v: rows.length };
      if (s.flags.includes("as-value") || ctx.inSub) return n;
      ctx.out.line(String(rows.length));
      return NIL;
    }
    if (s.flags.includes("as-value")) return s.menu.singleton ? rows[0] : { t: "arr", v: rows };
    const order = menuSchema(s.menu, this.state.version).props.map((p) => p.name);
    const lines = s.menu.singleton
      ? human.printSingleton(rows[0], order, this.fmt())
      : human.printList(rows, this.fmt());
    for (const l of lines) ctx.out.line(l);
    return NIL;
  }
}

/** Comparison in expressions and where-clauses. Booleans compare with `yes`/`no` only (§3.2) [I: `=false`
 *  "refused" is modelled as matching nothing]. An opaque value (unquoted `/`, `:`) equals nothing. */
export function compare(op: string, a: Value | undefined, b: Value): boolean {
  const text = (v: Value | undefined): string =>
    v === undefined ? "" : v.t === "bool" ? (v.v ? "yes" : "no") : toText(v, {}, true);
  if (op === "in") {
    const outer = parsePrefix(b.t === "opaque" ? (b.prefix ?? "") : text(b));
    const inner = parsePrefix(text(a));
    return !!outer && !!inner && prefixContains(outer, inner);
  }
  if (b.t === "opaque") return op === "!=";
  if (a?.t === "bool" && b.t === "bool") return op === "!=";
  const l = text(a);
  const r = text(b);
  switch (op) {
    case "=":
      return l === r;
    case "!=":
      return l !== r;
    case "~":
      try {
        return new RegExp(r).test(l);
      } catch {
        return false;
      }
    default: {
      const ln = Number(l);
      const rn = Number(r);
      const both = l !== "" && r !== "" && !isNaN(ln) && !isNaN(rn);
      const c = both ? ln - rn : l < r ? -1 : l > r ? 1 : 0;
      return op === "<" ? c < 0 : op === ">" ? c > 0 : op === "<=" ? c <= 0 : c >= 0;
    }
  }
}

export { CliParseError };
