/**
 * The emulator against RouterOS's own argument catalogue (provider/routeros/catalogue.ts, from `/console/inspect`
 * of 7.16, 7.19, 7.20 and 7.23; docs/reference/routeros-schema.md): every emulated menu × every catalogued
 * version. Every argument the catalogue lists for `add`/`set` is accepted with a plausible value (made from the
 * property's type, creating whatever it must reference); every name the catalogue lacks for that menu, verb and
 * version — a misspelling, an argument of another version or of the other verb, a read-only or hand-written name —
 * gets RouterOS's unknown-parameter error (`bad parameter X` from 7.23, `syntax error` before; routeros-cli.md
 * §4.1, T10). Names come from the catalogue and the menu definitions, so menus added later are walked too.
 */
import { CATALOGUE, CATALOGUE_VERSIONS, COMMAND_ARGS } from "../../../provider/routeros/catalogue";
import { createConsole, type RouterOsConsole, type RouterOsVersion } from "./cli";
import { MENUS, menuByPath, type MenuDef } from "./menus";
import { wgGenerateKey } from "./menus-vpn";
import type { PropDef } from "./props";
import { menuExists, menuSchema } from "./schema";
import { versionAtLeast } from "./props";

const CRLF = "\r\n";
const WG_KEY = wgGenerateKey();

/** Emulated menus RouterOS's catalogue does not cover: the `/interface` view and read-mostly system menus. */
const NOT_CATALOGUED = ["/interface", "/system/clock", "/system/note", "/system/resource"];

const catalogued = MENUS.filter((m) => CATALOGUE[m.path]);

/** Makes plausible argument values on one console, creating referenced items on demand. */
class Samples {
  private n = 0;
  constructor(
    private readonly c: RouterOsConsole,
    private readonly version: string,
  ) {}

  unique(): string {
    return `lab${++this.n}`;
  }

  private iface(): string {
    return String(this.c.state.items(menuByPath("/interface/ethernet")!)[0].props.name);
  }

  /** The name of an item of `path`: an existing named one, else one added with its required arguments. */
  item(path: string): string {
    const menu = menuByPath(path)!;
    const named = this.c.state.items(menu).find((i) => typeof i.props.name === "string");
    if (named) return String(named.props.name);
    const name = this.unique();
    const out = this.c.run(`/${path.slice(1)}/add ${this.args(menu, { name }).join(" ")}`);
    if (out !== "") throw new Error(`cannot create an item of ${path}: ${out}`);
    return name;
  }

  /** `name=value` words for the required arguments of `add`, overridden by `extra`. */
  args(menu: MenuDef, extra: Record<string, string | undefined> = {}): string[] {
    const schema = menuSchema(menu, this.version);
    const words = new Map<string, string | undefined>();
    for (const p of schema.props) if (p.required && schema.add.has(p.name)) words.set(p.name, this.value(p));
    if (menu.named && schema.add.has("name") && !("name" in extra)) words.set("name", this.unique());
    for (const [k, v] of Object.entries(extra)) if (schema.add.has(k)) words.set(k, v);
    return [...words].map(([k, v]) => (v === undefined ? k : `${k}="${v}"`));
  }

  /** A value the property's type accepts; undefined for a presence flag (a bare word). */
  value(p: PropDef): string | undefined {
    if (p.name === "name") return this.unique();
    const t = p.type;
    switch (t.kind) {
      case "string":
        return t.max !== undefined && t.max < 3 ? "x" : "lab";
      case "int":
        return String(t.min);
      case "bool":
        return "yes";
      case "flag":
        return undefined;
      case "enum":
      case "enumList":
        return t.values[0];
      case "duration": {
        const s = Math.min(t.min ?? 10, t.max ?? Infinity);
        return `${s}s`;
      }
      case "ip":
      case "gateway":
      case "routerId":
        return t.kind !== "routerId" && t.family === 6 ? "2001:db8::1" : "192.0.2.1";
      case "dst":
      case "addrMatch":
        return t.family === 6 ? "2001:db8::/64" : "192.0.2.0/24";
      case "ifaddr":
        return t.family === 6 ? "2001:db8::1/64" : "192.0.2.1/24";
      case "interface":
        return this.iface();
      case "ref":
        return t.builtins?.[0] ?? this.item(t.menu);
      case "refList":
        return this.item(t.menu);
      case "ports":
        return "80";
      case "protocol":
        return "tcp";
      case "percent":
        return "50";
      case "custom": {
        // A menu-file type (WireGuard keys, prefix lists, yes/no-or-text): the first plausible value it takes.
        // (pool `ranges`, bridge `vlan-ids` and DNS server lists included).
        for (const v of [WG_KEY, "192.0.2.0/24", "192.0.2.1", "192.0.2.10-192.0.2.20", "10", "yes", "lab"]) {
          try {
            t.coerce(v, p.name);
            return v;
          } catch {
            /* next candidate */
          }
        }
        throw new Error(`no sample value for ${p.name}`);
      }
    }
  }
}

