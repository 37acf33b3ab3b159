/**
 * The components (issue 17): a spec is validated before any child is declared, errors name the spec path as a
 * program writes it, and a spec expands into the ordinary kinds with the examples' names and values. The device
 * side (same state as the hand-written programs) is tests/e2e/example-openwrt-mwan3.test.ts and
 * tests/e2e/example-l2tp-backup.test.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ComponentSpecError,
  DualRouterFailover,
  type DualRouterFailoverSpec,
  L2tpBackup,
  Mwan3Uplinks,
  mwan3UplinksSpec,
  type L2tpBackupSpec,
  type Mwan3UplinksSpec,
} from "../../../sdk/components";
import { parseSpec, specPath } from "../../../sdk/components/spec-error";

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        registered.push({ type: a.type, name: a.name, inputs: a.inputs });
        return { id: `${a.name}-id`, state: a.inputs };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    true,
  ),
);
beforeEach(() => registered.splice(0));

const spec = (): Mwan3UplinksSpec => ({
  device: "router",
  uplinks: [
    {
      name: "wired",
      wired: { netdev: "eth1", address: "203.0.113.2/29", gateway: "203.0.113.1" },
      trackIp: ["192.0.2.53", "198.51.100.53"],
      weight: 3,
    },
    { name: "lte1", lte: { modemDevice: "/dev/cdc-wdm0", apn: "internet" }, trackIp: ["192.0.2.53", "198.51.100.53"] },
  ],
});

/** Waits (no time limit asserted) until the mocks have seen `count` registrations named `prefix`…. */
async function registrations(count: number, prefix: string): Promise<void> {
  const seen = () => registered.filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`)).length;
  for (let i = 0; i < 2000 && seen() < count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(seen()).toBe(count);
}

describe("Mwan3Uplinks spec", () => {
  it("names the spec path of a problem", () => {
    expect(specPath(["uplinks", 1, "trackIp", 0])).toBe("uplinks[1].trackIp[0]");
    const bad = spec();
    bad.uplinks[1].trackIp = ["192.0.2.53", "not-an-address"];
    expect(() => parseSpec("Mwan3Uplinks", "m", mwan3UplinksSpec, bad)).toThrow(
      /^Mwan3Uplinks "m": spec\.uplinks\[1\]\.trackIp\[1\]: /,
    );
    const both = spec();
    both.uplinks[0].lte = { modemDevice: "/dev/cdc-wdm1", apn: "x" };
    expect(() => parseSpec("Mwan3Uplinks", "m", mwan3UplinksSpec, both)).toThrow(
      "spec.uplinks[0]: needs exactly one of wired or lte",
    );
    expect(() =>
      parseSpec("Mwan3Uplinks", "m", mwan3UplinksSpec, { ...spec(), policies: { p: [["wired", "lte9"]] } }),
    ).toThrow("spec.policies.p[0][1]: names no uplink");
    expect(() =>
      parseSpec("Mwan3Uplinks", "m", mwan3UplinksSpec, {
        ...spec(),
        rules: [{ name: "r", destIp: "0.0.0.0/0", policy: "nope" }],
      }),
    ).toThrow("spec.rules[0].policy: names no policy");
    const twice = spec();
    twice.uplinks[1].name = "wired";
    expect(() => parseSpec("Mwan3Uplinks", "m", mwan3UplinksSpec, twice)).toThrow("spec.uplinks[1].name: repeats");
  });

  it("declares no child when the spec is invalid", async () => {
    const bad = spec();
    bad.uplinks[0].trackIp = [];
    expect(() => new Mwan3Uplinks("m", { spec: bad })).toThrow(ComponentSpecError);
    // The component registers itself before it parses its spec; no child is ever constructed.
    await registrations(1, "m");
    expect(registered.filter((r) => r.name !== "m")).toEqual([]);
  });

  it("expands a spec into the ordinary kinds, with defaults and overrides", async () => {
    const m = new Mwan3Uplinks("m", { spec: spec(), overrides: { zones: { lte1: { masq: false } } } });
    await registrations(1 + 12, "m");
    expect(m.members).toEqual(["wired_m1_w3", "lte1_m1_w1"]);
    expect(m.rules).toEqual(["default_v4"]);
    const byName = new Map(registered.map((r) => [r.name, r.inputs]));
    // interface, zone, forwarding and tracking per uplink, a member each, one policy, one rule
    const children = registered.filter((r) => r.name !== "m");
    expect(children).toHaveLength(4 * 2 + 2 + 1 + 1);
    // Dynamic resources of routerstack's openwrt kinds (type `pulumi-nodejs:dynamic/routerstack:openwrt:<Kind>`).
    expect(new Set(children.map((r) => r.type))).toEqual(
      new Set(
        ["NetworkInterface", "ModemProfile", "FirewallZone", "FirewallForwarding"]
          .concat(["Mwan3Interface", "Mwan3Member", "Mwan3Policy", "Mwan3Rule"])
          .map((k) => `pulumi-nodejs:dynamic/routerstack:openwrt:${k}`),
      ),
    );
    expect(byName.get("m-wired")).toMatchObject({ proto: "static", netdev: "eth1", metric: 10 });
    expect(byName.get("m-lte1")).toMatchObject({ proto: "qmi", apn: "internet", pdptype: "ipv4", metric: 20 });
    expect(byName.get("m-zone-wired")).toMatchObject({ masq: true, network: ["wired"] });
    expect(byName.get("m-zone-lte1")).toMatchObject({ masq: false });
    // Tracking defaults: wired every 5 s, down/up 3; LTE every 10 s, down/up 5.
    expect(byName.get("m-mwan3-wired")).toMatchObject({ interval: 5, down: 3, up: 3, reliability: 1 });
    expect(byName.get("m-mwan3-lte1")).toMatchObject({ interval: 10, down: 5, up: 5 });
    expect(byName.get("m-policy-balanced")).toMatchObject({ useMember: ["wired_m1_w3", "lte1_m1_w1"] });
    expect(byName.get("m-rule-default_v4")).toMatchObject({ destIp: "0.0.0.0/0", usePolicy: "balanced" });
  });
});

const l2tp = (): L2tpBackupSpec => ({
  device: "crs",
  primary: "pppoe-gpon",
  backup: { port: "ether2", vlanId: 35, user: "u", password: "backup-Secret-1" },
  tunnel: {
    server: "203.0.113.1",
    user: "t",
    password: pulumi.secret("tunnel-Secret-2"),
    local: "198.51.100.250",
    remote: "198.51.100.249",
  },
  publicAddress: "198.51.100.65/29",
  lan: "bridge",
  checkTarget: "203.0.113.10",
  directBackupSubnet: "192.0.2.128/26",
});

describe("L2tpBackup spec", () => {
  it("names the spec path of a problem and declares no child", async () => {
    const bad = l2tp();
    bad.tunnel.server = "203.0.113.300";
    expect(() => new L2tpBackup("site", { spec: bad })).toThrow(/^L2tpBackup "site": spec\.tunnel\.server: /);
    const vlan = l2tp();
    vlan.backup.vlanId = 4095;
    expect(() => new L2tpBackup("site", { spec: vlan })).toThrow(/spec\.backup\.vlanId: /);
    await registrations(2, "site");
    expect(registered.filter((r) => r.name !== "site")).toEqual([]);
  });

  it("expands into the example's 17 kinds with its names, and both passwords reach the children as secrets", async () => {
    const c = new L2tpBackup("site", { spec: l2tp(), overrides: { netwatch: { interval: 30 } } });
    await registrations(1 + 17, "site");
    expect(c.backupInterface).toBe("pppoe-wan2");
    const children = registered.filter((r) => r.name !== "site");
    expect(children).toHaveLength(17);
    const byName = new Map(children.map((r) => [r.name, r.inputs]));
    expect(byName.get("site-backup-vlan")).toMatchObject({ name: "vlan35", vlanId: 35, interface: "ether2" });
    expect(byName.get("site-primary-health")).toMatchObject({ interval: 30, timeout: 1, thrLossPercent: 50 });
    expect(byName.get("site-tunnel-via-backup")).toMatchObject({
      dstAddress: "203.0.113.1/32",
      action: "lookup-only-in-table",
      table: "wan2-force",
    });
    // Under mocks a secret input reaches the monitor as Pulumi's secret envelope, never as the bare string.
    const wire = JSON.stringify(children.map((r) => r.inputs));
    for (const secret of ["backup-Secret-1", "tunnel-Secret-2"]) {
      const holders = children.filter((r) => JSON.stringify(r.inputs).includes(secret));
      expect(holders.map((r) => r.name).length).toBe(1);
      expect(JSON.stringify(holders[0].inputs.password)).toContain("1b47061264138c4ac30d75fd1eb44270");
    }
    expect(wire).toContain("pppoe-wan2");
  });
});

const drf = (): DualRouterFailoverSpec => ({
  as: 65000,
  main: {
    device: "crs",
    uplinks: [
      {
        key: "gpon",
        name: "pppoe-gpon",
        pppoe: { port: "ether1", user: "u" },
        checkTargets: ["203.0.113.53", "203.0.113.54"],
      },
      { key: "cable", name: "ether2", dhcp: {}, checkTargets: ["198.51.100.53"] },
    ],
    lteInterface: "vlan6",
    ibgpAddress: "192.0.2.1",
  },
  lte: {
    device: "dlink",
    ibgpAddress: "192.0.2.2",
    ibgpAddress6: "2001:db8:6::2",
    modem: { proto: "qmi", device: "/dev/cdc-wdm0", apn: "internet", usbPath: "1-1" },
  },
});

describe("DualRouterFailover spec", () => {
  it("names the spec path of a problem and declares no child", async () => {
    const bad = drf();
    bad.main.uplinks[1].checkTargets = ["198.51.100.999"];
    expect(() => new DualRouterFailover("site", { spec: bad })).toThrow(
      /^DualRouterFailover "site": spec\.main\.uplinks\[1\]\.checkTargets\[0\]: /,
    );
    const both = drf();
    both.main.uplinks[0].dhcp = {};
    expect(() => new DualRouterFailover("site", { spec: both })).toThrow(
      "spec.main.uplinks[0]: needs exactly one of pppoe or dhcp",
    );
    const lteKey = drf();
    lteKey.main.uplinks[1].key = "lte";
    expect(() => new DualRouterFailover("site", { spec: lteKey })).toThrow(
      "spec.main.uplinks[1].key: repeats (or is `lte`)",
    );
    await registrations(3, "site");
    expect(registered.filter((r) => r.name !== "site")).toEqual([]);
  });

  it("gives each check target its own default at the next distance, and every WAN pair its fast-fail rules", async () => {
    const c = new DualRouterFailover("site", { spec: drf(), overrides: { lte: { "bgp-main": { holdTime: 6 } } } });
    // Per uplink: PPPoE, host route and default per check target, NAT (6 + 4); marks (3) and fast-fail rules
    // (3 WANs × 2 others × 2); BGP instance and session; 9 on the LTE router.
    await registrations(1 + 10 + 3 + 12 + 2 + 9, "site");
    expect(c.failoverPath).toEqual(["pppoe-gpon", "ether2", "vlan6 → wwan0"]);
    const byName = new Map(registered.map((r) => [r.name, r.inputs]));
    expect(byName.get("site-default-gpon-1")).toMatchObject({
      gateway: "203.0.113.53",
      distance: 1,
      checkGateway: "ping",
    });
    expect(byName.get("site-default-gpon-2")).toMatchObject({ distance: 2 });
    expect(byName.get("site-default-cable-1")).toMatchObject({ gateway: "198.51.100.53", distance: 3 });
    // A DHCP uplink: no default route from the lease; its script points the marked host routes at the lease gateway.
    expect(byName.get("site-ether2")).toMatchObject({ interface: "ether2", addDefaultRoute: "no" });
    expect(byName.get("site-ether2")?.script).toBe(
      ':if ($bound=1) do={/ip/route/set [find where comment~"via ether2 dhcp-gateway"] gateway=$"gateway-address"}',
    );
    expect(byName.get("site-check-target-cable-1")).toMatchObject({
      gateway: "ether2",
      comment: "check target 1 via ether2 dhcp-gateway",
    });
    expect(byName.get("site-masquerade-cable")).toMatchObject({ outInterface: "ether2" });
    // 3 WANs (2 wired + LTE): each flow mark rejected on each of the 2 other WANs, TCP reset then ICMP, in order.
    const fastFail = registered.filter((r) => r.name.startsWith("site-fast-fail-"));
    expect(fastFail).toHaveLength(3 * 2 * 2);
    expect(fastFail.map((r) => r.inputs.order).sort((a, b) => Number(a) - Number(b))).toEqual([...Array(12).keys()]);
    expect(byName.get("site-fast-fail-gpon-lte-tcp")).toMatchObject({
      connectionMark: "gpon-conn",
      outInterface: "vlan6",
      rejectWith: "tcp-reset",
    });
    // Defaults: router ids from the iBGP addresses, the LTE router's iBGP interface named like the main router's.
    expect(byName.get("site-bgp-instance")).toMatchObject({ routerId: "192.0.2.1", name: "main" });
    expect(byName.get("site-bird")).toMatchObject({ routerId: "192.0.2.2" });
    expect(byName.get("site-bgp-main")).toMatchObject({
      interface: "vlan6",
      holdTime: 6,
      keepaliveTime: 10,
      bfd: false,
    });
    expect(byName.get("site-wwan")).toMatchObject({ auth: "none", pdptype: "ipv4v6" });
  });
});
