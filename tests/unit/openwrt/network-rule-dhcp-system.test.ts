/**
 * The OpenWrt kinds a failover site still lacked (issue #13 item 6): NetworkRule (netifd `rule`/`rule6`, policy
 * routing by source, mark and table), DhcpPool (`dhcp.dhcp`), DhcpHost (`dhcp.host`) and SystemSettings (the
 * singleton `system` section), against the local uci device: create → read is a no-op → out-of-band drift is
 * seen → update converges → delete leaves the package as it was (SystemSettings: restored, never deleted); bad
 * inputs are refused naming the field, and nothing reaches the device.
 * Option names are netifd's and the OpenWrt dhcp/system pages' as docs/reference/openwrt-netifd-dhcp-system.md
 * records them; the stock /etc/config/dhcp and /etc/config/system here are shaped like the lab's (OpenWrt 23.05's
 * starting config [I]). The uci behaviour relied on (anonymous sections shown as `@type[N]`, extended-syntax
 * `set`) is openwrt-uci.md §2.2's.
 */
import * as fs from "fs";
import * as path from "path";
import type { OpContext, ResourceKind } from "../../../provider/resources/kind";
import { kind as rule } from "../../../provider/resources/openwrt/network-rule";
import { kind as pool } from "../../../provider/resources/openwrt/dhcp-pool";
import { kind as host } from "../../../provider/resources/openwrt/dhcp-host";
import { kind as system } from "../../../provider/resources/openwrt/system-settings";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { makeLocalDevice, type LocalDevice } from "./local-device";

const DHCP_STOCK = [
  "",
  "config dnsmasq",
  "\toption domainneeded '1'",
  "\toption leasefile '/tmp/dhcp.leases'",
  "",
  "config dhcp 'lan'",
  "\toption interface 'lan'",
  "\toption start '100'",
  "\toption limit '150'",
  "\toption leasetime '12h'",
  "\toption dhcpv6 'server'",
  "\toption ra 'server'",
  "\tlist ra_flags 'managed-config'",
  "\tlist ra_flags 'other-config'",
  "",
  "config dhcp 'wan'",
  "\toption interface 'wan'",
  "\toption ignore '1'",
  "",
].join("\n");

const SYSTEM_STOCK = [
  "",
  "config system",
  "\toption hostname 'OpenWrt'",
  "\toption timezone 'UTC'",
  "\toption ttylogin '0'",
  "\toption log_size '64'",
  "\toption urandom_seed '0'",
  "",
  "config timeserver 'ntp'",
  "\toption enabled '1'",
  "\tlist server '0.openwrt.pool.ntp.org'",
  "",
].join("\n");

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
  fs.writeFileSync(path.join(dev.confDir, "dhcp"), DHCP_STOCK);
  fs.writeFileSync(path.join(dev.confDir, "system"), SYSTEM_STOCK);
});
afterEach(() => dev.cleanup());

const ctx = (name: string, adopt = false): OpContext => dev.ctx(name, adopt);
const sections = (pkg: string) => dev.sections(pkg);
const section = (pkg: string, name: string) => dev.section(pkg, name);
const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
const outOfBand = (lines: string[], pkg: string) => dev.outOfBand(lines, pkg);

interface Lifecycle<I extends object> {
  kind: ResourceKind<I>;
  name: string;
  inputs: I;
  pkg: string;
  type: string;
  /** The managed section's name as `show` prints it (undefined: derived from the identity, taken from the id). */
  section?: string;
  created: Record<string, string | string[]>;
  drift: { lines: (section: string) => string[]; seen: Partial<Record<string, unknown>> };
  updated: I;
  afterUpdate: Record<string, string | string[]>;
  /** The reload lines one write leaves, in order. */
  reloads: string[];
}

