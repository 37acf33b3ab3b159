/**
 * A sample of the inputs derived from RouterOS's own catalogue (scripts/gen-routeros-props.ts), one or two per kind
 * that has any, through the shared lifecycle against the lab emulator (create → no-op → drift → update/unset →
 * renumber → delete), so their encoding and decoding round-trip; then bad input: a derived field's out-of-range
 * value is refused by `check` naming the field, and a property the connected version lacks is refused naming field
 * and version, with nothing written. Kinds with no derived input (RoutingTable, RoutingFilterRule, Scheduler, Vrf,
 * InterfaceListMember, AddressListEntry). Script `owner` is left out here: the lab emulator
 * still treats it as read-only, whereas /console/inspect lists it for add/set (the `emu` branch derives that). declare every catalogued argument by hand or leave it out on purpose.
 */
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as staticRoute } from "../../../provider/resources/routeros/static-route";
import { kind as bgpSession } from "../../../provider/resources/routeros/bgp-session";
import { kind as bgpTemplate } from "../../../provider/resources/routeros/bgp-template";
import { kind as natRule } from "../../../provider/resources/routeros/nat-rule";
import { kind as firewallRule } from "../../../provider/resources/routeros/firewall-rule";
import { kind as netwatch } from "../../../provider/resources/routeros/netwatch";
import { kind as pppoe } from "../../../provider/resources/routeros/pppoe-client";
import { kind as l2tp } from "../../../provider/resources/routeros/l2tp-client";
import { kind as modemProfile } from "../../../provider/resources/routeros/modem-profile";
import { kind as pppProfile } from "../../../provider/resources/routeros/ppp-profile";
import { kind as ipAddress } from "../../../provider/resources/routeros/ip-address";
import { kind as vlan } from "../../../provider/resources/routeros/vlan";
import { kind as wgPeer } from "../../../provider/resources/routeros/wireguard-peer";
import { clearVersionCache } from "../../../provider/routeros/version";
import { badInputs, ctxFor, lifecycle, WRITE, type Device } from "./lifecycle";
import { emulator } from "./fixtures";

const key = (n: number) => Buffer.alloc(32, n).toString("base64");
const withInstance = (dev: Device) => {
  dev.run("/routing/bgp/instance/add name=transit as=64512 router-id=192.0.2.249");
};
const withTunnel = (dev: Device) => {
  dev.run(`/interface/wireguard/add name=wg-transit private-key="${key(9)}"`);
};

describe("emulator 7.20: StaticRoute pref-src (derived text)", () => {
  lifecycle({
    kind: staticRoute,
    menu: "/ip/route",
    newDevice: () => emulator(),
    inputs: { dstAddress: "198.51.100.0/24", gateway: "1.0.0.1", prefSrc: "192.0.2.1" },
    update: { dstAddress: "198.51.100.0/24", gateway: "1.0.0.1", distance: 3 },
    unsetField: "prefSrc" as never,
    drift: {
      args: [{ kind: "value", prop: "pref-src", value: "192.0.2.2" }],
      expect: { prefSrc: "192.0.2.2" } as never,
    },
  });
});

describe.each(["7.20", "7.23"] as const)("emulator %s: BgpSession connect/listen (derived yes|no)", (v) => {
  lifecycle({
    kind: bgpSession,
    menu: "/routing/bgp/connection",
    newDevice: () => emulator(v),
    setup: withInstance,
    inputs: {
      name: "transit",
      instance: "transit",
      as: 64512,
      remoteAddress: "192.0.2.250",
      localRole: "ebgp",
      connect: false,
      listen: true,
    },
    update: {
      name: "transit",
      instance: "transit",
      as: 64512,
      remoteAddress: "192.0.2.250",
      localRole: "ebgp",
      listen: true,
    },
    unsetField: "connect" as never,
    drift: { args: [{ kind: "value", prop: "listen", value: false }], expect: { listen: false } as never },
  });
});

describe("emulator 7.20: BgpTemplate afi (derived set of alternatives)", () => {
  lifecycle({
    kind: bgpTemplate,
    menu: "/routing/bgp/template",
    newDevice: () => emulator(),
    inputs: { name: "transit", as: 64512, afi: ["ipv6", "ip"] },
    update: { name: "transit", as: 64512, afi: ["ip"] },
    drift: { args: [{ kind: "value", prop: "afi", value: ["ip"] }], expect: { afi: ["ip"] } as never },
  });
});

