/**
 * The reference dual-router LTE failover site (../../../shared/DESIGN.md "The reference topology"):
 * a RouterOS main router ("crs") with a PPPoE uplink and recursive, ping-checked default routes, and an OpenWrt
 * LTE router ("dlink") running BIRD2, joined by iBGP on vlan6.
 */
import * as pulumi from "@pulumi/pulumi";
import { routeros, openwrt, requireConfig, requireDevices } from "routerstack";
import { siteSchema } from "./site";

requireDevices();
const site = requireConfig("routerstack", "site", siteSchema);
const modemPassword = new pulumi.Config("routerstack").getSecret("modemPassword");
const pppoePassword = new pulumi.Config("routerstack").getSecret("pppoePassword");
const { crs, dlink } = site;

// --- CRS: the PPPoE uplink. Everything naming it below depends on it, so it exists before it is referenced.
const wan = new routeros.PppoeClient("pppoe-gpon", {
  device: crs.device,
  name: crs.wan,
  interface: crs.pppoe.port,
  user: crs.pppoe.user,
  password: pppoePassword,
  comment: "GPON uplink",
});

// --- CRS: recursive default routes. Each check target is reached only through the PPPoE uplink (host route,
// scope 10); the default route resolves through it (target-scope 11) and is ping-checked, so when the uplink
// stops forwarding the route goes inactive and the next one (or BGP's LTE default) takes over.
crs.checkTargets.forEach((target, i) => {
  const hostRoute = new routeros.StaticRoute(
    `check-target-${i + 1}`,
    {
      device: crs.device,
      dstAddress: `${target}/32`,
      gateway: crs.wan,
      scope: 10,
      comment: `check target ${i + 1} via ${crs.wan}`,
    },
    { dependsOn: [wan] },
  );
  new routeros.StaticRoute(
    `default-${i + 1}`,
    {
      device: crs.device,
      dstAddress: "0.0.0.0/0",
      gateway: target,
      distance: i + 1,
      checkGateway: "ping",
      targetScope: 11,
      comment: `default via ${crs.wan}, checked by ${target}`,
    },
    { dependsOn: [hostRoute] },
  );
});

// Masquerade only on the PPPoE uplink: LTE traffic is NATed by the D-Link.
new routeros.NatRule(
  "masquerade-gpon",
  {
    device: crs.device,
    chain: "srcnat",
    action: "masquerade",
    outInterface: crs.wan,
    comment: `masquerade on ${crs.wan} only`,
  },
  { dependsOn: [wan] },
);

// Flows must not shift WAN: a connection keeps the WAN it started on (connection mark set on its first packet
// out), and once its WAN fails its packets are rejected on the other one — TCP with a reset, the rest with
// ICMP network-unreachable — so clients reconnect at once instead of waiting for a timeout (the other side's
// NAT would drop them anyway). `order` keeps the rules in this sequence among the stack's rules of each menu.
const wans = [
  { key: "gpon", iface: crs.wan, mark: "gpon-conn" },
  { key: "lte", iface: crs.lteInterface, mark: "lte-conn" },
];
wans.forEach((w, i) => {
  new routeros.FirewallRule(
    `mark-${w.key}`,
    {
      device: crs.device,
      table: "mangle",
      chain: "forward",
      outInterface: w.iface,
      connectionMark: "no-mark",
      action: "mark-connection",
      newConnectionMark: w.mark,
      passthrough: true,
      order: i,
      comment: `mark ${w.key} connections`,
    },
    { dependsOn: [wan] },
  );
  const other = wans[1 - i];
  new routeros.FirewallRule(
    `fast-fail-${w.key}-tcp`,
    {
      device: crs.device,
      table: "filter",
      chain: "forward",
      connectionMark: w.mark,
      outInterface: other.iface,
      protocol: "tcp",
      action: "reject",
      rejectWith: "tcp-reset",
      order: 2 * i,
      comment: `${w.key} flow shifted to ${other.key}`,
    },
    { dependsOn: [wan] },
  );
  new routeros.FirewallRule(
    `fast-fail-${w.key}`,
    {
      device: crs.device,
      table: "filter",
      chain: "forward",
      connectionMark: w.mark,
      outInterface: other.iface,
      action: "reject",
      rejectWith: "icmp-network-unreachable",
      order: 2 * i + 1,
      comment: `${w.key} flow shifted to ${other.key}`,
    },
    { dependsOn: [wan] },
  );
});