/** create → no-op read and update → drift seen → update → delete gives the package back; the reloads of each write. */
async function lifecycle<I extends object>(t: Lifecycle<I>): Promise<string> {
  const pristine = dev.uci(`show ${t.pkg}`);
  const c = await t.kind.driver.create(ctx(t.name), t.inputs);
  const sec = t.section ?? c.id.split(".")[1];
  if (t.section === undefined) expect(c.id).toBe(`${t.pkg}.${sec}`);
  expect(section(t.pkg, sec)).toMatchObject({ type: t.type, options: t.created });
  expect(dev.events()).toEqual(t.reloads);
  expect(c.observed.inputs).toEqual(t.inputs);
  const again = await t.kind.driver.read(ctx(t.name), c.id, t.inputs);
  expect(again?.observed.inputs).toEqual(t.inputs);
  // A second apply with the same inputs writes nothing and reloads nothing.
  const afterCreate = dev.uci(`show ${t.pkg}`);
  await t.kind.driver.update(ctx(t.name), c.id, t.inputs, t.inputs);
  expect(dev.uci(`show ${t.pkg}`)).toBe(afterCreate);
  expect(dev.events()).toEqual(t.reloads);

  outOfBand(t.drift.lines(sec), t.pkg);
  const drifted = await t.kind.driver.read(ctx(t.name), c.id, t.inputs);
  expect(drifted?.observed.inputs).toMatchObject(t.drift.seen);
  expect(drifted?.observed.inputs).not.toEqual(t.inputs);

  const u = await t.kind.driver.update(ctx(t.name), c.id, t.inputs, t.updated);
  expect(section(t.pkg, sec)?.options).toEqual(t.afterUpdate);
  expect(u.observed.inputs).toEqual(t.updated);
  expect(dev.events()).toEqual([...t.reloads, ...t.reloads]);

  await t.kind.driver.delete(ctx(t.name), c.id, t.updated);
  expect(dev.uci(`show ${t.pkg}`)).toBe(pristine);
  expect(dev.events()).toEqual([...t.reloads, ...t.reloads, ...t.reloads]);
  return c.id;
}

/** The provider's check refuses `args` naming `fields`, and nothing was sent to the device. */
async function checkRefuses<I extends object>(
  kind: ResourceKind<I>,
  args: Record<string, unknown>,
  fields: string[],
): Promise<void> {
  const c = await makeProvider(kind).check({}, { device: "dlink", identity: "site/lab/bad", ...args });
  expect(c.failures.map((f) => f.property)).toEqual(fields);
  expect(dev.transport.commands).toEqual([]);
}

const DHCP_RELOADS = ["dnsmasq reload", "odhcpd reload"];

// ------------------------------------------------------------------------------------------------ NetworkRule