describe("emulator 7.20: NatRule log/log-prefix (derived)", () => {
  lifecycle({
    kind: natRule,
    menu: "/ip/firewall/nat",
    newDevice: () => emulator(),
    inputs: { chain: "srcnat", action: "masquerade", outInterface: "ether1", log: true, logPrefix: "masq" },
    update: { chain: "srcnat", action: "masquerade", outInterface: "ether1", log: false },
    unsetField: "logPrefix" as never,
    drift: { args: [{ kind: "value", prop: "log", value: false }], expect: { log: false } as never },
  });
});

describe("emulator 7.20: FirewallRule packet-mark (derived)", () => {
  lifecycle({
    kind: firewallRule,
    menu: "/ip/firewall/filter",
    newDevice: () => emulator(),
    inputs: { table: "filter", chain: "forward", action: "accept", packetMark: "voice" },
    update: { table: "filter", chain: "forward", action: "accept", packetMark: "video" },
    drift: { args: [{ kind: "value", prop: "packet-mark", value: "bulk" }], expect: { packetMark: "bulk" } as never },
  });
});

describe("emulator 7.20: Netwatch start-delay (derived duration with range)", () => {
  lifecycle({
    kind: netwatch,
    menu: "/tool/netwatch",
    newDevice: () => emulator(),
    inputs: { host: "1.0.0.1", type: "icmp", startDelay: "1m" },
    update: { host: "1.0.0.1", type: "icmp", startDelay: 30 },
    drift: { args: [{ kind: "value", prop: "start-delay", value: "2m" }], expect: { startDelay: 120 } as never },
  });
});

const gpon2 = { name: "pppoe-wan2", interface: "ether2", user: "crs@wan2.example", password: "pppoe-secret" };
describe("emulator 7.20: PppoeClient max-mtu/max-mru (derived)", () => {
  lifecycle({
    kind: pppoe,
    menu: "/interface/pppoe-client",
    newDevice: () => emulator(),
    inputs: { ...gpon2, maxMtu: "1480", maxMru: "1480" },
    update: { ...gpon2, maxMtu: "1492" },
    unsetField: "maxMru" as never,
    drift: { args: [{ kind: "value", prop: "max-mtu", value: 1400 }], expect: { maxMtu: "1400" } as never },
  });
});

const backup = { name: "l2tp-backup", connectTo: "203.0.113.1", user: "site-a", password: "l2tp-secret" };
describe("emulator 7.20: L2tpClient max-mtu (derived)", () => {
  lifecycle({
    kind: l2tp,
    menu: "/interface/l2tp-client",
    newDevice: () => emulator(),
    inputs: { ...backup, maxMtu: "1450" },
    update: { ...backup, maxMtu: "1400" },
    drift: { args: [{ kind: "value", prop: "max-mtu", value: 1300 }], expect: { maxMtu: "1300" } as never },
  });
});

describe("emulator 7.20: ModemProfile use-network-apn (derived yes|no)", () => {
  lifecycle({
    kind: modemProfile,
    menu: "/interface/lte/apn",
    newDevice: () => emulator(),
    inputs: { name: "lte-apn", apn: "internet", useNetworkApn: false },
    update: { name: "lte-apn", apn: "internet", useNetworkApn: true },
    drift: {
      args: [{ kind: "value", prop: "use-network-apn", value: true }],
      expect: { useNetworkApn: true } as never,
    },
  });
});

describe("emulator 7.20: PppProfile use-upnp (derived)", () => {
  lifecycle({
    kind: pppProfile,
    menu: "/ppp/profile",
    newDevice: () => emulator(),
    inputs: { name: "l2tp-backup", useUpnp: "yes" },
    update: { name: "l2tp-backup", useUpnp: "no" },
    drift: { args: [{ kind: "value", prop: "use-upnp", value: "default" }], expect: { useUpnp: "default" } as never },
  });
});

describe("emulator 7.20: IpAddress network (derived; the issue's point-to-point case)", () => {
  lifecycle({
    kind: ipAddress,
    menu: "/ip/address",
    newDevice: () => emulator(),
    inputs: { address: "192.0.2.1/32", interface: "ether2", network: "192.0.2.2" },
    update: { address: "192.0.2.1/32", interface: "ether2", network: "192.0.2.3" },
    drift: {
      args: [{ kind: "value", prop: "network", value: "192.0.2.9" }],
      expect: { network: "192.0.2.9" } as never,
    },
  });
});