function unknownParam(version: string, name: string, column: number): string {
  const text = versionAtLeast(version, "7.23") ? `bad parameter ${name}` : "syntax error";
  return `${text} (line 1 column ${column})${CRLF}`;
}

/** Every name that could be tried on the menu: the catalogue's of every version, the menu file's, print-only. */
function candidateNames(menu: MenuDef): string[] {
  const cat = CATALOGUE[menu.path];
  const names = new Set([...Object.keys(cat.args), ...menu.props.map((p) => p.name), ...(cat.printOnly ?? [])]);
  for (const n of COMMAND_ARGS) names.delete(n);
  const first = [...names].sort()[0];
  names.add(`${first}x`); // a misspelling
  return [...names].sort();
}

test("the emulated menus the catalogue does not cover are the /interface view and read-mostly system menus", () => {
  expect(
    MENUS.filter((m) => !CATALOGUE[m.path])
      .map((m) => m.path)
      .sort(),
  ).toEqual(NOT_CATALOGUED);
});

test("every hand-written argument of a catalogued menu is a catalogue argument on some version", () => {
  const stray: string[] = [];
  for (const m of catalogued) {
    const cat = CATALOGUE[m.path];
    for (const p of m.props.filter((q) => !q.readOnly)) {
      const a = cat.args[p.name];
      if (!a || a.add.length + a.set.length === 0) stray.push(`${m.path} ${p.name}`);
    }
  }
  expect(stray).toEqual([]);
});

