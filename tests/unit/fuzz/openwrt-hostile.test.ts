/**
 * Hostile input, OpenWrt, in process (issue 5). Generated strings go through `check` (zod), the uci codec and the
 * lab's uci stand-in (tests/lab/openwrt/uci, which follows openwrt-uci.md, not the provider): the provider's
 * batch text is run by `uci -c <conf> -t <save> batch`, read back with `show` and parsed by the provider's own
 * show parser, and every value must come back byte-for-byte, or be rejected by validation naming
 * `options.<name>`. POSIX sh quoting (`shQuote`) runs through real shells (dash and busybox ash), BIRD symbols
 * through the real `bird -p`.
 *
 * "None executed": the stand-in must hold exactly the intended section and options (no extra option, section,
 * package or file), the shells must print exactly the quoted arguments and create no canary file, and BIRD must
 * parse exactly the intended protocols.
 */
import fc from "fast-check";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { encodeUciBatch, shQuote, type UciCommand } from "../../../provider/openwrt/codec";
import { parseUciShow } from "../../../provider/openwrt/uci-show-parser";
import { renderBgp, renderStatic } from "../../../provider/openwrt/bird-text";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { kind as uciSection } from "../../../provider/resources/openwrt/uci-section";
import { kind as birdStatic } from "../../../provider/resources/openwrt/bird-static";
import { kind as modemProfile } from "../../../provider/resources/openwrt/modem-profile";
import { kind as bgpSession } from "../../../provider/resources/openwrt/bgp-session";
import type { ResourceKind } from "../../../provider/resources/kind";
import { CANARY, SEED, hostileString, newCounts, report, same, uciValueAcceptable, type FuzzCounts } from "./hostile";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runUci } = require("../../lab/openwrt/uci/index.js") as typeof import("../../lab/openwrt/uci/index");

const RUNS_UCI = Number(process.env.FUZZ_RUNS ?? 10_000);
const RUNS_SH = RUNS_UCI;
const RUNS_BIRD = Math.ceil(RUNS_UCI / 5);
const BATCH = 50;

const total = newCounts();
afterAll(() => {
  report("openwrt TOTAL (in process)", total);
});
const addTotal = (c: FuzzCounts) => {
  for (const k of Object.keys(total) as (keyof FuzzCounts)[]) total[k] += c[k];
};

async function checked<I extends object>(kind: ResourceKind<I>, own: Record<string, unknown>) {
  const r = await makeProvider(kind).check({}, { device: "dlink", identity: "fuzz/owrt/x", ...own });
  return { ok: r.failures.length === 0, failures: r.failures };
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "rs-fuzz-owrt-"));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Files under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

