/**
 * A small FAKE RouterOS for driver unit tests: understands exactly the console subset routeros-cli.md documents
 * for the envelope (§4.2, T9), add/set/remove (§3.1, T2/T3), JSON reads (§2.3, T6) and the version probe (T1),
 * with parse errors aborting the whole line (T10) and runtime errors caught by `:onerror`. Variation switches
 * cover the formats the reference marks [I]: floats for integers, clock durations, `null` for unset.
 * It is not the lab emulator (tests/lab/routeros); it exists so driver tests run without it.
 */
import { CliSyntaxError, tokenize, type Token } from "./cli-decoder";

type Kind = "text" | "int" | "bool" | "list" | "duration" | "flag";

interface MenuDef {
  props: Record<string, Kind>;
  /** Values shown by print when never set. */
  defaults?: Record<string, string>;
  /** Read-only props the fake adds on every row. */
  readOnly?: Record<string, unknown>;
  /** References: prop → menu whose `name` must match (runtime error otherwise). */
  refs?: Record<string, string>;
  unique?: "name";
}

const COMMON: Record<string, Kind> = { comment: "text", disabled: "bool" };

export const MENUS: Record<string, MenuDef> = {
  "/ip/route": {
    props: {
      ...COMMON,
      "dst-address": "text",
      gateway: "text",
      distance: "int",
      "check-gateway": "text",
      scope: "int",
      "target-scope": "int",
      "routing-table": "text",
      blackhole: "flag",
    },
    defaults: { distance: "1", scope: "30", "target-scope": "10", "routing-table": "main", disabled: "no" },
    readOnly: { active: true, static: true, dynamic: false },
  },
  "/ipv6/route": {
    props: {
      ...COMMON,
      "dst-address": "text",
      gateway: "text",
      distance: "int",
      "check-gateway": "text",
      scope: "int",
      "target-scope": "int",
      "routing-table": "text",
      blackhole: "flag",
    },
    defaults: { distance: "1", scope: "30", "target-scope": "10", "routing-table": "main", disabled: "no" },
    readOnly: { active: true },
  },
  "/ip/firewall/nat": {
    props: {
      ...COMMON,
      chain: "text",
      action: "text",
      "out-interface": "text",
      "out-interface-list": "text",
      "src-address": "text",
      "dst-address": "text",
      protocol: "text",
      "to-addresses": "text",
      "to-ports": "text",
    },
    defaults: { disabled: "no" },
    readOnly: { dynamic: false, invalid: false },
  },
  "/routing/bgp/instance": {
    props: { ...COMMON, name: "text", as: "int", "router-id": "text" },
    defaults: { disabled: "no" },
    unique: "name",
  },
  "/routing/bgp/connection": {
    props: {
      ...COMMON,
      name: "text",
      instance: "text",
      as: "int",
      "remote.address": "text",
      "remote.as": "int",
      "local.address": "text",
      "local.role": "text",
      "nexthop-choice": "text",
      "output.redistribute": "list",
      "output.default-originate": "text",
      "hold-time": "duration",
      "keepalive-time": "duration",
      multihop: "bool",
      templates: "list",
      "input.filter": "text",
      "output.filter-chain": "text",
      "use-bfd": "bool",
    },
    defaults: {
      disabled: "no",
      templates: "default",
      "hold-time": "3m",
      multihop: "no",
      "use-bfd": "no",
      "nexthop-choice": "default",
      "output.default-originate": "never",
    },
    refs: { instance: "/routing/bgp/instance" },
    unique: "name",
  },
};

export interface FakeOptions {
  version?: string;
  /** Integers serialised as `1.000000` (§2.3 [V]). */
  floats?: boolean;
  /** Durations serialised as `00:00:30` instead of `30s` [I]. */
  clockDurations?: boolean;
  /** Unset properties serialised as `null` instead of left out [I]. */
  nulls?: boolean;
  /** An async log echo line (§1.1) printed before the output. */
  echo?: boolean;
}

interface Row {
  id: number;
  props: Record<string, string>;
}