describe.each(CATALOGUE_VERSIONS.map((v) => [v]))("RouterOS %s", (version) => {
  const existing = catalogued.filter((m) => CATALOGUE[m.path].versions.includes(version));

  test("a catalogued menu exists exactly on the versions the catalogue has it", () => {
    for (const m of catalogued) {
      expect([m.path, menuExists(m, version)]).toEqual([m.path, CATALOGUE[m.path].versions.includes(version)]);
      if (menuExists(m, version) || !m.verbs.includes("print")) continue;
      const c = createConsole({ version: version as RouterOsVersion, startingConfig: "empty" });
      const last = m.path.slice(m.path.lastIndexOf("/") + 1);
      expect(c.run(`${m.path}/print`)).toBe(
        `bad command name ${last} (line 1 column ${m.path.lastIndexOf("/") + 2})${CRLF}`,
      );
    }
  });

  test.each(existing.map((m) => [m.path, m]))("%s: add and set take exactly the catalogue's arguments", (_path, m) => {
    const menu = m as MenuDef;
    const cat = CATALOGUE[menu.path];
    const c = createConsole({ version: version as RouterOsVersion, startingConfig: "empty" });
    const samples = new Samples(c, version);
    const schema = menuSchema(menu, version);
    const cmd = `/${menu.path.slice(1)}`;
    const addNames = Object.keys(cat.args).filter((n) => !COMMAND_ARGS.has(n) && cat.args[n].add.includes(version));
    const setNames = Object.keys(cat.args).filter((n) => !COMMAND_ARGS.has(n) && cat.args[n].set.includes(version));
    expect([...schema.add].sort()).toEqual(addNames.sort());
    expect([...schema.set].sort()).toEqual(setNames.sort());
    const def = (name: string): PropDef => schema.props.find((p) => p.name === name)!;

    const failures: string[] = [];
    if (menu.verbs.includes("add")) {
      for (const name of addNames) {
        const words = samples.args(menu, { [name]: samples.value(def(name)) }).join(" ");
        const out = c.run(`:local i [${cmd}/add ${words}]; ${cmd}/remove $i`);
        if (out !== "") failures.push(`add ${words} → ${out.trim()}`);
      }
    }
    // The item `set` works on: a singleton's, else an existing one (ethernet) or one added for the purpose.
    let target = "";
    if (!menu.singleton) {
      if (menu.verbs.includes("add")) {
        const out = c.run(`:put [${cmd}/add ${samples.args(menu).join(" ")}]`);
        expect(out).toMatch(/^\*[0-9A-F]+\r\n$/);
        target = `${out.trim()} `;
      } else {
        // A menu without `add` (ethernet) is set on an item the "empty" starting config holds.
        const [first] = c.state.items(menu);
        if (!first) throw new Error(`${menu.path} has no add and no item in the "empty" starting config to set`);
        target = `*${first.id.toString(16).toUpperCase()} `;
      }
    }
    if (menu.verbs.includes("set")) {
      for (const name of setNames) {
        const v = samples.value(def(name));
        const line = `${cmd}/set ${target}${v === undefined ? name : `${name}="${v}"`}`;
        const out = c.run(line);
        if (out !== "") failures.push(`${line} → ${out.trim()}`);
      }
    }
    expect(failures).toEqual([]);

    // Names the catalogue lacks for this menu, verb and version are refused before anything runs.
    const wrong: string[] = [];
    for (const [verb, accepted] of [
      ["add", new Set(addNames)],
      ["set", new Set(setNames)],
    ] as const) {
      if (!menu.verbs.includes(verb)) continue;
      const prefix = `${cmd}/${verb} ${verb === "set" ? target : ""}`;
      for (const name of candidateNames(menu).filter((n) => !accepted.has(n))) {
        const out = c.run(`${prefix}${name}="lab"`);
        const expected = unknownParam(version, name, prefix.length + 1);
        if (out !== expected)
          wrong.push(`${prefix}${name}="lab" → ${JSON.stringify(out)}, expected ${JSON.stringify(expected)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("arguments only the catalogue knows", () => {
  test("are typed from the console's desc, with completion values accepted besides", () => {
    const c = createConsole({ version: "7.20", startingConfig: "empty" });
    // `ageing-time`: desc `10s..1w4d13h46m40s (time interval)`.
    expect(c.run("/interface/bridge/add name=br1 ageing-time=5s")).toBe(
      `invalid value for argument ageing-time${CRLF}`,
    );
    expect(c.run("/interface/bridge/add name=br1 ageing-time=10s")).toBe("");
    // `arp-timeout`: desc `time interval`, completion `auto`.
    expect(c.run("/interface/bridge/set br1 arp-timeout=auto")).toBe("");
    expect(c.run("/interface/bridge/set br1 arp-timeout=30s")).toBe("");
    expect(c.run(":put [:typeof [/interface/bridge/get br1 arp-timeout]]")).toBe(`time${CRLF}`);
    // A `no|yes` completion reads as a boolean; no desc, so another word is kept as written, not refused.
    expect(c.run("/interface/bridge/set br1 auto-mac=no")).toBe("");
    expect(c.run(":put [:typeof [/interface/bridge/get br1 auto-mac]]")).toBe(`bool${CRLF}`);
  });

  test("a read-only property the catalogue lists as an argument is stored when given, computed otherwise", () => {
    const c = createConsole({ version: "7.20", startingConfig: "empty" });
    expect(c.run("/ip/firewall/address-list/add list=l address=192.0.2.1")).toBe("");
    expect(c.run("/ip/firewall/address-list/add list=l address=192.0.2.2 dynamic=yes")).toBe("");
    expect(c.run(":put [/ip/firewall/address-list/get [find address=192.0.2.1] dynamic]")).toBe(`false${CRLF}`);
    expect(c.run(":put [/ip/firewall/address-list/get [find address=192.0.2.2] dynamic]")).toBe(`true${CRLF}`);
  });
});