describe("uci: generated option values through check → batch → uci stand-in → show → show parser", () => {
  it(`${RUNS_UCI} values (options and list elements) are stored byte-for-byte or rejected naming options.<name>; none executed`, async () => {
    const counts = newCounts();
    const values = fc.sample(hostileString({ maxLong: 2000 }), { seed: SEED + 10, numRuns: RUNS_UCI });
    for (let b = 0; b * BATCH < values.length; b++) {
      const chunk = values.slice(b * BATCH, (b + 1) * BATCH);
      const dir = path.join(work, `u${b}`);
      const conf = path.join(dir, "c");
      const save = path.join(dir, "s");
      const cwd = path.join(dir, "cwd");
      fs.mkdirSync(conf, { recursive: true });
      fs.mkdirSync(cwd);
      fs.writeFileSync(path.join(conf, "network"), "config interface 'lan'\n\toption proto 'static'\n");
      const commands: UciCommand[] = [{ op: "set-section", package: "network", section: "fz", type: "interface" }];
      const expected: Record<string, string | string[]> = {};
      for (const [j, s] of chunk.entries()) {
        counts.tried++;
        // Every third value is a list element (list of two: the value and a fixed one), the others options.
        const asList = j % 3 === 2;
        const opt = `o${j}`;
        const c = await checked(uciSection, {
          package: "network",
          type: "interface",
          name: "fz",
          options: { [opt]: asList ? [s, "x"] : s },
        });
        const acceptable = asList ? uciValueAcceptable(s) || s === "" : uciValueAcceptable(s);
        if (c.ok !== acceptable) same([s, c.ok], [s, acceptable]);
        if (!c.ok) {
          counts.rejected++;
          same(
            c.failures.every((f) => f.property === `options.${opt}` || f.property === `options.${opt}.0`),
            true,
          );
          continue;
        }
        if (asList) {
          commands.push(
            { op: "add_list", package: "network", section: "fz", option: opt, value: s },
            { op: "add_list", package: "network", section: "fz", option: opt, value: "x" },
          );
          expected[opt] = [s, "x"];
        } else {
          commands.push({ op: "set", package: "network", section: "fz", option: opt, value: s });
          expected[opt] = s;
        }
      }
      const batch = runUci(["-c", conf, "-t", save, "batch"], { stdin: encodeUciBatch(commands), cwd });
      same([batch.code, batch.stderr, batch.stdout], [0, "", ""]);
      const shown = runUci(["-c", conf, "-t", save, "show", "network"], { cwd });
      same(shown.code, 0);
      const sections = parseUciShow(shown.stdout);
      const fz = sections.find((x) => x.name === "fz");
      const executed =
        sections.length !== 2 ||
        sections[0].name !== "lan" ||
        !same0(sections[0].options, { proto: "static" }) ||
        !fz ||
        fz.type !== "interface" ||
        !sameKeys(fz.options, expected) ||
        !same0(tree(conf), ["network"]) ||
        !same0(tree(save), ["network"]) ||
        tree(cwd).length !== 0;
      if (executed) counts.executed++;
      for (const [opt, v] of Object.entries(expected)) {
        if (!same0(fz?.options[opt], v)) counts.mismatched++;
        else counts.stored++;
      }
      same(fz?.options, expected);
      if (executed)
        same(
          {
            sections: sections.map((x) => [x.name, x.type]),
            lan: sections[0]?.options,
            conf: tree(conf),
            save: tree(save),
            cwd: tree(cwd),
          },
          "nothing else",
        );
      // The committed file is never touched by a batch into a private savedir.
      same(fs.readFileSync(path.join(conf, "network"), "utf8"), "config interface 'lan'\n\toption proto 'static'\n");
      fs.rmSync(dir, { recursive: true, force: true });
    }
    report("openwrt UciSection.options (in process, uci stand-in)", counts);
    addTotal(counts);
    expect(counts.executed + counts.mismatched).toBe(0);
  }, 60_000);
});

/** Deep equality that ignores realms (arrays made by `fs` come from outside jest's VM context). */
function same0(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return same0(Object.keys(a).sort(), Object.keys(b).sort());
}

describe("sh: shQuote through real shells", () => {
  const shells = [
    ["/bin/sh (dash)", "/bin/sh", []],
    ["busybox ash", "busybox", ["sh"]],
  ] as const;
  it.each(shells)(
    `${RUNS_SH} arguments print back byte-for-byte with %s; none executed`,
    (label, shell, pre) => {
      const counts = newCounts();
      const values = fc.sample(
        fc.oneof(hostileString({ maxLong: 2000 }), fc.string({ unit: "binary", maxLength: 40 })),
        { seed: SEED + 20, numRuns: RUNS_SH },
      );
      const cwd = fs.mkdtempSync(path.join(work, "sh-"));
      for (let b = 0; b * 500 < values.length; b++) {
        const chunk = values.slice(b * 500, (b + 1) * 500).filter((s) => {
          counts.tried++;
          if (s.includes("\0")) {
            expect(() => shQuote(s, "arg")).toThrow(/^arg: contains a NUL byte/);
            counts.rejected++;
            return false;
          }
          return true;
        });
        // One invocation prints every argument followed by NUL (which no argument can contain).
        const script = `printf '%s\\0' ${chunk.map((s) => shQuote(s, "arg")).join(" ")}; printf 'END'`;
        const r = spawnSync(shell, [...pre, "-c", script], { cwd, encoding: "buffer", maxBuffer: 64 << 20 });
        same([r.status, r.stderr.toString("utf8")], [0, ""]);
        const out = r.stdout.toString("utf8");
        same(out.endsWith("END"), true);
        const got = out.slice(0, -3).split("\0").slice(0, -1);
        for (const [j, s] of chunk.entries()) {
          const want = Buffer.from(s, "utf8").toString("utf8");
          if (got[j] === want) counts.stored++;
          else counts.mismatched++;
        }
        same(
          got,
          chunk.map((s) => Buffer.from(s, "utf8").toString("utf8")),
        );
      }
      if (tree(cwd).length > 0 || fs.existsSync(path.join(cwd, CANARY))) counts.executed++;
      report(`openwrt shQuote through ${label}`, counts);
      addTotal(counts);
      expect(counts.executed + counts.mismatched).toBe(0);
    },
    60_000,
  );
});