class Runtime extends Error {}
class Parse extends Error {}

type Stmt =
  | { k: "put"; text: string }
  | { k: "putErr"; prefix: string }
  | { k: "putCmd"; cmd: Cmd }
  | { k: "onerror"; body: Stmt[]; handler: Stmt[] }
  | { k: "cmd"; cmd: Cmd };

type Cmd =
  | { k: "add" | "set"; menu: string; id?: string; args: [string, string | null][] }
  | { k: "remove"; menu: string; id: string }
  /** `where` as alternatives (`a || b`): a row matches when any term does. */
  | { k: "print"; menu: string; where?: [string, string, string][] }
  | { k: "version" };

/** The fake device: `run(line)` returns stdout as RouterOS would print it (CRLF). */
export class FakeRouterOs {
  readonly log: string[] = [];
  private readonly tables = new Map<string, Row[]>();
  private nextId = 1;

  constructor(readonly opts: FakeOptions = {}) {}

  rows(menu: string): Record<string, string>[] {
    return (this.tables.get(menu) ?? []).map((r) => ({ ".id": fmtId(r.id), ...r.props }));
  }

  /** Out-of-band edit, as an admin would do on the console. */
  edit(menu: string, match: (props: Record<string, string>) => boolean, change: Record<string, string | null>): void {
    for (const r of this.tables.get(menu) ?? []) {
      if (!match(r.props)) continue;
      for (const [k, v] of Object.entries(change))
        if (v === null) delete r.props[k];
        else r.props[k] = v;
    }
  }

  /** Seeds an item without going through the CLI (admin-created objects, duplicates). */
  seed(menu: string, props: Record<string, string>): string {
    const id = this.nextId++;
    this.table(menu).push({ id, props: { ...props } });
    return fmtId(id);
  }

  /** Renumbers every id, as after a reboot [I]. */
  renumber(): void {
    for (const rows of this.tables.values()) for (const r of rows) r.id += 0x100;
    this.nextId += 0x100;
  }

  run(line: string): string {
    this.log.push(line);
    const out: string[] = this.opts.echo
      ? ["17:20:06 echo: system,error,critical login failure for user admin from 192.0.2.9 via ssh"]
      : [];
    let stmts: Stmt[];
    try {
      stmts = new Parser(line).line();
    } catch (e) {
      if (e instanceof Parse || e instanceof CliSyntaxError) return `${e.message}\r\n`;
      throw e;
    }
    try {
      this.exec(stmts, out, "");
    } catch (e) {
      if (!(e instanceof Runtime)) throw e;
      out.push(e.message);
    }
    return out.map((l) => l + "\r\n").join("");
  }

  private table(menu: string): Row[] {
    let t = this.tables.get(menu);
    if (!t) this.tables.set(menu, (t = []));
    return t;
  }

  private exec(stmts: Stmt[], out: string[], err: string): void {
    for (const s of stmts) {
      if (s.k === "put") out.push(s.text);
      else if (s.k === "putErr") out.push(s.prefix + err);
      else if (s.k === "putCmd") out.push(this.cmd(s.cmd));
      else if (s.k === "cmd") this.cmd(s.cmd);
      else {
        try {
          this.exec(s.body, out, err);
        } catch (e) {
          if (!(e instanceof Runtime)) throw e;
          this.exec(s.handler, out, e.message);
        }
      }
    }
  }