describe("NetworkRule", () => {
  it("lifecycle (rule): per-uplink table chosen by mark, then by source; mark normalised to hex", async () => {
    const byMark = rule.schema.parse({
      name: "lte1_mark",
      family: "ipv4",
      mark: "0x200/0xFF00",
      lookup: 201,
      priority: 1000,
    });
    const bySrc = rule.schema.parse({
      name: "lte1_mark",
      src: "192.0.2.0/25",
      in: "lan",
      lookup: "main",
      suppressPrefixlength: 0,
      priority: 900,
    });
    expect(byMark).toMatchObject({ family: "ipv4", mark: "0x200/0xff00", lookup: "201" });
    const id = await lifecycle({
      kind: rule,
      name: "lte1-mark",
      inputs: byMark,
      pkg: "network",
      type: "rule",
      reloads: ["network reload"],
      created: { mark: "0x200/0xff00", lookup: "201", priority: "1000" },
      drift: {
        // An admin writing the same mark in decimal is no drift; a changed table and an invert are.
        lines: (s) => [
          `set network.${s}.mark='512/65280'`,
          `set network.${s}.lookup='202'`,
          `set network.${s}.invert='1'`,
        ],
        seen: { mark: "0x200/0xff00", lookup: "202", invert: true },
      },
      updated: bySrc,
      afterUpdate: { src: "192.0.2.0/25", in: "lan", lookup: "main", suppress_prefixlength: "0", priority: "900" },
    });
    expect(id).toBe("network.lte1_mark");
  });

  it("lifecycle (rule6): the family from src picks rule6; action instead of a lookup", async () => {
    const v6 = rule.schema.parse({ src: "2001:db8:1::/48", lookup: 202, priority: 1001 });
    const v6b = rule.schema.parse({ src: "2001:db8:1::/48", dest: "2001:db8:ff::/64", action: "prohibit" });
    expect(v6.family).toBe("ipv6");
    const id = await lifecycle({
      kind: rule,
      name: "lte1-src6",
      inputs: v6,
      pkg: "network",
      type: "rule6",
      reloads: ["network reload"],
      created: { src: "2001:db8:1::/48", lookup: "202", priority: "1001" },
      drift: {
        lines: (s) => [`set network.${s}.priority='1500'`, `set network.${s}.disabled='1'`],
        seen: { priority: 1500, disabled: true },
      },
      updated: v6b,
      afterUpdate: { src: "2001:db8:1::/48", dest: "2001:db8:ff::/64", action: "prohibit" },
    });
    expect(id).toMatch(/^network\.rs_lte1_src6_[0-9a-f]{8}$/);
  });

  it("a host address is written with its length: older netifd reads a bare address as /0 (match all)", async () => {
    const h = rule.schema.parse({ src: "192.0.2.5", lookup: 100 });
    expect(h.src).toBe("192.0.2.5/32");
    expect(rule.schema.parse({ dest: "2001:db8::5", action: "blackhole" }).dest).toBe("2001:db8::5/128");
    const c = await rule.driver.create(ctx("host"), h);
    const sec = c.id.split(".")[1];
    expect(section("network", sec)?.options.src).toBe("192.0.2.5/32");
    // An admin's bare address is drift (the next up writes the length back).
    outOfBand([`set network.${sec}.src='192.0.2.5'`], "network");
    expect((await rule.driver.read(ctx("host"), c.id, h))?.observed.inputs.src).toBe("192.0.2.5");
  });

  it("a family change replaces the rule (rule ↔ rule6); the family comes from the section type on read", async () => {
    const p = makeProvider(rule);
    const olds = { device: "dlink", identity: "site/lab/r", mark: "0x1", lookup: "100", family: "ipv4" };
    const news = (await p.check(olds, { ...olds, family: "ipv6" })).inputs;
    expect((await p.diff("network.r", { ...olds, observed: {} }, news)).replaces).toContain("family");
    const c = await rule.driver.create(ctx("r"), rule.schema.parse({ mark: "0x1", lookup: 100, family: "ipv6" }));
    const r = await rule.driver.read(ctx("r"), c.id, rule.schema.parse({ mark: "0x1", lookup: 100, family: "ipv4" }));
    expect(r?.observed.inputs).toMatchObject({ family: "ipv6" });
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(issues(rule.schema.safeParse({ mark: "0x1" }))).toEqual([
      "family: is required when neither src nor dest is set (ipv4 or ipv6)",
      "lookup: or action or goto is required (what the rule does)",
    ]);
    expect(issues(rule.schema.safeParse({ src: "192.0.2.0/24", dest: "2001:db8::/32", lookup: 1, goto: 5 }))).toEqual([
      "dest: must be of the same family as src",
      "goto: must not be set together with lookup (one action per rule)",
    ]);
    expect(
      issues(rule.schema.safeParse({ family: "ipv4", mark: "0x1/0x1/2", lookup: 0, tos: 256, uidrange: "9-3" })),
    ).toEqual([
      "tos: Too big: expected number to be <=255",
      "mark: must be a mark with an optional mask, such as 0x100 or 0x100/0xff00 (hex or decimal, at most 0xffffffff)",
      "lookup: must be a table number 1..4294967295 or a name (main, local, default, or one in /etc/iproute2/rt_tables)",
      "uidrange: must be a UID or a range such as 1000 or 1000-1005",
    ]);
    expect(
      issues(
        rule.schema.safeParse({
          src: "192.0.2.1/24",
          action: "throw",
          in: "l-a-n",
          extraOptions: { lookup: "5" },
        }),
      ),
    ).toEqual([
      "in: must be a uci name (letters, digits and _ only)",
      "src: must be an IPv4 or IPv6 address or prefix",
      'action: Invalid option: expected one of "blackhole"|"unreachable"|"prohibit"',
    ]);
    expect(
      issues(rule.schema.safeParse({ family: "ipv4", mark: 1, goto: 10, priority: 20, suppressPrefixlength: 64 })),
    ).toEqual([
      "goto: must be a priority after the rule's own (the kernel only jumps forward)",
      "suppressPrefixlength: must be at most 32 for an IPv4 rule",
    ]);
    expect(issues(rule.schema.safeParse({ family: "ipv4", lookup: 1, extraOptions: { mark: "0x1" } }))).toEqual([
      "extraOptions.mark: is a field of NetworkRule; set it there",
    ]);
    await checkRefuses(rule, { family: "ipv4", mark: "0xfffffffff", lookup: 100 }, ["mark"]);
    await checkRefuses(rule, { src: "198.51.100.0/24", family: "ipv6", lookup: 100 }, ["family"]);
  });
});

// ------------------------------------------------------------------------------------------------ DhcpPool

