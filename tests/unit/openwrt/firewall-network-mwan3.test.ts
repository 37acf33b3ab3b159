/**
 * Typed OpenWrt kinds over the section engine, issue #6: FirewallZone, FirewallForwarding, FirewallRule
 * (fw4), NetworkInterface, NetworkDevice (netifd), Mwan3Interface, Mwan3Member, Mwan3Policy, Mwan3Rule (mwan3),
 * against the local uci device: create → read is a no-op → out-of-band drift is seen → update converges → delete
 * leaves nothing; bad inputs are refused by the schema naming the field, and nothing reaches the device.
 * Option names and value ranges follow the OpenWrt docs pages the kinds cite and, for mwan3, the option list of
 * docs/reference/openwrt-uci.md §5; most are not measured on a router [I]. The uci behaviour relied on
 * (named sections, lists, one-element lists shown as strings, delete) is the reference's.
 * mwan3 is not installed on the local device: an /etc/init.d/mwan3 recorder like the network/firewall ones and
 * a stock-like /etc/config/mwan3 holding only `config globals 'globals'` stand in for the package [I: the
 * package's stock file also holds example interfaces, members, policies and rules].
 */
import * as fs from "fs";
import * as path from "path";
import type { OpContext, ResourceKind } from "../../../provider/resources/kind";
import { kind as zone } from "../../../provider/resources/openwrt/firewall-zone";
import { kind as forwarding } from "../../../provider/resources/openwrt/firewall-forwarding";
import { kind as rule } from "../../../provider/resources/openwrt/firewall-rule";
import { kind as iface } from "../../../provider/resources/openwrt/network-interface";
import { kind as netDevice } from "../../../provider/resources/openwrt/network-device";
import { kind as mwanIface } from "../../../provider/resources/openwrt/mwan3-interface";
import { kind as member } from "../../../provider/resources/openwrt/mwan3-member";
import { kind as policy } from "../../../provider/resources/openwrt/mwan3-policy";
import { kind as mwanRule } from "../../../provider/resources/openwrt/mwan3-rule";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { makeLocalDevice, type LocalDevice } from "./local-device";

const MWAN3_STOCK = "\nconfig globals 'globals'\n\toption mmx_mask '0x3F00'\n\n";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
  const log = path.join(dev.root, "events.log");
  fs.writeFileSync(
    path.join(dev.root, "etc/init.d/mwan3"),
    `#!/bin/sh\nif [ -f ${dev.root}/mwan3.fail ]; then cat ${dev.root}/mwan3.fail >&2; exit 1; fi\necho "mwan3 $1" >> ${log}\n`,
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(dev.confDir, "mwan3"), MWAN3_STOCK);
});
afterEach(() => dev.cleanup());

const ctx = (name: string): OpContext => dev.ctx(name);
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
  /** The section's options right after create, as uci shows them. */
  created: Record<string, string | string[]>;
  /** An out-of-band change and the input fields it shows up in. */
  drift: { lines: (section: string) => string[]; seen: Partial<Record<string, unknown>> };
  updated: I;
  afterUpdate: Record<string, string | string[]>;
  service: string;
  /** The package as it was before create (delete must give it back). */
  pristine?: string;
}