describe("BIRD: generated protocol names and interface names through check → render → bird -p", () => {
  const KEYWORDS = [
    "bgp",
    "static",
    "device",
    "kernel",
    "direct",
    "protocol",
    "filter",
    "function",
    "define",
    "table",
    "ipv4",
    "ipv6",
    "all",
    "none",
    "import",
    "export",
    "from",
    "where",
    "true",
    "false",
    "kernel4",
    "kernel6",
    "ospf",
    "rip",
    "babel",
    "bfd",
    "pipe",
    "include",
    "router",
    "id",
    "attribute",
    "template",
    "mpls",
    "roa",
    "interface",
    "debug",
    "log",
    // Also refused by `bird -p` 2.0.12 as protocol names (checked by hand: `protocol static <word> { ... }`).
    "as",
    "if",
    "in",
    "yes",
    "no",
    "via",
    "neighbor",
    "else",
    "then",
    "return",
    "accept",
    "reject",
    "off",
    "on",
  ];
  const symbolChars = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
  const names = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: symbolChars, minLength: 1, maxLength: 70 }) },
    { weight: 1, arbitrary: fc.constantFrom(...KEYWORDS) },
    { weight: 3, arbitrary: hostileString({ maxLong: 100 }) },
  );

  it(`${RUNS_BIRD} names and ${RUNS_BIRD} interface names: accepted ones parse in BIRD as exactly one protocol each, the rest are rejected naming the field`, async () => {
    const counts = newCounts();
    const gaps: string[] = [];
    const pairs = fc.sample(
      fc.tuple(
        names,
        fc.oneof(hostileString({ maxLong: 80 }), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,20}$/)),
      ),
      { seed: SEED + 30, numRuns: RUNS_BIRD },
    );
    const accepted: { name: string; iface: string; text: string }[] = [];
    const seen = new Set<string>();
    for (const [name, iface] of pairs) {
      counts.tried += 2;
      const c = await checked(birdStatic, { name, routes: [{ prefix: "0.0.0.0/0", interface: iface }] });
      const nameOk = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) && !KEYWORDS.includes(name.toLowerCase());
      // Linux interface names are at most 15 characters (IFNAMSIZ 16 with the NUL).
      const ifaceOk = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,14}$/.test(iface);
      same([name, iface, c.ok], [name, iface, nameOk && ifaceOk]);
      const props = c.failures.map((f) => f.property);
      if (!nameOk) same(props.includes("name"), true);
      if (!ifaceOk) same(props.includes("routes.0.interface"), true);
      counts.rejected += (nameOk ? 0 : 1) + (ifaceOk ? 0 : 1);
      if (c.ok && !seen.has(name.toLowerCase())) {
        seen.add(name.toLowerCase());
        accepted.push({
          name,
          iface,
          text: renderStatic(
            { name, channel: "ipv4", routes: [{ prefix: "0.0.0.0/0", interface: iface }] },
            "fuzz/owrt/x",
          ),
        });
      }
    }
    // One config with every accepted protocol; a protocol BIRD refuses is dropped (and reported) until it parses.
    const file = path.join(work, "bird.conf");
    let left = accepted;
    for (;;) {
      fs.writeFileSync(file, "router id 192.0.2.2;\nprotocol device {}\n" + left.map((a) => a.text).join("\n"));
      const r = spawnSync("bird", ["-p", "-c", file], { encoding: "utf8" });
      if (r.status === 0) break;
      const m = /bird\.conf:(\d+):/.exec(r.stderr);
      if (!m) throw new Error(`bird -p failed without a line: ${r.stderr}`);
      const line = Number(m[1]);
      const lines = fs.readFileSync(file, "utf8").split("\n");
      let at = line - 1;
      while (at > 0 && !lines[at].startsWith("protocol static ")) at--;
      const bad = lines[at].slice("protocol static ".length, -2);
      gaps.push(`${bad}: ${r.stderr.trim().replace(/^.*?:\d+:\d+ /, "")}`);
      left = left.filter((a) => a.name !== bad);
    }
    counts.stored += left.length * 2;
    counts.mismatched += gaps.length;
    // Each accepted protocol appears exactly once, with its interface verbatim, and nothing else was defined.
    const text = fs.readFileSync(file, "utf8");
    same((text.match(/^protocol /gm) ?? []).length, left.length + 1);
    for (const a of left)
      same(text.includes(`protocol static ${a.name} {\n\tipv4;\n\troute 0.0.0.0/0 via "${a.iface}";\n}`), true);
    report(
      "openwrt BirdStatic.name + routes[].interface (in process, bird -p)",
      counts,
      gaps.length ? `accepted by validation but refused by bird -p: ${gaps.join("; ")}` : "",
    );
    addTotal(counts);
    // BUG (see the report): BIRD keywords pass validation as protocol names; they are refused only by `bird -p`
    // on the device, so the error names no field. Kept failing until validation rejects them.
    expect(gaps).toEqual([]);
  }, 60_000);

  // Found by this file. bird-text.ts rawFilterBody strips "…" as strings before counting braces, but inside a BIRD
  // comment a `"` is not a string delimiter: `/* " */ } … /* " */` hides the braces between the quotes, so the
  // body closes the filter, the channel and the protocol and declares a top-level protocol of its own.
  it("rawExportFilter cannot close its block (a quote inside a BIRD comment hides the braces)", () => {
    const escape = `/* " */ }; }; } protocol static ${CANARY.toLowerCase()} { ipv4; route 203.0.113.0/24 blackhole; } protocol bgp x2 { local as 65000; neighbor 192.0.2.9 as 65000; ipv4 { import none; export filter { /* " */ accept;`;
    let text: string | undefined;
    try {
      text = renderBgp(
        {
          name: "crs",
          localAs: 65000,
          neighborAddress: "192.0.2.1",
          neighborAs: 65000,
          bfd: false,
          ipv4: { import: "all", export: "all", rawExportFilter: escape },
        },
        "fuzz/owrt/x",
      );
    } catch (e) {
      expect((e as Error).message).toMatch(/^ipv4\.rawExportFilter: /);
      return;
    }
    const file = path.join(work, "escape.conf");
    fs.writeFileSync(file, "router id 192.0.2.2;\nprotocol device {}\n" + text);
    const parsed = spawnSync("bird", ["-p", "-c", file], { encoding: "utf8" });
    // bird -p accepts the file: the injected `protocol static pwned` is a top-level protocol.
    expect({ birdAccepts: parsed.status === 0, rendered: text }).toEqual({
      birdAccepts: false,
      rendered: expect.any(String),
    });
  });
});