describe("DhcpPool", () => {
  it("lifecycle: a pool of its own (named after the interface); dnsmasq and odhcpd reload once per write", async () => {
    const p1 = pool.schema.parse({ interface: "guest", start: 10, limit: 50, leasetime: "1h", raFlags: ["none"] });
    const p2 = pool.schema.parse({
      interface: "guest",
      start: 20,
      limit: 100,
      leasetime: 86400,
      dhcpOption: ["6,192.0.2.53", "option:ntp-server,192.0.2.123"],
      dhcpv6: "server",
      ra: "server",
      raFlags: ["managed-config", "other-config"],
    });
    const id = await lifecycle({
      kind: pool,
      name: "guest-dhcp",
      inputs: p1,
      pkg: "dhcp",
      type: "dhcp",
      reloads: DHCP_RELOADS,
      created: { interface: "guest", start: "10", limit: "50", leasetime: "1h", ra_flags: "none" },
      drift: {
        lines: (s) => [`set dhcp.${s}.limit='200'`, `set dhcp.${s}.force='1'`],
        seen: { limit: 200, force: true },
      },
      updated: p2,
      afterUpdate: {
        interface: "guest",
        start: "20",
        limit: "100",
        leasetime: "86400",
        dhcp_option: ["6,192.0.2.53", "option:ntp-server,192.0.2.123"],
        dhcpv6: "server",
        ra: "server",
        ra_flags: ["managed-config", "other-config"],
      },
    });
    expect(id).toBe("dhcp.guest");
  });

  it("adopts the stock dhcp.lan and restores it on destroy; a second pool for lan is refused", async () => {
    const pristine = sections("dhcp");
    const lan = pool.schema.parse({
      interface: "lan",
      start: 100,
      limit: 100,
      leasetime: "12h",
      dhcpv6: "server",
      ra: "server",
      raFlags: ["managed-config", "other-config"],
    });
    await expect(pool.driver.create(ctx("lan"), lan)).rejects.toThrow(
      /create failed: uci section dhcp\.lan already exists \(type dhcp\); set adopt: true/,
    );
    await expect(pool.driver.create(ctx("lan2"), { ...lan, name: "lan2" })).rejects.toThrow(
      /create failed: a DHCP pool for interface "lan" is already defined by section dhcp\.lan/,
    );
    expect(dev.events()).toEqual([]);
    const c = await pool.driver.create(ctx("lan", true), lan);
    expect(section("dhcp", "lan")?.options.limit).toBe("100");
    await pool.driver.delete(ctx("lan", true), c.id, lan);
    expect(sections("dhcp")).toEqual(pristine);
    expect(dev.events()).toEqual([...DHCP_RELOADS, ...DHCP_RELOADS]);
  });

  it("a changed interface without an explicit name is a replace (the section is named after it)", async () => {
    const p = makeProvider(pool);
    const olds = (await p.check({}, { device: "dlink", identity: "site/lab/g", interface: "guest" })).inputs;
    expect(olds.name).toBe("guest");
    const news = (await p.check(olds, { device: "dlink", identity: "site/lab/g", interface: "iot" })).inputs;
    expect((await p.diff("dhcp.guest", { ...olds, observed: {} }, news)).replaces).toContain("name");
  });

  it("a missing odhcpd (an IPv4-only image) is skipped, not an error", async () => {
    fs.rmSync(path.join(dev.root, "etc/init.d/odhcpd"));
    await pool.driver.create(ctx("guest"), pool.schema.parse({ interface: "guest" }));
    expect(dev.events()).toEqual(["dnsmasq reload"]);
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(issues(pool.schema.safeParse({ interface: "lan", leasetime: "1m", start: 0 }))).toEqual([
      "start: Too small: expected number to be >=1",
      "leasetime: must be a lease time of at least 2 minutes, such as 7200, 30m, 12h, 1d or infinite",
    ]);
    expect(issues(pool.schema.safeParse({ interface: "lan", raFlags: ["none", "managed-config"] }))).toEqual([
      "raFlags: none must be the only flag",
    ]);
    expect(issues(pool.schema.safeParse({ interface: "wan", dhcpOption: ["dns=1.1.1.1"], ra: "on" }))).toEqual([
      "dhcpOption.0: must be a DHCP option such as 3,192.0.2.1 or option:router,192.0.2.1",
      'ra: Invalid option: expected one of "server"|"relay"|"hybrid"|"disabled"',
    ]);
    expect(issues(pool.schema.safeParse({ interface: "wan", ignore: true, limit: 5 }))).toEqual([
      "limit: has no effect with ignore true (no DHCPv4 served)",
    ]);
    expect(issues(pool.schema.safeParse({ start: 1, netmask: "255.0.255.0" }))).toEqual([
      "interface: Invalid input: expected string, received undefined",
      "netmask: must be a netmask such as 255.255.255.0",
    ]);
    await checkRefuses(pool, { interface: "lan", leasetime: "12x" }, ["leasetime"]);
  });
});

