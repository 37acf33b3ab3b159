/**
 * The failover-site RouterOS kinds of issue 13 item 6 (InterfaceList, Bridge, BridgePort, BridgeVlan, IpPool,
 * DhcpClient, DhcpServer, DhcpServerNetwork, Ipv6DhcpClient, Ipv6Nd) against the lab's in-process CLI emulator (menus from
 * tests/lab/routeros/menus-site.ts) on every emulated version: the shared lifecycle (create → no-op → drift →
 * update/unset → renumber → delete), what the device refuses, every mapped property being an argument RouterOS's
 * own schema lists for the menu and version, and bad input rejected by `check` naming the field with no device I/O.
 */
import type { ResourceKind } from "../../../provider/resources/kind";
import { catalogueProperties } from "../../../provider/routeros/catalogue";
import { clearVersionCache, parseVersion } from "../../../provider/routeros/version";
import { kind as interfaceList } from "../../../provider/resources/routeros/interface-list";
import { kind as bridge } from "../../../provider/resources/routeros/bridge";
import { kind as bridgePort } from "../../../provider/resources/routeros/bridge-port";
import { kind as ipPool } from "../../../provider/resources/routeros/ip-pool";
import { kind as dhcpClient } from "../../../provider/resources/routeros/dhcp-client";
import { kind as dhcpServer } from "../../../provider/resources/routeros/dhcp-server";
import { kind as dhcpServerNetwork } from "../../../provider/resources/routeros/dhcp-server-network";
import { kind as bridgeVlan } from "../../../provider/resources/routeros/bridge-vlan";
import { kind as ipv6DhcpClient } from "../../../provider/resources/routeros/ipv6-dhcp-client";
import { kind as ipv6Nd } from "../../../provider/resources/routeros/ipv6-nd";
import { badInputs, ctxFor, lifecycle, WRITE, type LifecycleCase } from "./lifecycle";
import { emulator, VERSIONS, type Variation } from "./fixtures";

const VARIED: Variation = { floatIntegers: true, clockDurations: true, nullForUnset: true };

/** Each case on every emulated version, the newest also with the unverified output formats. */
function onEveryVersion<I extends object>(label: string, c: Omit<LifecycleCase<I>, "newDevice">): void {
  for (const v of VERSIONS) {
    describe(`emulator ${v}: ${label}`, () => lifecycle({ ...c, newDevice: () => emulator(v) }));
  }
  describe(`emulator 7.23 with variations: ${label}`, () =>
    lifecycle({ ...c, newDevice: () => emulator("7.23", VARIED) }));
}

onEveryVersion("routeros-interface-list", {
  kind: interfaceList,
  menu: "/interface/list",
  inputs: { name: "UPLINKS", include: ["WAN"], comment: "gpon and lte" },
  update: { name: "UPLINKS", include: ["WAN", "LAN"], exclude: ["static"] },
  unsetField: "comment",
  drift: { args: [{ kind: "value", prop: "include", value: ["LAN"] }], expect: { include: ["LAN"] } },
});

onEveryVersion("routeros-bridge", {
  kind: bridge,
  menu: "/interface/bridge",
  inputs: { name: "br-lan", vlanFiltering: true, pvid: 10, autoMac: false, adminMac: "02:00:5e:00:53:01" },
  update: { name: "br-lan", protocolMode: "none", frameTypes: "admit-only-vlan-tagged", comment: "lan" },
  unsetField: "adminMac",
  drift: { args: [{ kind: "value", prop: "vlan-filtering", value: false }], expect: { vlanFiltering: false } },
});

onEveryVersion("routeros-bridge-port", {
  kind: bridgePort,
  menu: "/interface/bridge/port",
  inputs: { bridge: "bridge", interface: "ether3", pvid: 6, comment: "lte router" },
  update: { bridge: "bridge", interface: "ether3", frameTypes: "admit-only-untagged-and-priority-tagged", hw: false },
  unsetField: "comment",
  drift: { args: [{ kind: "value", prop: "pvid", value: 99 }], expect: { pvid: 99 } },
});