/** create → no-op read and update → drift seen → update → delete leaves the package as it was; one reload per write. */
async function lifecycle<I extends object>(t: Lifecycle<I>): Promise<string> {
  const pristine = dev.uci(`show ${t.pkg}`);
  const c = await t.kind.driver.create(ctx(t.name), t.inputs);
  const sec = c.id.split(".")[1];
  expect(c.id).toBe(`${t.pkg}.${sec}`);
  expect(section(t.pkg, sec)).toEqual({
    package: t.pkg,
    name: sec,
    anonymous: false,
    type: t.type,
    options: t.created,
  });
  expect(dev.events()).toEqual([`${t.service} reload`]);
  expect(c.observed.inputs).toEqual(t.inputs);
  const again = await t.kind.driver.read(ctx(t.name), c.id, t.inputs);
  expect(again?.observed.inputs).toEqual(t.inputs);
  // A second apply with the same inputs writes nothing and reloads nothing.
  const afterCreate = dev.uci(`show ${t.pkg}`);
  await t.kind.driver.update(ctx(t.name), c.id, t.inputs, t.inputs);
  expect(dev.uci(`show ${t.pkg}`)).toBe(afterCreate);
  expect(dev.events()).toEqual([`${t.service} reload`]);

  outOfBand(t.drift.lines(sec), t.pkg);
  const drifted = await t.kind.driver.read(ctx(t.name), c.id, t.inputs);
  expect(drifted?.observed.inputs).toMatchObject(t.drift.seen);
  expect(drifted?.observed.inputs).not.toEqual(t.inputs);

  const u = await t.kind.driver.update(ctx(t.name), c.id, t.inputs, t.updated);
  expect(section(t.pkg, sec)?.options).toEqual(t.afterUpdate);
  expect(u.observed.inputs).toEqual(t.updated);
  expect(dev.events()).toEqual([`${t.service} reload`, `${t.service} reload`]);

  await t.kind.driver.delete(ctx(t.name), c.id, t.updated);
  expect(await t.kind.driver.read(ctx(t.name), c.id, t.updated)).toBeUndefined();
  expect(dev.uci(`show ${t.pkg}`)).toBe(pristine);
  expect(dev.events()).toEqual([`${t.service} reload`, `${t.service} reload`, `${t.service} reload`]);
  return sec;
}

/** The provider's check refuses `args` naming `field`, and nothing was sent to the device. */
async function checkRefuses<I extends object>(
  kind: ResourceKind<I>,
  args: Record<string, unknown>,
  fields: string[],
): Promise<void> {
  const c = await makeProvider(kind).check({}, { device: "dlink", identity: "site/lab/bad", ...args });
  expect(c.failures.map((f) => f.property)).toEqual(fields);
  expect(dev.transport.commands).toEqual([]);
}

// ------------------------------------------------------------------------------------------------ firewall