// ------------------------------------------------------------------------------------------------ DhcpHost

describe("DhcpHost", () => {
  it("lifecycle: mac → ip with a host name; several MACs in one option", async () => {
    const h1 = host.schema.parse({ hostname: "printer", mac: ["02:00:00:00:00:0A"], ip: "192.0.2.10", dns: true });
    const h2 = host.schema.parse({
      hostname: "printer",
      mac: ["02:00:00:00:00:0a", "02:00:00:00:00:0b"],
      ip: "192.0.2.11",
      leasetime: "infinite",
      duid: "000100012A3B4C5D020000000001",
      hostid: "11",
    });
    const id = await lifecycle({
      kind: host,
      name: "printer",
      inputs: h1,
      pkg: "dhcp",
      type: "host",
      reloads: DHCP_RELOADS,
      created: { name: "printer", mac: "02:00:00:00:00:0a", ip: "192.0.2.10", dns: "1" },
      drift: {
        lines: (s) => [`set dhcp.${s}.ip='192.0.2.99'`, `set dhcp.${s}.mac='02:00:00:00:00:0A 02:00:00:00:00:0C'`],
        seen: { ip: "192.0.2.99", mac: ["02:00:00:00:00:0a", "02:00:00:00:00:0c"] },
      },
      updated: h2,
      afterUpdate: {
        name: "printer",
        mac: "02:00:00:00:00:0a 02:00:00:00:00:0b",
        ip: "192.0.2.11",
        leasetime: "infinite",
        duid: "000100012a3b4c5d020000000001",
        hostid: "11",
      },
    });
    expect(id).toMatch(/^dhcp\.rs_printer_[0-9a-f]{8}$/);
  });

  it("refuses a second static lease of the same address", async () => {
    await host.driver.create(ctx("a"), host.schema.parse({ mac: ["02:00:00:00:00:01"], ip: "192.0.2.20" }));
    await expect(
      host.driver.create(ctx("b"), host.schema.parse({ mac: ["02:00:00:00:00:02"], ip: "192.0.2.20" })),
    ).rejects.toThrow(
      /create failed: a static lease of address "192.0.2.20" is already defined by section dhcp\.rs_a_/,
    );
    expect(sections("dhcp").filter((s) => s.type === "host")).toHaveLength(1);
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(issues(host.schema.safeParse({ ip: "192.0.2.1" }))).toEqual([
      "mac: or duid or hostname is required (how the client is recognised)",
    ]);
    expect(issues(host.schema.safeParse({ mac: ["02:00:00:00:00:01"] }))).toEqual([
      "ip: or hostname, leasetime or hostid is required (what the lease fixes)",
    ]);
    expect(
      issues(
        host.schema.safeParse({
          hostname: "my.printer",
          mac: ["02:00:00:00:00:01", "02:00:00:00:00:01"],
          ip: "192.0.2.300",
          duid: "abc",
          dns: true,
        }),
      ),
    ).toEqual([
      "hostname: must be a host name: letters, digits and - (not first or last), at most 63, no dots",
      'mac.1: repeats "02:00:00:00:00:01"',
      "ip: must be an IPv4 address such as 192.0.2.1",
      "duid: must be a DUID: an even number of hex digits (4 to 260)",
    ]);
    await checkRefuses(host, { mac: ["02:00:00:00:00:01"], ip: "192.0.2.5", leasetime: "1m" }, ["leasetime"]);
    await checkRefuses(host, { mac: ["02:00:00:00:00:01"], ip: "192.0.2.5", dns: true }, ["dns"]);
  });
});

// ------------------------------------------------------------------------------------------------ SystemSettings