onEveryVersion("routeros-ip-pool", {
  kind: ipPool,
  menu: "/ip/pool",
  inputs: { name: "dhcp-lan", ranges: ["192.0.2.10-192.0.2.20", "192.0.2.30"], comment: "lan leases" },
  update: { name: "dhcp-lan", ranges: ["192.0.2.40-192.0.2.49"], nextPool: "dhcp-lan" },
  unsetField: "comment",
  drift: {
    args: [{ kind: "value", prop: "ranges", value: "192.0.2.50-192.0.2.51" }],
    expect: { ranges: ["192.0.2.50-192.0.2.51"] },
  },
});

onEveryVersion("routeros-dhcp-client", {
  kind: dhcpClient,
  menu: "/ip/dhcp-client",
  inputs: {
    interface: "ether2",
    addDefaultRoute: "yes",
    defaultRouteDistance: 3,
    usePeerDns: false,
    comment: "dhcp wan",
  },
  update: { interface: "ether2", addDefaultRoute: "no", usePeerNtp: false, disabled: true },
  unsetField: "comment",
  drift: {
    args: [{ kind: "value", prop: "default-route-distance", value: 250 }],
    expect: { defaultRouteDistance: 250 },
  },
});

onEveryVersion("routeros-dhcp-server", {
  kind: dhcpServer,
  menu: "/ip/dhcp-server",
  setup: (dev) => {
    expect(dev.run("/ip/pool/add name=lan ranges=192.0.2.10-192.0.2.20")).toBe("");
  },
  inputs: { name: "dhcp-lan", interface: "bridge", addressPool: "lan", leaseTime: "1h", comment: "lan" },
  update: { name: "dhcp-lan", interface: "vlan6", leaseTime: 600, authoritative: "after-2sec-delay", addArp: true },
  unsetField: "comment",
  drift: { args: [{ kind: "value", prop: "lease-time", value: "5m" }], expect: { leaseTime: 300 } },
});

onEveryVersion("routeros-dhcp-server-network", {
  kind: dhcpServerNetwork,
  menu: "/ip/dhcp-server/network",
  inputs: {
    address: "192.0.2.0/24",
    gateway: ["192.0.2.1"],
    dnsServer: ["192.0.2.1", "198.51.100.53"],
    domain: "lan.example",
    comment: "lan",
  },
  update: { address: "192.0.2.0/24", gateway: ["192.0.2.254"], ntpServer: ["192.0.2.1"], netmask: 24 },
  unsetField: "dnsServer",
  drift: {
    args: [{ kind: "value", prop: "dns-server", value: "203.0.113.53" }],
    expect: { dnsServer: ["203.0.113.53"] },
  },
});

onEveryVersion("routeros-bridge-vlan", {
  kind: bridgeVlan,
  menu: "/interface/bridge/vlan",
  inputs: { bridge: "bridge", vlanIds: [6, 10], tagged: ["bridge", "ether2"], untagged: ["ether3"], comment: "lte" },
  update: { bridge: "bridge", vlanIds: [6, 10], tagged: ["bridge", "ether4", "ether2"], disabled: true },
  unsetField: "untagged",
  drift: { args: [{ kind: "value", prop: "tagged", value: "bridge" }], expect: { tagged: ["bridge"] } },
});

onEveryVersion("routeros-ipv6-dhcp-client", {
  kind: ipv6DhcpClient,
  menu: "/ipv6/dhcp-client",
  inputs: {
    interface: "ether1",
    request: ["prefix", "address"],
    poolName: "gpon-pd",
    prefixHint: "::/56",
    comment: "pd",
  },
  update: { interface: "ether1", request: ["info"], addDefaultRoute: true, rapidCommit: false },
  unsetField: "poolName",
  drift: { args: [{ kind: "value", prop: "use-peer-dns", value: false }], expect: { usePeerDns: false } },
});