  private cmd(c: Cmd): string {
    if (c.k === "version") return this.opts.version ?? "7.20.8 (stable)";
    const def = MENUS[c.menu];
    const rows = this.table(c.menu);
    if (c.k === "print") {
      const sel = rows.filter((r) => !c.where || c.where.some((w) => matches(r, w)));
      return "[" + sel.map((r) => this.json(def, r)).join(",") + "]";
    }
    if (c.k === "remove") {
      const i = rows.findIndex((r) => fmtId(r.id) === c.id);
      if (i < 0) throw new Runtime("no such item");
      rows.splice(i, 1);
      return "";
    }
    const row = c.k === "add" ? { id: 0, props: {} as Record<string, string> } : rows.find((r) => fmtId(r.id) === c.id);
    if (!row) throw new Runtime("no such item");
    const next = { ...row.props };
    for (const [k, v] of c.args) {
      if (v === null) delete next[k];
      else next[k] = def.props[k] === "bool" ? normBool(k, v) : v;
    }
    for (const [p, menu] of Object.entries(def.refs ?? {})) {
      if (next[p] !== undefined && !this.table(menu).some((r) => r.props.name === next[p]))
        throw new Runtime(`input does not match any value of ${p}`);
    }
    if (def.unique && rows.some((r) => r !== row && r.props.name === next.name))
      throw new Runtime("failure: already have entry with such name");
    row.props = next;
    if (c.k === "add") {
      row.id = this.nextId++;
      rows.push(row);
    }
    return c.k === "add" ? fmtId(row.id) : "";
  }

  private json(def: MenuDef, r: Row): string {
    const parts: string[] = [`".id":${JSON.stringify(fmtId(r.id))}`];
    const all = { ...(def.defaults ?? {}), ...r.props };
    const keys = new Set([...Object.keys(def.props), ...Object.keys(def.readOnly ?? {})]);
    for (const k of [...keys].sort()) {
      if (k in (def.readOnly ?? {})) {
        parts.push(`${JSON.stringify(k)}:${JSON.stringify(def.readOnly![k])}`);
        continue;
      }
      const kind = def.props[k];
      const v = all[k];
      if (kind === "flag") {
        if (v !== undefined) parts.push(`${JSON.stringify(k)}:true`);
        continue;
      }
      if (v === undefined) {
        if (this.opts.nulls) parts.push(`${JSON.stringify(k)}:null`);
        continue;
      }
      parts.push(`${JSON.stringify(k)}:${this.jsonValue(kind, v)}`);
    }
    return "{" + parts.join(",") + "}";
  }

  private jsonValue(kind: Kind, v: string): string {
    if (kind === "int") return this.opts.floats ? `${v}.000000` : v;
    if (kind === "bool") return v === "yes" ? "true" : "false";
    if (kind === "list") return JSON.stringify(v === "" ? [] : v.split(","));
    if (kind === "duration" && this.opts.clockDurations) {
      const s = secondsOf(v);
      const p = (n: number) => String(n).padStart(2, "0");
      return JSON.stringify(`${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`);
    }
    return JSON.stringify(v);
  }
}