// iBGP to the D-Link: route reflector, next hop forced to self, default announced while it is installed.
const instance = new routeros.BgpInstance("bgp-instance", {
  device: crs.device,
  name: crs.bgpInstance,
  as: site.as,
  routerId: crs.routerId,
});
new routeros.BgpSession("dlink-lte", {
  device: crs.device,
  name: "dlink-lte",
  instance: instance.name,
  as: site.as,
  localAddress: crs.ibgpAddress,
  localRole: "ibgp-rr",
  remoteAddress: dlink.ibgpAddress,
  remoteAs: site.as,
  nexthopChoice: "force-self",
  outputRedistribute: ["connected", "static"],
  outputDefaultOriginate: "if-installed",
  holdTime: 30,
  keepaliveTime: 10,
});

// --- D-Link: the LTE modem, its firewall zone, BIRD2.
const modem = new openwrt.ModemProfile("wwan", {
  device: dlink.device,
  name: "wwan",
  proto: dlink.modem.proto,
  modemDevice: dlink.modem.device,
  apn: dlink.modem.apn,
  pdptype: dlink.modem.pdptype,
  auth: modemPassword ? "chap" : "none",
  username: modemPassword ? "lte" : undefined,
  password: modemPassword,
  // Cold-boot workaround: some modems come up unusable after power-on until re-enumerated on USB.
  coldBoot: { usbPath: dlink.modem.usbPath },
});

new openwrt.UciSection(
  "zone-wwan",
  {
    device: dlink.device,
    package: "firewall",
    name: "wwan",
    type: "zone",
    options: {
      name: "wwan",
      network: ["wwan"],
      input: "REJECT",
      output: "ACCEPT",
      forward: "REJECT",
      masq: "1",
      masq6: "1",
    },
  },
  { dependsOn: [modem] },
);
new openwrt.UciSection("zone-uplink", {
  device: dlink.device,
  package: "firewall",
  name: "uplink",
  type: "zone",
  options: { name: "uplink", network: ["uplink"], input: "ACCEPT", output: "ACCEPT", forward: "ACCEPT" },
});
new openwrt.UciSection("forwarding-uplink-wwan", {
  device: dlink.device,
  package: "firewall",
  name: "uplink_wwan",
  type: "forwarding",
  options: { src: "uplink", dest: "wwan" },
});

// The bird2 package ships its own /etc/bird.conf: take it over, and give it back on destroy.
const bird = new openwrt.BirdConfig("bird", {
  device: dlink.device,
  adopt: true,
  routerId: dlink.routerId,
});
// Without `direct` on the iBGP interface BIRD cannot resolve the CRS next hop and installs an unreachable default.
new openwrt.BirdDirect(
  "ibgp-direct",
  {
    device: dlink.device,
    name: "ibgp_direct",
    interfaces: [dlink.ibgpInterface],
  },
  { dependsOn: [bird] },
);
new openwrt.BirdStatic(
  "lte-default",
  {
    device: dlink.device,
    name: "lte_default",
    routes: [{ prefix: "0.0.0.0/0", interface: dlink.wwanDevice }],
    preference: 50,
  },
  { dependsOn: [bird] },
);
new openwrt.BirdStatic(
  "lte-default6",
  {
    device: dlink.device,
    name: "lte_default6",
    routes: [{ prefix: "::/0", interface: dlink.wwanDevice }],
    preference: 50,
  },
  { dependsOn: [bird] },
);
new openwrt.BgpSession(
  "crs-ibgp",
  {
    device: dlink.device,
    name: "crs",
    localAs: site.as,
    neighborAddress: crs.ibgpAddress,
    neighborAs: site.as,
    localAddress: dlink.ibgpAddress,
    interface: dlink.ibgpInterface,
    // iBGP is multihop by default in BIRD; a session bound to an interface must be direct.
    direct: true,
    holdTime: 30,
    keepaliveTime: 10,
    ipv4: { import: "all", export: "all" },
    // IPv6 routes travel over the IPv4 session (extended next hop); their next hop is rewritten to our vlan6
    // address so the CRS can resolve it.
    ipv6: { import: "all", export: "all", extendedNextHop: true, exportNextHop: dlink.ibgpAddress6 },
  },
  { dependsOn: [bird] },
);