onEveryVersion("routeros-ipv6-nd", {
  kind: ipv6Nd,
  menu: "/ipv6/nd",
  inputs: { interface: "bridge", advertiseDns: "self", raLifetime: "10m", comment: "lan slaac" },
  update: { interface: "bridge", otherConfiguration: true, managedAddressConfiguration: true },
  unsetField: "comment",
  drift: { args: [{ kind: "value", prop: "ra-lifetime", value: "0s" }], expect: { raLifetime: 0 } },
});

describe("what reaches the device", () => {
  beforeEach(() => clearVersionCache());

  it.each(
    [
      [interfaceList, { name: "UPLINKS", include: ["WAN"], exclude: ["LAN"] }, "/interface/list"],
      [
        bridge,
        {
          name: "br-lan",
          protocolMode: "mstp",
          vlanFiltering: true,
          pvid: 10,
          frameTypes: "admit-only-vlan-tagged",
          ingressFiltering: false,
          igmpSnooping: true,
          autoMac: false,
          adminMac: "02:00:5e:00:53:01",
          disabled: true,
        },
        "/interface/bridge",
      ],
      [
        bridgePort,
        {
          bridge: "bridge",
          interface: "ether4",
          pvid: 7,
          frameTypes: "admit-only-vlan-tagged",
          ingressFiltering: false,
          hw: false,
          edge: "yes",
          disabled: true,
        },
        "/interface/bridge/port",
      ],
      [ipPool, { name: "p2", ranges: ["192.0.2.10-192.0.2.20"], nextPool: "p1" }, "/ip/pool"],
      [
        dhcpClient,
        {
          interface: "ether5",
          addDefaultRoute: "special-classless",
          defaultRouteDistance: 5,
          usePeerDns: false,
          usePeerNtp: false,
          disabled: true,
        },
        "/ip/dhcp-client",
      ],
      [
        dhcpServer,
        {
          name: "d2",
          interface: "bridge",
          addressPool: "static-only",
          leaseTime: 60,
          authoritative: "no",
          addArp: true,
          disabled: true,
        },
        "/ip/dhcp-server",
      ],
      [
        dhcpServerNetwork,
        {
          address: "198.51.100.0/24",
          gateway: ["198.51.100.1"],
          dnsServer: ["198.51.100.1"],
          ntpServer: ["198.51.100.1"],
          domain: "lan.example",
          netmask: 24,
        },
        "/ip/dhcp-server/network",
      ],
    ].map((x) => {
      const [k, raw, menu] = x as unknown as [ResourceKind<object>, Record<string, unknown>, string];
      return [k.name, k, raw, menu] as const;
    }),
  )("%s: every non-default input lands on the device and reads back equal", async (_name, k, raw, menu) => {
    const dev = emulator();
    // The pool `nextPool` names.
    expect(dev.run("/ip/pool/add name=p1 ranges=203.0.113.1-203.0.113.9")).toBe("");
    const { ctx, transport } = ctxFor(dev, "site/prod/all");
    const inputs = k.schema.parse(raw);
    // check's output is what Pulumi hands back to create: it must parse again to itself.
    expect(k.schema.parse(inputs)).toEqual(inputs);
    const res = await k.driver.create(ctx, inputs);
    expect(res.observed.inputs).toEqual(inputs);
    const line = transport.execs.find((l) => l.includes(`${menu}/add `))!;
    // The add command alone, out of its envelope (`:onerror e in={ <add>; :put … }`).
    const add = line.slice(line.indexOf(`${menu}/add `)).split("; :put")[0];
    const sent = [...add.matchAll(/ ([a-z][a-z0-9-]*)=/g)].map((m) => m[1]);
    // Every input (each set away from its default above) is sent under its own property.
    expect(sent.length).toBeGreaterThanOrEqual(Object.keys(raw).length);
    // Each property sent is an add and a set argument of the menu in RouterOS's own schema, on every version.
    for (const v of VERSIONS) {
      for (const verb of ["add", "set"] as const) {
        const known = catalogueProperties(menu, verb, parseVersion(v)!)!;
        expect(sent.filter((p) => !known.has(p))).toEqual([]);
      }
    }
    const rows = dev.dump()[menu] as Record<string, unknown>[];
    expect(rows.filter((r) => String(r.comment ?? "").startsWith("rs:site/prod/all"))).toHaveLength(1);
  });
});