function secondsOf(v: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
  if (!m) throw new Error(`fake: duration ${v}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function normBool(k: string, v: string): string {
  if (v !== "yes" && v !== "no") throw new Runtime(`invalid value for argument ${k}`);
  return v;
}

function fmtId(n: number): string {
  return `*${n.toString(16).toUpperCase()}`;
}

function matches(r: Row, w?: [string, string, string]): boolean {
  if (!w) return true;
  const [prop, op, val] = w;
  if (prop === ".id") return fmtId(r.id) === val;
  const have = r.props[prop];
  if (op === "=") return have === val;
  return have !== undefined && new RegExp(val).test(have);
}

/** Recursive-descent parser of the envelope subset; throws Parse with RouterOS-like texts. */
class Parser {
  private i = 0;
  private readonly toks: Token[];

  constructor(private readonly src: string) {
    this.toks = tokenize(src);
  }

  line(): Stmt[] {
    const s = this.stmts();
    if (this.i < this.toks.length) this.fail("expected end of command");
    return s;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private fail(msg: string, tok = this.peek()): never {
    throw new Parse(`${msg} (line 1 column ${(tok?.pos ?? this.src.length) + 1})`);
  }

  private expect(t: Token["t"], v?: string): Token {
    const tok = this.peek();
    if (!tok || tok.t !== t || (v !== undefined && tok.v !== v)) this.fail("syntax error");
    this.i++;
    return tok;
  }

  private stmts(): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      const tok = this.peek();
      if (!tok || tok.v === "}") return out;
      out.push(this.stmt());
      if (this.peek()?.v === ";") this.i++;
      else return out;
    }
  }

  private stmt(): Stmt {
    const tok = this.expect("word");
    if (tok.v === ":put") {
      const n = this.peek();
      if (n?.t === "str") {
        this.i++;
        return { k: "put", text: n.v };
      }
      if (n?.v === "(") {
        this.i++;
        const prefix = this.expect("str").v;
        this.expect("word", ".");
        this.expect("word", "$e");
        this.expect("punct", ")");
        return { k: "putErr", prefix };
      }
      this.expect("punct", "[");
      const cmd = this.cmd();
      this.expect("punct", "]");
      return { k: "putCmd", cmd };
    }
    if (tok.v === ":onerror") {
      this.expect("word", "e");
      this.expect("word", "in=");
      this.expect("punct", "{");
      const body = this.stmts();
      this.expect("punct", "}");
      this.expect("word", "do=");
      this.expect("punct", "{");
      const handler = this.stmts();
      this.expect("punct", "}");
      return { k: "onerror", body, handler };
    }
    this.i--;
    return { k: "cmd", cmd: this.cmd() };
  }

  private cmd(): Cmd {
    const tok = this.expect("word");
    if (tok.v === ":serialize") {
      this.expect("word", "to=json");
      this.expect("word", "options=json.no-string-conversion");
      this.expect("punct", "[");
      const p = this.expect("word");
      const m = /^(.*)\/print$/.exec(p.v);
      if (!m || !MENUS[m[1]]) this.fail(`bad command name ${p.v.split("/").pop()}`, p);
      this.expect("word", "detail");
      this.expect("word", "as-value");
      let where: [string, string, string][] | undefined;
      if (this.peek()?.v === "where") {
        this.i++;
        where = [];
        // Terms joined by `||`, each optionally in parentheses: the subset the codec writes for `or`.
        for (;;) {
          const paren = this.peek()?.v === "(";
          if (paren) this.i++;
          const w = this.expect("word");
          const idm = /^\.id=(\*[0-9A-F]+)$/.exec(w.v);
          if (idm) where.push([".id", "=", idm[1]]);
          else {
            const pm = /^([a-z.-]+)([=~])$/.exec(w.v);
            if (!pm) this.fail("syntax error", w);
            where.push([pm[1], pm[2], this.expect("str").v]);
          }
          if (paren) this.expect("punct", ")");
          if (this.peek()?.v !== "||") break;
          this.i++;
        }
      }
      this.expect("punct", "]");
      return { k: "print", menu: m[1], where };
    }
    if (tok.v === "/system/resource/get") {
      this.expect("word", "version");
      return { k: "version" };
    }
    const m = /^(\/[a-z0-9/-]+)\/(add|set|remove)$/.exec(tok.v);
    if (!m || !MENUS[m[1]]) this.fail(`bad command name ${tok.v.split("/").pop()}`, tok);
    const [, menu, verb] = m;
    if (verb === "remove") return { k: "remove", menu, id: this.expect("word").v };
    const id = verb === "set" ? this.expect("word").v : undefined;
    const args: [string, string | null][] = [];
    for (;;) {
      const a = this.peek();
      if (!a || a.t !== "word") break;
      this.i++;
      let name: string;
      let value: string | null;
      if (a.v.startsWith("!")) {
        name = a.v.slice(1);
        value = null;
      } else if (a.v.endsWith("=")) {
        name = a.v.slice(0, -1);
        // §3.1: a bare `prop=` followed by another argument is a parse error.
        const v = this.peek();
        if (!v || v.t !== "str") this.fail("expected end of command", v);
        this.i++;
        value = v.v;
      } else {
        name = a.v;
        value = "";
      }
      const kind = MENUS[menu].props[name];
      if (!kind) this.fail(`bad parameter ${name}`, a);
      // §3.1: presence flags are bare words (`fib=yes` is refused); other properties need a value.
      if (kind === "flag" ? a.v.endsWith("=") : !a.v.startsWith("!") && !a.v.endsWith("="))
        this.fail("syntax error", a);
      args.push([name, value]);
    }
    return { k: verb as "add" | "set", menu, id, args };
  }
}