describe("SystemSettings", () => {
  it("lifecycle: the anonymous system section is managed in place and restored, never deleted", async () => {
    const s1 = system.schema.parse({
      hostname: "dlink-lte",
      timezone: "CET-1CEST,M3.5.0,M10.5.0/3",
      zonename: "Europe/Berlin",
      logSize: 128,
      extraOptions: { ttylogin: "0", urandom_seed: "0" },
    });
    const s2 = system.schema.parse({
      hostname: "dlink-lte",
      timezone: "UTC",
      logIp: "192.0.2.50",
      logPort: 5514,
      logProto: "tcp",
      extraOptions: { ttylogin: "0" },
    });
    const id = await lifecycle({
      kind: system,
      name: "system",
      inputs: s1,
      pkg: "system",
      type: "system",
      section: "@system[0]",
      reloads: ["system reload", "log reload"],
      created: {
        hostname: "dlink-lte",
        timezone: "CET-1CEST,M3.5.0,M10.5.0/3",
        zonename: "Europe/Berlin",
        log_size: "128",
        ttylogin: "0",
        urandom_seed: "0",
      },
      drift: {
        lines: (s) => [`set system.${s}.hostname='OpenWrt'`, `set system.${s}.notes='hand edit'`],
        seen: { hostname: "OpenWrt", notes: "hand edit" },
      },
      updated: s2,
      afterUpdate: {
        hostname: "dlink-lte",
        timezone: "UTC",
        log_ip: "192.0.2.50",
        log_port: "5514",
        log_proto: "tcp",
        ttylogin: "0",
      },
    });
    // The id names no cfgXXXXXX; the adoption record (what destroy restored) rides on it.
    expect(id).toMatch(/^system\.@system\[0\]#adopted=/);
    // Still anonymous, still first, and the timeserver section untouched.
    expect(sections("system").map((s) => [s.name, s.type])).toEqual([
      ["@system[0]", "system"],
      ["ntp", "timeserver"],
    ]);
  });

  it("is taken over without adopt and shows what it held; a named system section works the same", async () => {
    fs.writeFileSync(
      path.join(dev.confDir, "system"),
      "\nconfig system 'main'\n\toption hostname 'OpenWrt'\n\toption timezone 'UTC'\n",
    );
    const want = system.schema.parse({ hostname: "edge1", timezone: "UTC" });
    const c = await system.driver.create(ctx("sys"), want);
    expect(c.observed.outputs).toMatchObject({
      adopted: true,
      adoptedOriginal: { type: "system", options: { hostname: "OpenWrt", timezone: "UTC" } },
    });
    expect(section("system", "main")?.options).toEqual({ hostname: "edge1", timezone: "UTC" });
    expect((await system.driver.preview!(ctx("sys"), want)).found).toBe("system.main");
    await system.driver.delete(ctx("sys"), c.id, want);
    expect(section("system", "main")?.options).toEqual({ hostname: "OpenWrt", timezone: "UTC" });
  });

  it("fails clearly when the package holds no system section, and creates none", async () => {
    fs.writeFileSync(path.join(dev.confDir, "system"), "\nconfig timeserver 'ntp'\n\toption enabled '1'\n");
    const before = fs.readFileSync(path.join(dev.confDir, "system"), "utf8");
    await expect(system.driver.create(ctx("sys"), system.schema.parse({ hostname: "edge1" }))).rejects.toThrow(
      /resource "site\/lab\/sys" on device "dlink": create failed: \/etc\/config\/system holds no system section to manage/,
    );
    expect(fs.readFileSync(path.join(dev.confDir, "system"), "utf8")).toBe(before);
    expect(dev.events()).toEqual([]);
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(
      issues(
        system.schema.safeParse({
          hostname: "-bad",
          timezone: "CET 1",
          conloglevel: 9,
          logPort: 70000,
          logFile: "tmp/log",
          logIp: "192.0.2.1",
        }),
      ),
    ).toEqual([
      "hostname: must be a host name: letters, digits and - (not first or last), at most 63, no dots",
      "timezone: must be a POSIX TZ string such as UTC or CET-1CEST,M3.5.0,M10.5.0/3",
      "conloglevel: Too big: expected number to be <=8",
      "logFile: must be an absolute path (letters, digits, . _ - /)",
      "logPort: Too big: expected number to be <=65535",
    ]);
    expect(issues(system.schema.safeParse({ logProto: "tcp", extraOptions: { hostname: "x" } }))).toEqual([
      "extraOptions.hostname: is a field of SystemSettings; set it there",
      "logProto: needs logIp (the remote syslog server)",
    ]);
    await checkRefuses(system, { hostname: "a.b" }, ["hostname"]);
    await checkRefuses(system, { logIp: "192.0.2.300" }, ["logIp"]);
  });
});