describe("what the device refuses", () => {
  beforeEach(() => clearVersionCache());

  it("BridgePort: an interface already in a bridge is refused by the device; adopt takes the port over and restores it", async () => {
    const dev = emulator();
    expect(dev.run("/interface/bridge/port/add bridge=bridge interface=ether2")).toBe("");
    const ports = () =>
      JSON.parse(
        dev.run(
          ":put [:serialize to=json options=json.no-string-conversion [/interface/bridge/port/print detail as-value]]",
        ),
      );
    const factory = ports();
    const before = dev.dump();
    const { ctx, transport } = ctxFor(dev, "site/prod/p2");
    const inputs = bridgePort.schema.parse({ bridge: "bridge", interface: "ether2", pvid: 6 });
    await expect(bridgePort.driver.create(ctx, inputs)).rejects.toThrow(/already added as bridge port/);
    expect(dev.dump()).toEqual(before);
    const adopt = ctxFor(dev, "site/prod/p2", true);
    const res = await bridgePort.driver.create(adopt.ctx, inputs);
    expect(res.observed.inputs).toEqual(inputs);
    expect(ports()).toMatchObject([{ interface: "ether2", pvid: 6 }]);
    await bridgePort.driver.delete(adopt.ctx, res.id, inputs);
    // Restored, as `print` shows it (the restore writes the default pvid=1 explicitly).
    expect(ports()).toEqual(factory);
    expect(transport.execs.filter((l) => WRITE.test(l))).toHaveLength(1);
  });

  it("DhcpClient: a second client on one interface is refused; DhcpServer: a pool that does not exist is refused", async () => {
    const dev = emulator();
    const a = ctxFor(dev, "site/prod/c1");
    await dhcpClient.driver.create(a.ctx, dhcpClient.schema.parse({ interface: "ether2" }));
    const b = ctxFor(dev, "site/prod/c2");
    await expect(dhcpClient.driver.create(b.ctx, dhcpClient.schema.parse({ interface: "ether2" }))).rejects.toThrow(
      /dhcp-client on that interface already exists/,
    );
    expect(dev.dump()["/ip/dhcp-client"]).toHaveLength(1);
    await expect(
      dhcpServer.driver.create(
        b.ctx,
        dhcpServer.schema.parse({ name: "d", interface: "bridge", addressPool: "missing" }),
      ),
    ).rejects.toThrow(/input does not match any value of address-pool/);
    expect(dev.dump()["/ip/dhcp-server"] ?? []).toEqual([]);
  });

  it("InterfaceList: defconf's WAN is not taken over without adopt", async () => {
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/wan");
    const before = dev.dump();
    await expect(interfaceList.driver.create(ctx, interfaceList.schema.parse({ name: "WAN" }))).rejects.toThrow(
      /already has an item named "WAN".*adopt/,
    );
    // The create's `add` is conditional on the name being free (codec.addUnless): it did not run.
    expect(dev.dump()).toEqual(before);
  });
});