describe("FirewallZone", () => {
  it("lifecycle: named section firewall.<name>, lists as lists, bools as 1/0", async () => {
    const z1 = zone.schema.parse({
      name: "lte1",
      network: ["wan_lte1"],
      input: "REJECT",
      output: "ACCEPT",
      forward: "REJECT",
      masq: true,
      masq6: true,
      mtuFix: true,
    });
    const z2 = zone.schema.parse({
      name: "lte1",
      network: ["wan_lte1", "wan_lte1_6"],
      input: "DROP",
      output: "ACCEPT",
      forward: "REJECT",
      masq: true,
      masqSrc: ["192.0.2.0/24", "!192.0.2.128/25"],
      family: "ipv4",
    });
    const sec = await lifecycle({
      kind: zone,
      name: "zone-lte1",
      inputs: z1,
      pkg: "firewall",
      type: "zone",
      service: "firewall",
      created: {
        name: "lte1",
        network: "wan_lte1",
        input: "REJECT",
        output: "ACCEPT",
        forward: "REJECT",
        masq: "1",
        masq6: "1",
        mtu_fix: "1",
      },
      drift: {
        lines: (s) => [
          `set firewall.${s}.masq6='0'`,
          `add_list firewall.${s}.network='lan'`,
          `set firewall.${s}.log='1'`,
        ],
        seen: { masq6: false, network: ["wan_lte1", "lan"], log: true },
      },
      updated: z2,
      afterUpdate: {
        name: "lte1",
        network: ["wan_lte1", "wan_lte1_6"],
        input: "DROP",
        output: "ACCEPT",
        forward: "REJECT",
        masq: "1",
        masq_src: ["192.0.2.0/24", "!192.0.2.128/25"],
        family: "ipv4",
      },
    });
    expect(sec).toBe("lte1");
  });

  it("refuses a zone whose name an existing (anonymous) zone already has; nothing is committed or reloaded", async () => {
    // An anonymous zone as OpenWrt ships them (routerstack never writes one).
    fs.writeFileSync(
      path.join(dev.confDir, "firewall"),
      "\nconfig zone\n\toption name 'wan'\n\toption input 'REJECT'\n\n",
    );
    const before = fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8");
    await expect(zone.driver.create(ctx("zone-wan"), zone.schema.parse({ name: "wan", masq: true }))).rejects.toThrow(
      /resource "site\/lab\/zone-wan" on device "dlink": create failed: fw4 zone "wan" is already defined by an anonymous zone section \(@zone\[0\]\)/,
    );
    expect(fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8")).toBe(before);
    expect(dev.events()).toEqual([]);
    // A different zone name is fine alongside it.
    await zone.driver.create(ctx("zone-lte2"), zone.schema.parse({ name: "lte2", masq: true }));
    expect(sections("firewall").map((s) => s.options.name)).toEqual(["wan", "lte2"]);
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(
      issues(
        zone.schema.safeParse({
          name: "lte-1",
          input: "accept",
          network: [],
          masqSrc: ["192.0.2.0/24"],
          extraOptions: { masq: "1" },
        }),
      ),
    ).toEqual([
      "name: must be a uci name (letters, digits and _ only)",
      "network: must not be empty (omit it for none)",
      expect.stringMatching(/^input: /),
    ]);
    expect(
      issues(
        zone.schema.safeParse({
          name: "lte1",
          network: ["a", "a"],
          masqSrc: ["192.0.2.0/24"],
          masqDest: ["!2001:db8::/32"],
          masq6: true,
          family: "ipv4",
          extraOptions: { mtu_fix: "1" },
        }),
      ),
    ).toEqual([
      'network.1: repeats "a"',
      "extraOptions.mtu_fix: is a field of FirewallZone; set it there",
      "masq6: is IPv6 masquerade; the zone's family is ipv4",
    ]);
    expect(issues(zone.schema.safeParse({ name: "lte1", masqSrc: ["192.0.2.0/24"] }))).toEqual([
      "masqSrc: needs masq or masq6 true",
    ]);
    expect(issues(zone.schema.safeParse({ name: "lte1", masq: true, masqDest: ["192.0.2.300"] }))).toEqual([
      "masqDest.0: must be an IPv4 or IPv6 address or prefix, optionally negated with !",
    ]);
    await checkRefuses(zone, { name: "lte1", forward: "MASQUERADE" }, ["forward"]);
  });
});

describe("FirewallForwarding", () => {
  it("lifecycle: derived section name; src/dest", async () => {
    const f1 = forwarding.schema.parse({ src: "lan", dest: "lte1" });
    const f2 = forwarding.schema.parse({ src: "lan", dest: "lte2", family: "ipv4" });
    const sec = await lifecycle({
      kind: forwarding,
      name: "fwd-lan-lte1",
      inputs: f1,
      pkg: "firewall",
      type: "forwarding",
      service: "firewall",
      created: { src: "lan", dest: "lte1" },
      drift: {
        lines: (s) => [`set firewall.${s}.dest='wan'`, `set firewall.${s}.enabled='0'`],
        seen: { dest: "wan", enabled: false },
      },
      updated: f2,
      afterUpdate: { src: "lan", dest: "lte2", family: "ipv4" },
    });
    expect(sec).toMatch(/^rs_fwd_lan_lte1_[0-9a-f]{8}$/);
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(issues(forwarding.schema.safeParse({ src: "lan", dest: "lan" }))).toEqual([
      'dest: must differ from src ("lan"); traffic within a zone follows the zone\'s forward policy',
    ]);
    expect(issues(forwarding.schema.safeParse({ src: "lan", dest: "wan wan", extraOptions: { src: "x" } }))).toEqual([
      "dest: must be a uci name (letters, digits and _ only)",
      "extraOptions.src: is a field of FirewallForwarding; set it there",
    ]);
    await checkRefuses(forwarding, { src: "lan" }, ["dest"]);
  });
});

describe("FirewallRule", () => {
  it("lifecycle: ruleName is option name; icmp_type a list; MARK with set_mark", async () => {
    const r1 = rule.schema.parse({
      name: "ping_lte1",
      ruleName: "Allow-Ping-LTE1",
      src: "lte1",
      proto: "icmp",
      icmpType: ["echo-request"],
      family: "ipv4",
      target: "ACCEPT",
    });
    const r2 = rule.schema.parse({
      name: "ping_lte1",
      ruleName: "Mark-LTE1",
      src: "lan",
      dest: "*",
      proto: "tcp",
      destPort: 443,
      srcIp: "192.0.2.0/25",
      target: "MARK",
      setMark: "0x100/0xff00",
    });
    await lifecycle({
      kind: rule,
      name: "ping",
      inputs: r1,
      pkg: "firewall",
      type: "rule",
      service: "firewall",
      created: {
        name: "Allow-Ping-LTE1",
        src: "lte1",
        proto: "icmp",
        icmp_type: "echo-request",
        family: "ipv4",
        target: "ACCEPT",
      },
      drift: {
        lines: (s) => [`set firewall.${s}.target='DROP'`, `set firewall.${s}.limit='10/sec'`],
        seen: { target: "DROP", extraOptions: { limit: "10/sec" } },
      },
      updated: r2,
      afterUpdate: {
        name: "Mark-LTE1",
        src: "lan",
        dest: "*",
        proto: "tcp",
        dest_port: "443",
        src_ip: "192.0.2.0/25",
        target: "MARK",
        set_mark: "0x100/0xff00",
      },
    });
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(
      issues(
        rule.schema.safeParse({
          src: "wan",
          proto: "icmp",
          destPort: "22",
          icmpType: ["echo-request"],
          target: "MARK",
        }),
      ),
    ).toEqual(["destPort: needs proto tcp, udp or tcpudp", "target: MARK needs setMark or setXmark"]);
    expect(
      issues(
        rule.schema.safeParse({
          src: "wan",
          proto: "udp",
          icmpType: ["echo-request"],
          target: "ACCEPT",
          setMark: "0x1",
          srcIp: "2001:db8::/32",
          destIp: "192.0.2.1",
        }),
      ),
    ).toEqual([
      "icmpType: needs proto icmp",
      "setMark: is only used by target MARK",
      "destIp: must be IPv6 like the rule's other address / family",
    ]);
    expect(
      issues(rule.schema.safeParse({ src: "wan zone", srcPort: "0", target: "ACCEPT", setXmark: "0xZZ" })),
    ).toEqual([
      "src: must be a zone name or * (any zone)",
      "srcPort: must be a port or range such as 8080 or 1000-2000 (1..65535)",
      "setXmark: must be a mark such as 0x10 or 0x10/0xff",
    ]);
    await checkRefuses(rule, { src: "wan", proto: "tcp" }, ["target"]);
  });
});

// ------------------------------------------------------------------------------------------------ network

describe("NetworkInterface", () => {
  it("lifecycle: static with CIDR ipaddr, dns list; update to dhcp drops the static options", async () => {
    const s1 = iface.schema.parse({
      name: "wan_wired",
      proto: "static",
      netdev: "eth1",
      ipaddr: "192.0.2.2/29",
      gateway: "192.0.2.1",
      dns: ["192.0.2.53"],
      metric: 10,
    });
    const s2 = iface.schema.parse({
      name: "wan_wired",
      proto: "dhcp",
      netdev: "eth1",
      metric: 10,
      peerdns: false,
      dns: ["192.0.2.53", "2001:db8::53"],
    });
    await lifecycle({
      kind: iface,
      name: "wired",
      inputs: s1,
      pkg: "network",
      type: "interface",
      service: "network",
      created: {
        proto: "static",
        device: "eth1",
        ipaddr: "192.0.2.2/29",
        gateway: "192.0.2.1",
        dns: "192.0.2.53",
        metric: "10",
      },
      drift: {
        lines: (s) => [`set network.${s}.metric='20'`, `set network.${s}.auto='0'`, `set network.${s}.ip6assign='60'`],
        seen: { metric: 20, auto: false, ip6assign: 60 },
      },
      updated: s2,
      afterUpdate: { proto: "dhcp", device: "eth1", metric: "10", peerdns: "0", dns: ["192.0.2.53", "2001:db8::53"] },
    });
  });

  it("pppoe: the password is written but never in outputs or the command log", async () => {
    const p = iface.schema.parse({
      name: "wan_ppp",
      proto: "pppoe",
      netdev: "eth1.6",
      username: "user@isp",
      password: "s3cret-pw",
    });
    const c = await iface.driver.create(ctx("ppp"), p);
    expect(section("network", "wan_ppp")?.options).toEqual({
      proto: "pppoe",
      device: "eth1.6",
      username: "user@isp",
      password: "s3cret-pw",
    });
    expect(JSON.stringify(c.observed.outputs)).not.toContain("s3cret-pw");
    // It travels on the transaction's stdin, never in a command line (which the device may log).
    expect(dev.transport.commands.length).toBeGreaterThan(0);
    expect(dev.transport.commands.join("\n")).not.toContain("s3cret-pw");
    await iface.driver.delete(ctx("ppp"), c.id, p);
    expect(section("network", "wan_ppp")).toBeUndefined();
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(issues(iface.schema.safeParse({ name: "lte1", proto: "qmi", netdev: "wwan0" }))).toEqual([
      'proto: "qmi" is an LTE modem protocol: declare the interface with ModemProfile (APN, PIN, cold boot)',
    ]);
    expect(
      issues(
        iface.schema.safeParse({
          name: "wired",
          proto: "static",
          netdev: "eth1",
          ipaddr: "192.0.2.2",
          gateway: "198.51.100.1",
        }),
      ),
    ).toEqual(["netmask: is required when ipaddr has no prefix length"]);
    expect(
      issues(
        iface.schema.safeParse({
          name: "wired",
          proto: "static",
          netdev: "eth1",
          ipaddr: "192.0.2.2",
          netmask: "255.255.255.248",
          gateway: "198.51.100.1",
        }),
      ),
    ).toEqual(["gateway: 198.51.100.1 is outside the subnet of 192.0.2.2 255.255.255.248"]);
    expect(
      issues(
        iface.schema.safeParse({ name: "wired", proto: "dhcp", ipaddr: "192.0.2.2/24", username: "u", peerdns: true }),
      ),
    ).toEqual([
      "netdev: is required for proto dhcp",
      "ipaddr: is only used by proto static, not dhcp",
      "username: is only used by proto pppoe",
    ]);
    expect(
      issues(
        iface.schema.safeParse({
          name: "wired",
          proto: "static",
          netdev: "eth1",
          netmask: "255.0.255.0",
          ipaddr: "192.0.2.2/33",
          metric: -1,
        }),
      ),
    ).toEqual([
      "ipaddr: must be an IPv4 address, optionally with a prefix length, such as 192.0.2.1 or 192.0.2.1/24",
      "netmask: must be a netmask such as 255.255.255.0",
      expect.stringMatching(/^metric: /),
    ]);
    expect(issues(iface.schema.safeParse({ name: "ppp", proto: "pppoe", netdev: "eth1", username: "u" }))).toEqual([
      "password: is required with the other (username and password go together)",
    ]);
    await checkRefuses(iface, { name: "static1", proto: "static", netdev: "eth1" }, ["ipaddr"]);
  });
});

describe("NetworkDevice", () => {
  it("lifecycle: a bridge with ports, then an 802.1Q VLAN; the option name is the device", async () => {
    const b = netDevice.schema.parse({ deviceName: "br-lte", type: "bridge", ports: ["lan1", "lan2"], mtu: 1500 });
    const v = netDevice.schema.parse({
      deviceName: "br-lte",
      type: "8021q",
      ifname: "eth0",
      vid: 6,
      macaddr: "02:00:00:00:00:AA",
    });
    const sec = await lifecycle({
      kind: netDevice,
      name: "br-lte",
      inputs: b,
      pkg: "network",
      type: "device",
      service: "network",
      created: { name: "br-lte", type: "bridge", ports: ["lan1", "lan2"], mtu: "1500" },
      drift: {
        lines: (s) => [`del_list network.${s}.ports='lan2'`, `set network.${s}.stp='1'`],
        seen: { ports: ["lan1"], extraOptions: { stp: "1" } },
      },
      updated: v,
      afterUpdate: { name: "br-lte", type: "8021q", ifname: "eth0", vid: "6", macaddr: "02:00:00:00:00:aa" },
    });
    expect(sec).toMatch(/^rs_br_lte_[0-9a-f]{8}$/);
  });

  it("refuses a device name another device section declares", async () => {
    fs.writeFileSync(
      path.join(dev.confDir, "network"),
      "\nconfig device\n\toption name 'br-lan'\n\toption type 'bridge'\n\n",
    );
    await expect(
      netDevice.driver.create(ctx("br"), netDevice.schema.parse({ deviceName: "br-lan", type: "bridge" })),
    ).rejects.toThrow(/netifd device "br-lan" is already defined by an anonymous device section/);
    expect(sections("network")).toHaveLength(1);
    expect(dev.events()).toEqual([]);
    // An update that renames the device onto the stock one is refused the same way, and changes nothing.
    const mine = netDevice.schema.parse({ deviceName: "br-lte", type: "bridge" });
    const c = await netDevice.driver.create(ctx("br"), mine);
    const committed = fs.readFileSync(path.join(dev.confDir, "network"), "utf8");
    await expect(
      netDevice.driver.update(ctx("br"), c.id, mine, netDevice.schema.parse({ deviceName: "br-lan", type: "bridge" })),
    ).rejects.toThrow(
      /update failed: netifd device "br-lan" is already defined by an anonymous device section \(@device\[0\]\)/,
    );
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe(committed);
    expect(dev.events()).toEqual(["network reload"]);
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(issues(netDevice.schema.safeParse({ deviceName: "eth0.6", type: "8021q" }))).toEqual([
      "ifname: is required for type 8021q (the base device)",
      "vid: is required for type 8021q",
    ]);
    expect(
      issues(
        netDevice.schema.safeParse({ deviceName: "br-x", type: "bridge", ports: ["br-x"], vid: 5, ifname: "eth0" }),
      ),
    ).toEqual([
      'ports: must not contain the bridge itself ("br-x")',
      "ifname: is only used by types 8021q, 8021ad and macvlan",
      "vid: is only used by types 8021q and 8021ad",
    ]);
    expect(
      issues(
        netDevice.schema.safeParse({ deviceName: "averyveryverylongname", ports: ["lan1"], macaddr: "02:00:00:00:00" }),
      ),
    ).toEqual([
      "deviceName: must be at most 15 characters (a Linux interface name)",
      "macaddr: must be a MAC address such as 02:00:00:00:00:01",
      "ports: is only used by type bridge",
    ]);
    await checkRefuses(netDevice, { deviceName: "eth0.6", type: "8021q", ifname: "eth0", vid: 4095 }, ["vid"]);
  });
});

// ------------------------------------------------------------------------------------------------ mwan3

describe("Mwan3Interface", () => {
  it("lifecycle: tracking options; enabled always written; the stock globals section is left alone", async () => {
    const m1 = mwanIface.schema.parse({
      name: "wan_lte1",
      trackIp: ["192.0.2.53", "198.51.100.53"],
      reliability: 2,
      interval: 5,
      timeout: 2,
      down: 3,
      up: 8,
    });
    const m2 = mwanIface.schema.parse({
      name: "wan_lte1",
      enabled: false,
      trackIp: ["192.0.2.53"],
      trackMethod: "arping",
      checkQuality: true,
      failureLatency: 800,
      recoveryLatency: 300,
      initialState: "offline",
    });
    await lifecycle({
      kind: mwanIface,
      name: "lte1",
      inputs: m1,
      pkg: "mwan3",
      type: "interface",
      service: "mwan3",
      created: {
        enabled: "1",
        track_ip: ["192.0.2.53", "198.51.100.53"],
        reliability: "2",
        interval: "5",
        timeout: "2",
        down: "3",
        up: "8",
      },
      drift: {
        lines: (s) => [
          `set mwan3.${s}.reliability='1'`,
          `delete mwan3.${s}.enabled`,
          `set mwan3.${s}.flush_conntrack='ifdown'`,
        ],
        seen: { reliability: 1, extraOptions: { flush_conntrack: "ifdown" } },
      },
      updated: m2,
      afterUpdate: {
        enabled: "0",
        track_ip: "192.0.2.53",
        track_method: "arping",
        check_quality: "1",
        failure_latency: "800",
        recovery_latency: "300",
        initial_state: "offline",
      },
    });
    expect(fs.readFileSync(path.join(dev.confDir, "mwan3"), "utf8")).toContain("config globals 'globals'");
  });

  it("cross-field checks: up/down ≥ 1, reliability ≤ number of track_ip, quality thresholds, family", async () => {
    expect(
      issues(
        mwanIface.schema.safeParse({
          name: "wan",
          trackIp: ["192.0.2.1", "192.0.2.2"],
          reliability: 2,
          up: 0,
          down: 0,
        }),
      ),
    ).toEqual(["down: must be at least 1", "up: must be at least 1"]);
    expect(
      issues(mwanIface.schema.safeParse({ name: "wan", trackIp: ["192.0.2.1", "192.0.2.2"], reliability: 3 })),
    ).toEqual(["reliability: is 3 but only 2 trackIp targets can answer"]);
    expect(
      issues(
        mwanIface.schema.safeParse({
          name: "wan",
          family: "ipv6",
          trackIp: ["2001:db8::1", "192.0.2.2"],
          timeout: 20,
          interval: 10,
          failureLoss: 5,
        }),
      ),
    ).toEqual([
      "trackIp.1: must be IPv6 like the interface's family",
      "timeout: (20 s) must not exceed interval (10 s)",
      "failureLoss: needs checkQuality true",
    ]);
    expect(
      issues(
        mwanIface.schema.safeParse({
          name: "wan",
          trackIp: ["192.0.2.1"],
          checkQuality: true,
          recoveryLatency: 1200,
          failureLoss: 20,
          recoveryLoss: 30,
        }),
      ),
    ).toEqual([
      "recoveryLatency: must not exceed failureLatency (1000 ms)",
      "recoveryLoss: must not exceed failureLoss (20 %)",
    ]);
    expect(
      issues(
        mwanIface.schema.safeParse({
          name: "wan_lte_uplink_1",
          trackIp: ["192.0.2.1", "192.0.2.1"],
          extraOptions: { track_ip: "x" },
        }),
      ),
    ).toEqual([
      "name: must be at most 15 characters (mwan3 builds iptables chain names from it)",
      'trackIp.1: repeats "192.0.2.1"',
      "extraOptions.track_ip: is a field of Mwan3Interface; set it there",
    ]);
    await checkRefuses(mwanIface, { name: "wan", trackIp: ["192.0.2.1"], reliability: 2 }, ["reliability"]);
  });
});

describe("Mwan3Member, Mwan3Policy, Mwan3Rule", () => {
  it("member lifecycle", async () => {
    await lifecycle({
      kind: member,
      name: "m1",
      inputs: member.schema.parse({ name: "lte1_m2_w2", interface: "wan_lte1", metric: 2, weight: 2 }),
      pkg: "mwan3",
      type: "member",
      service: "mwan3",
      created: { interface: "wan_lte1", metric: "2", weight: "2" },
      drift: { lines: (s) => [`set mwan3.${s}.weight='5'`], seen: { weight: 5 } },
      updated: member.schema.parse({ name: "lte1_m2_w2", interface: "wan_lte1", metric: 3 }),
      afterUpdate: { interface: "wan_lte1", metric: "3" },
    });
  });

  it("policy lifecycle: use_member list order kept", async () => {
    await lifecycle({
      kind: policy,
      name: "p1",
      inputs: policy.schema.parse({
        name: "balanced",
        useMember: ["wired_m1_w3", "lte1_m2_w2"],
        lastResort: "unreachable",
      }),
      pkg: "mwan3",
      type: "policy",
      service: "mwan3",
      created: { use_member: ["wired_m1_w3", "lte1_m2_w2"], last_resort: "unreachable" },
      drift: { lines: (s) => [`del_list mwan3.${s}.use_member='lte1_m2_w2'`], seen: { useMember: ["wired_m1_w3"] } },
      updated: policy.schema.parse({ name: "balanced", useMember: ["lte1_m2_w2"], lastResort: "default" }),
      afterUpdate: { use_member: "lte1_m2_w2", last_resort: "default" },
    });
  });

  it("rule lifecycle: sticky with timeout", async () => {
    await lifecycle({
      kind: mwanRule,
      name: "r1",
      inputs: mwanRule.schema.parse({
        name: "https",
        proto: "tcp",
        destPort: 443,
        sticky: true,
        timeout: 600,
        usePolicy: "balanced",
      }),
      pkg: "mwan3",
      type: "rule",
      service: "mwan3",
      created: { proto: "tcp", dest_port: "443", sticky: "1", timeout: "600", use_policy: "balanced" },
      drift: {
        lines: (s) => [`set mwan3.${s}.sticky='0'`, `set mwan3.${s}.use_policy='wired_only'`],
        seen: { sticky: false, usePolicy: "wired_only" },
      },
      updated: mwanRule.schema.parse({
        name: "https",
        proto: "tcp",
        destPort: "80,443",
        srcIp: "192.0.2.0/24",
        family: "ipv4",
        usePolicy: "balanced",
      }),
      afterUpdate: {
        proto: "tcp",
        dest_port: "80,443",
        src_ip: "192.0.2.0/24",
        family: "ipv4",
        use_policy: "balanced",
      },
    });
  });

  it("interface, members, policy and rule created together share ONE mwan3 reload; delete gives the stock file back", async () => {
    const all: [ResourceKind<object>, string, object][] = [
      [
        mwanIface as unknown as ResourceKind<object>,
        "i1",
        mwanIface.schema.parse({ name: "wan_lte1", trackIp: ["192.0.2.53"] }),
      ],
      [
        member as unknown as ResourceKind<object>,
        "m1",
        member.schema.parse({ name: "lte1_m1", interface: "wan_lte1" }),
      ],
      [
        policy as unknown as ResourceKind<object>,
        "p1",
        policy.schema.parse({ name: "lte_only", useMember: ["lte1_m1"] }),
      ],
      [
        mwanRule as unknown as ResourceKind<object>,
        "r1",
        mwanRule.schema.parse({ name: "default_v4", destIp: "0.0.0.0/0", usePolicy: "lte_only" }),
      ],
    ];
    const made = await Promise.all(all.map(([k, n, i]) => k.driver.create(ctx(n), i)));
    expect(dev.events()).toEqual(["mwan3 reload"]);
    expect(sections("mwan3").map((s) => `${s.name}=${s.type}`)).toEqual([
      "globals=globals",
      "wan_lte1=interface",
      "lte1_m1=member",
      "lte_only=policy",
      "default_v4=rule",
    ]);
    await Promise.all(all.map(([k, n, i], j) => k.driver.delete(ctx(n), made[j].id, i)));
    expect(dev.events()).toEqual(["mwan3 reload", "mwan3 reload"]);
    expect(fs.readFileSync(path.join(dev.confDir, "mwan3"), "utf8")).toBe(
      "\nconfig globals 'globals'\n\toption mmx_mask '0x3F00'\n\n",
    );
  });

  it("a failing mwan3 reload fails the write with the script's message", async () => {
    dev.failReload("mwan3", "mwan3: not running");
    await expect(
      member.driver.create(ctx("m1"), member.schema.parse({ name: "m1", interface: "wan" })),
    ).rejects.toThrow(/reload of mwan3 on device "dlink" failed \(exit 1\): mwan3: not running/);
  });

  it("bad inputs are refused naming the field, and nothing is sent", async () => {
    expect(issues(member.schema.safeParse({ name: "m1", interface: "wan-1", metric: 0, weight: 1001 }))).toEqual([
      "interface: must be a uci name (letters, digits and _ only)",
      expect.stringMatching(/^metric: /),
      expect.stringMatching(/^weight: /),
    ]);
    expect(issues(policy.schema.safeParse({ name: "p", useMember: [], lastResort: "drop" }))).toEqual([
      "useMember: must not be empty (omit it for none)",
      expect.stringMatching(/^lastResort: /),
    ]);
    expect(
      issues(
        mwanRule.schema.safeParse({ name: "r", proto: "icmp", destPort: "443", timeout: 300, usePolicy: "balanced" }),
      ),
    ).toEqual(["destPort: needs proto tcp or udp", "timeout: is the sticky timeout; it needs sticky true"]);
    expect(
      issues(
        mwanRule.schema.safeParse({
          name: "r",
          proto: "tcp",
          srcPort: "1000-2000",
          destPort: "80,,443",
          usePolicy: "balanced",
        }),
      ),
    ).toEqual([
      "srcPort: must be ports or ranges separated by commas, such as 443, 80,443 or 1024:65535 (1..65535)",
      "destPort: must be ports or ranges separated by commas, such as 443, 80,443 or 1024:65535 (1..65535)",
    ]);
    expect(
      issues(
        mwanRule.schema.safeParse({ name: "r", srcIp: "192.0.2.0/24", destIp: "2001:db8::/32", usePolicy: "balanced" }),
      ),
    ).toEqual(["destIp: must be IPv4 like the rule's other address / family"]);
    await checkRefuses(mwanRule, { name: "r" }, ["usePolicy"]);
    await checkRefuses(member, { name: "m1" }, ["interface"]);
    await checkRefuses(policy, { name: "p1", useMember: ["a", "a"] }, ["useMember.1"]);
  });
});