describe("OpenWrt validation rejects malformed values, naming the field", () => {
  const zone = { package: "firewall", type: "zone", name: "wwan" };
  const bgp = {
    name: "crs",
    localAs: 65000,
    neighborAddress: "192.0.2.1",
    neighborAs: 65000,
    ipv4: { import: "all", export: "all" },
  };
  const modem = { name: "wwan", proto: "qmi", modemDevice: "/dev/cdc-wdm0", apn: "internet" };
  const cases: [string, ResourceKind<never>, Record<string, unknown>, string][] = [
    ["uci option name with dot", uciSection as never, { ...zone, options: { "a.b": "1" } }, "options.a.b"],
    ["uci option name with space", uciSection as never, { ...zone, options: { "a b": "1" } }, "options.a b"],
    ["uci option value with ESC", uciSection as never, { ...zone, options: { name: "a\x1bb" } }, "options.name"],
    ["uci option value with NUL", uciSection as never, { ...zone, options: { name: "a\0b" } }, "options.name"],
    ["uci option value empty", uciSection as never, { ...zone, options: { name: "" } }, "options.name"],
    [
      "uci list element with DEL",
      uciSection as never,
      { ...zone, options: { network: ["wan", "a\x7f"] } },
      "options.network.1",
    ],
    ["uci section name with -", uciSection as never, { ...zone, name: "a-b" }, "name"],
    ["uci section name @type[0]", uciSection as never, { ...zone, name: "@zone[0]" }, "name"],
    ["uci package with dot", uciSection as never, { ...zone, package: "fire.wall" }, "package"],
    ["uci package with slash", uciSection as never, { ...zone, package: "../etc/passwd" }, "package"],
    ["uci type with quote", uciSection as never, { ...zone, type: "zo'ne" }, "type"],
    ["unknown property", uciSection as never, { ...zone, option: {} }, "option"],
    [
      "BIRD name with -",
      birdStatic as never,
      { name: "lte-default", routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }] },
      "name",
    ],
    [
      "BIRD name starting with a digit",
      birdStatic as never,
      { name: "1lte", routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }] },
      "name",
    ],
    [
      "BIRD name 65 chars",
      birdStatic as never,
      { name: "a".repeat(65), routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }] },
      "name",
    ],
    [
      "BIRD interface with quote",
      birdStatic as never,
      { name: "s", routes: [{ prefix: "0.0.0.0/0", interface: 'wwan0"; }' }] },
      "routes.0.interface",
    ],
    [
      "BIRD prefix with host bits",
      birdStatic as never,
      { name: "s", routes: [{ prefix: "0.0.0.1/0", interface: "wwan0" }] },
      "routes.0.prefix",
    ],
    [
      "BIRD IPv6 prefix /129",
      birdStatic as never,
      { name: "s", routes: [{ prefix: "::/129", interface: "wwan0" }] },
      "routes.0.prefix",
    ],
    [
      "BIRD gateway 300.1.1.1",
      birdStatic as never,
      { name: "s", routes: [{ prefix: "0.0.0.0/0", gateway: "300.1.1.1" }] },
      "routes.0.gateway",
    ],
    ["BGP AS 0", bgpSession as never, { ...bgp, localAs: 0 }, "localAs"],
    ["BGP AS 2^32", bgpSession as never, { ...bgp, neighborAs: 4294967296 }, "neighborAs"],
    [
      "BGP neighbor with injection",
      bgpSession as never,
      { ...bgp, neighborAddress: "192.0.2.1; }" },
      "neighborAddress",
    ],
    ["BGP hold time 2", bgpSession as never, { ...bgp, holdTime: 2 }, "holdTime"],
    ["BGP hold time text", bgpSession as never, { ...bgp, holdTime: "30 s" }, "holdTime"],
    ["BGP keepalive 0", bgpSession as never, { ...bgp, keepaliveTime: 0 }, "keepaliveTime"],
    [
      "BGP next hop IPv4 on ipv6 channel",
      bgpSession as never,
      { ...bgp, ipv6: { import: "all", export: "all", exportNextHop: "192.0.2.1" } },
      "ipv6.exportNextHop",
    ],
    ["BGP interface with space", bgpSession as never, { ...bgp, interface: "vlan 6", direct: true }, "interface"],
    ["modem APN with space", modemProfile as never, { ...modem, apn: "inter net" }, "apn"],
    [
      "modem username with ESC",
      modemProfile as never,
      { ...modem, auth: "chap", username: "a\x1b", password: "p" },
      "username",
    ],
    ["modem device outside /dev", modemProfile as never, { ...modem, modemDevice: "/tmp/x" }, "modemDevice"],
    [
      "modem USB path with injection",
      modemProfile as never,
      { ...modem, coldBoot: { usbPath: "1-1; reboot" } },
      "coldBoot.usbPath",
    ],
    [
      "modem USB path with newline",
      modemProfile as never,
      { ...modem, coldBoot: { usbPath: "1-1\n" } },
      "coldBoot.usbPath",
    ],
    ["modem PIN with letters", modemProfile as never, { ...modem, pincode: "12a4" }, "pincode"],
  ];
  it.each(cases)("%s", async (_label, kind, own, field) => {
    const c = await checked(kind, own);
    expect(c.ok).toBe(false);
    expect(c.failures.map((f) => f.property)).toContain(field);
  });

  // Found by this file: a lone UTF-16 surrogate passes validation and is written as U+FFFD (the UTF-8 encoder's
  // replacement), so uci stores a different value than declared (a mismatch on every read-back).
  it("a uci value with a lone surrogate is rejected naming the option", async () => {
    const c = await checked(uciSection, { ...zone, options: { name: "a\ud800b" } });
    expect(c.ok).toBe(false);
    expect(c.failures.map((f) => f.property)).toContain("options.name");
  });

  // Found by this file: interfaceName (provider/resources/common.ts) documents "1–15 chars for Linux" but its regex
  // allows 64, so a BIRD `via "<16+ chars>"` or `interface "<16+ chars>"` names an interface Linux cannot have.
  it("a BIRD interface name longer than 15 characters (Linux IFNAMSIZ) is rejected naming the field", async () => {
    const c = await checked(birdStatic, { name: "s", routes: [{ prefix: "0.0.0.0/0", interface: "a".repeat(16) }] });
    expect(c.ok).toBe(false);
    expect(c.failures.map((f) => f.property)).toContain("routes.0.interface");
  });
});

// Keep the import used when the runner filters tests.
void execFileSync;