badInputs([
  ["bridge vlan id 4095", bridgeVlan, { bridge: "bridge", vlanIds: [4095] }, "vlanIds.0", /4094/],
  ["bridge vlan without ids", bridgeVlan, { bridge: "bridge", vlanIds: [] }, "vlanIds", /at least one/],
  [
    "bridge vlan port tagged and untagged",
    bridgeVlan,
    { bridge: "b", vlanIds: [6], tagged: ["ether2"], untagged: ["ether2"] },
    "untagged",
    /also tagged/,
  ],
  ["ipv6 dhcp client asks nothing", ipv6DhcpClient, { interface: "ether1", request: [] }, "request", /at least one/],
  [
    "ipv6 dhcp client prefix without pool",
    ipv6DhcpClient,
    { interface: "ether1", request: ["prefix"] },
    "poolName",
    /required/,
  ],
  [
    "ipv6 dhcp client hint IPv4",
    ipv6DhcpClient,
    { interface: "e", request: ["info"], prefixHint: "192.0.2.0/24" },
    "prefixHint",
    /IPv6 prefix/,
  ],
  ["ipv6 nd advertise-dns maybe", ipv6Nd, { interface: "bridge", advertiseDns: "maybe" }, "advertiseDns", /self/],
  ["ipv6 nd lifetime 3h", ipv6Nd, { interface: "bridge", raLifetime: "3h" }, "raLifetime", /9000/],
  ["interface list named like a built-in", interfaceList, { name: "all" }, "name", /built-in list/],
  [
    "interface list include with a space",
    interfaceList,
    { name: "L", include: ["a b"] },
    "include.0",
    /letters, digits/,
  ],
  ["bridge name with a slash", bridge, { name: "br/1" }, "name", /interface name/],
  ["bridge pvid 4095", bridge, { name: "br", pvid: 4095 }, "pvid", /4094/],
  ["bridge protocol-mode spanning", bridge, { name: "br", protocolMode: "spanning" }, "protocolMode", /rstp/],
  ["bridge admin-mac not a MAC", bridge, { name: "br", autoMac: false, adminMac: "02:00:00" }, "adminMac", /MAC/],
  [
    "bridge admin-mac with auto-mac",
    bridge,
    { name: "br", adminMac: "02:00:00:00:00:01" },
    "adminMac",
    /autoMac: false/,
  ],
  ["bridge port without interface", bridgePort, { bridge: "bridge" }, "interface", /expected string/],
  ["bridge port pvid 0", bridgePort, { bridge: "bridge", interface: "ether2", pvid: 0 }, "pvid", />=1/],
  [
    "bridge port frame types",
    bridgePort,
    { bridge: "b", interface: "e", frameTypes: "tagged" },
    "frameTypes",
    /admit-all/,
  ],
  ["pool range backwards", ipPool, { name: "p", ranges: ["192.0.2.20-192.0.2.10"] }, "ranges.0", /end before/],
  ["pool range IPv6", ipPool, { name: "p", ranges: ["2001:db8::1-2001:db8::9"] }, "ranges.0", /IPv4 range/],
  ["pool without ranges", ipPool, { name: "p", ranges: [] }, "ranges", /at least one/],
  [
    "dhcp client route yes-please",
    dhcpClient,
    { interface: "ether1", addDefaultRoute: "always" },
    "addDefaultRoute",
    /special-classless/,
  ],
  [
    "dhcp client distance 256",
    dhcpClient,
    { interface: "ether1", defaultRouteDistance: 256 },
    "defaultRouteDistance",
    /255/,
  ],
  [
    "dhcp server lease time word",
    dhcpServer,
    { name: "d", interface: "bridge", leaseTime: "long" },
    "leaseTime",
    /duration/,
  ],
  [
    "dhcp server lease time 0",
    dhcpServer,
    { name: "d", interface: "bridge", leaseTime: 0 },
    "leaseTime",
    /at least 1 second/,
  ],
  [
    "dhcp server authoritative",
    dhcpServer,
    { name: "d", interface: "b", authoritative: "maybe" },
    "authoritative",
    /after-2sec-delay/,
  ],
  ["dhcp network with host bits", dhcpServerNetwork, { address: "192.0.2.1/24" }, "address", /no host bits/],
  [
    "dhcp network dns IPv6",
    dhcpServerNetwork,
    { address: "192.0.2.0/24", dnsServer: ["2001:db8::1"] },
    "dnsServer.0",
    /IPv4/,
  ],
  ["dhcp network netmask 33", dhcpServerNetwork, { address: "192.0.2.0/24", netmask: 33 }, "netmask", /32/],
  [
    "dhcp network domain with space",
    dhcpServerNetwork,
    { address: "192.0.2.0/24", domain: "a b" },
    "domain",
    /domain name/,
  ],
]);