describe("emulator 7.20: Vlan arp (derived)", () => {
  lifecycle({
    kind: vlan,
    menu: "/interface/vlan",
    newDevice: () => emulator(),
    inputs: { name: "vlan7", vlanId: 7, interface: "ether2", arp: "proxy-arp" },
    update: { name: "vlan7", vlanId: 7, interface: "ether2", arp: "reply-only" },
    drift: { args: [{ kind: "value", prop: "arp", value: "disabled" }], expect: { arp: "disabled" } as never },
  });
});

describe("emulator 7.20: WireguardPeer client-address (derived; the issue's client-* case)", () => {
  lifecycle({
    kind: wgPeer,
    menu: "/interface/wireguard/peers",
    newDevice: () => emulator(),
    setup: withTunnel,
    inputs: { interface: "wg-transit", publicKey: key(5), clientAddress: "192.0.2.10/32" },
    update: { interface: "wg-transit", publicKey: key(5), clientAddress: "192.0.2.11/32" },
    drift: {
      args: [{ kind: "value", prop: "client-address", value: "192.0.2.12/32" }],
      expect: { clientAddress: "192.0.2.12/32" } as never,
    },
  });
});

badInputs([
  [
    "derived start-delay over its 1h range",
    netwatch as UntypedKind,
    { host: "1.0.0.1", startDelay: "2h" },
    "startDelay",
    /at most 1h/,
  ],
  [
    "derived connect not yes/no",
    bgpSession as UntypedKind,
    { name: "s", as: 1, remoteAddress: "192.0.2.1", connect: "maybe" },
    "connect",
    /boolean/,
  ],
  [
    "derived afi outside the console's alternatives",
    bgpTemplate as UntypedKind,
    { name: "t", as: 1, afi: ["ipx"] },
    "afi.0",
    /ip/,
  ],
  [
    "derived text with a control character",
    ipAddress as UntypedKind,
    { address: "192.0.2.1/32", interface: "ether2", network: "a\u0001b" },
    "network",
    /control/,
  ],
]);

describe("a property the connected version lacks is refused before any write, naming field and version", () => {
  beforeEach(() => clearVersionCache());

  it("BgpSession output.network-blackhole (RouterOS 7.23 only) on 7.20", async () => {
    const dev = emulator("7.20");
    withInstance(dev);
    const { ctx, transport } = ctxFor(dev);
    const inputs = bgpSession.schema.parse({
      name: "transit",
      instance: "transit",
      as: 64512,
      remoteAddress: "192.0.2.250",
      localRole: "ebgp",
      outputNetworkBlackhole: true,
    });
    await expect(bgpSession.driver.create(ctx, inputs)).rejects.toThrow(
      /outputNetworkBlackhole: device "crs" runs RouterOS 7\.20.*output\.network-blackhole/,
    );
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("IpAddress advertise (an /ipv6/address property) on an IPv4 address", async () => {
    const dev = emulator("7.20");
    const { ctx, transport } = ctxFor(dev);
    const inputs = ipAddress.schema.parse({ address: "192.0.2.1/24", interface: "ether2", advertise: true });
    await expect(ipAddress.driver.create(ctx, inputs)).rejects.toThrow(/advertise: .*RouterOS 7\.20.*\/ip\/address/);
    expect(transport.execs.filter((l) => WRITE.test(l))).toEqual([]);
  });

  it("an update adding a property the version lacks writes nothing either", async () => {
    const dev = emulator("7.16");
    const { ctx, transport } = ctxFor(dev);
    const base = { host: "1.0.0.1", type: "icmp" };
    const created = await netwatch.driver.create(ctx, netwatch.schema.parse(base));
    const before = transport.execs.length;
    // early-failure-detection exists from RouterOS 7.20.
    const news = netwatch.schema.parse({ ...base, earlyFailureDetection: true });
    await expect(netwatch.driver.update(ctx, created.id, netwatch.schema.parse(base), news)).rejects.toThrow(
      /earlyFailureDetection: device "crs" runs RouterOS 7\.16/,
    );
    expect(transport.execs.slice(before).filter((l) => WRITE.test(l))).toEqual([]);
  });
});
