/**
 * Generates provider/routeros/catalogue.generated.ts — RouterOS's own argument list, per menu and version, for the
 * menus this project manages — from the `/console/inspect` crawls in `../shared/routeros-schema/`
 * (tikoci/restraml, Unlicense; see docs/reference/routeros-schema.md). Run: `npm run catalogue [-- <schema dir>]`.
 *
 * The project never reads `../shared` at build or test time: this script is the only reader, and its output is
 * committed. For each menu and version it records which arguments `add` and `set` accept (their names are facts),
 * the console's `desc` text (a type hint such as `3s..18h12m15s (time interval)` or `a|b|c`), and the completion
 * values the 7.22.3 console offered (evidence, not limits: values that depend on configuration are missing), plus
 * the properties `print` shows that neither `add` nor `set` takes (read-only, 7.22.3 only).
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
export const CATALOGUE_PATH = path.join(ROOT, "provider", "routeros", "catalogue.generated.ts");

/** The crawled versions, oldest first; `deep` adds completion values and `print` property lists. */
const VERSIONS = ["7.16", "7.19", "7.20", "7.23"] as const;
const DEEP = { version: "7.22.3", file: "deep-inspect-7.22.3.json" };

/**
 * Menus this project manages or is about to manage (issue #13: the failover site's menus). A kind's menu missing
 * here fails tests/unit/routeros/catalogue.test.ts (and would leave the kind unchecked).
 */
export const MENUS = [
  "/interface/bridge",
  "/interface/bridge/port",
  "/interface/bridge/vlan",
  "/interface/ethernet",
  "/interface/l2tp-client",
  "/interface/list",
  "/interface/list/member",
  "/interface/lte/apn",
  "/interface/pppoe-client",
  "/interface/vlan",
  "/interface/wireguard",
  "/interface/wireguard/peers",
  "/ip/address",
  "/ip/dhcp-client",
  "/ip/dhcp-server",
  "/ip/dhcp-server/network",
  "/ip/dns",
  "/ip/firewall/address-list",
  "/ip/firewall/filter",
  "/ip/firewall/mangle",
  "/ip/firewall/nat",
  "/ip/firewall/raw",
  "/ip/pool",
  "/ip/route",
  "/ip/service",
  "/ip/vrf",
  "/ipv6/address",
  "/ipv6/dhcp-client",
  "/ipv6/firewall/address-list",
  "/ipv6/firewall/filter",
  "/ipv6/firewall/mangle",
  "/ipv6/firewall/raw",
  "/ipv6/nd",
  "/ipv6/route",
  "/ppp/profile",
  "/routing/bgp/connection",
  "/routing/bgp/instance",
  "/routing/bgp/template",
  "/routing/filter/rule",
  "/routing/rule",
  "/routing/table",
  "/system/identity",
  "/system/scheduler",
  "/system/script",
  "/tool/netwatch",
].sort();

type Node = { _type?: string; desc?: string; _completion?: Record<string, { style?: string }> } & {
  [k: string]: unknown;
};

interface ArgOut {
  add: string[];
  set: string[];
  desc?: string;
  completion?: string[];
}
interface MenuOut {
  versions: string[];
  args: Record<string, ArgOut>;
  printOnly?: string[];
}

function load(dir: string, file: string): Node {
  return JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Node;
}

function at(tree: Node, menu: string): Node | undefined {
  let n: unknown = tree;
  for (const seg of menu.split("/").filter(Boolean)) {
    n = n && typeof n === "object" ? (n as Record<string, unknown>)[seg] : undefined;
  }
  return n && typeof n === "object" && (n as Node)._type === "dir" ? (n as Node) : undefined;
}

function argsOf(cmd: unknown): Array<[string, Node]> {
  if (!cmd || typeof cmd !== "object" || (cmd as Node)._type !== "cmd") return [];
  return Object.entries(cmd as Record<string, unknown>).filter(
    (e): e is [string, Node] => !!e[1] && typeof e[1] === "object" && (e[1] as Node)._type === "arg",
  );
}

/** The console's description, with the column padding (`3s..18h12m15s    (time interval)`) collapsed. */
function cleanDesc(d: string | undefined): string | undefined {
  const s = d?.replace(/\s+/g, " ").trim();
  return s ? s : undefined;
}

export function buildCatalogue(dir: string): Record<string, MenuOut> {
  const trees = VERSIONS.map((v) => [v, load(dir, `inspect-${v}.json`)] as const);
  const deep = load(dir, DEEP.file);
  const out: Record<string, MenuOut> = {};
  for (const menu of MENUS) {
    const m: MenuOut = { versions: [], args: {} };
    for (const [v, tree] of trees) {
      const node = at(tree, menu);
      if (!node) continue;
      m.versions.push(v);
      for (const verb of ["add", "set"] as const) {
        for (const [name, arg] of argsOf(node[verb])) {
          const a = (m.args[name] ??= { add: [], set: [] });
          a[verb].push(v);
          // The newest version's description wins (later iterations overwrite).
          a.desc = cleanDesc(arg.desc) ?? a.desc;
        }
      }
    }
    const dnode = at(deep, menu);
    if (dnode) {
      for (const verb of ["add", "set"] as const) {
        for (const [name, arg] of argsOf(dnode[verb])) {
          const a = m.args[name];
          if (!a || !arg._completion) continue;
          const values = Object.keys(arg._completion);
          a.completion = [...new Set([...(a.completion ?? []), ...values])];
        }
      }
      const proplist = argsOf(dnode.print).find(([n]) => n === "proplist")?.[1]._completion;
      if (proplist) {
        const writable = new Set(Object.keys(m.args));
        const ro = Object.keys(proplist).filter((p) => !writable.has(p) && p !== ".id");
        if (ro.length) m.printOnly = ro.sort();
      }
    }
    if (m.versions.length === 0) throw new Error(`${menu}: in no crawled version; check the menu path`);
    m.args = Object.fromEntries(Object.entries(m.args).sort(([a], [b]) => a.localeCompare(b)));
    out[menu] = m;
  }
  return out;
}

export function render(cat: Record<string, MenuOut>): string {
  const header = [
    "// Generated by scripts/gen-routeros-catalogue.ts from RouterOS's own /console/inspect output",
    `// (${VERSIONS.join(", ")}; completion values and print-only properties from ${DEEP.version}). Do not edit.`,
    "// Checked against the kinds by tests/unit/routeros/derived-props.test.ts, against the emulator by",
    "// tests/lab/routeros/catalogue-conformance.test.ts.",
    "",
    'import type { RouterOsCatalogue } from "./catalogue";',
    "",
    `export const CATALOGUE_VERSIONS = ${JSON.stringify(VERSIONS)} as const;`,
    `export const COMPLETION_VERSION = ${JSON.stringify(DEEP.version)};`,
    "",
    "export const CATALOGUE: RouterOsCatalogue = ",
  ].join("\n");
  return `${header}${JSON.stringify(cat, null, 2)};\n`;
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, "..", "shared", "routeros-schema"));
  fs.writeFileSync(CATALOGUE_PATH, render(buildCatalogue(dir)));
  console.log(`wrote ${path.relative(ROOT, CATALOGUE_PATH)} (${MENUS.length} menus) from ${dir}`);
}
