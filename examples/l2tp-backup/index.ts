/**
 * A RouterOS site that keeps its public addresses when its primary uplink fails (README.md): the public block is
 * routed by a hosted L2TP server, reached through a tunnel that always rides the backup link; a netwatch on a
 * host reachable only through the primary uplink moves the default route onto the tunnel and back; a LAN subnet
 * goes straight out of the backup link with masquerade (the "rip-cord"), so it keeps working even when the
 * tunnel is down. Policy routing keeps each probe and the tunnel on its link whatever the main table says.
 */
import * as pulumi from "@pulumi/pulumi";
import { routeros, requireConfig, requireDevices } from "routerstack";
import { siteSchema } from "./site";

requireDevices();
const site = requireConfig("routerstack", "site", siteSchema);
const config = new pulumi.Config("routerstack");
const device = site.device;

// --- The backup link: a PPPoE session on the backup ISP's VLAN.
const wan2Vlan = new routeros.Vlan("wan2-vlan", {
  device,
  name: `vlan${site.backup.vlanId}`,
  vlanId: site.backup.vlanId,
  interface: site.backup.port,
  comment: "backup ISP hand-off",
});
const wan2 = new routeros.PppoeClient("wan2", {
  device,
  name: "pppoe-wan2",
  interface: wan2Vlan.name,
  user: site.backup.user,
  password: config.getSecret("backupPassword"),
  comment: "backup uplink",
});
new routeros.InterfaceListMember("wan2-in-wan", { device, list: "WAN", interface: wan2.name });

// --- Tables that pin traffic to one link: no fallback inside them (lookup-only-in-table rules below).
const wan1Force = new routeros.RoutingTable("wan1-force", { device, name: "wan1-force", fib: true });
const wan2Force = new routeros.RoutingTable("wan2-force", { device, name: "wan2-force", fib: true });
new routeros.StaticRoute("wan1-force-default", {
  device,
  dstAddress: "0.0.0.0/0",
  gateway: site.primary,
  routingTable: wan1Force.name,
  comment: "forced via primary",
});
new routeros.StaticRoute("wan2-force-default", {
  device,
  dstAddress: "0.0.0.0/0",
  gateway: wan2.name,
  routingTable: wan2Force.name,
  comment: "forced via backup",
});

// The tunnel endpoint always over the backup link, the health-check target always over the primary one, and
// the direct-backup subnet always out of the backup link.
new routeros.RoutingRule("tunnel-via-wan2", {
  device,
  dstAddress: `${site.tunnel.server}/32`,
  action: "lookup-only-in-table",
  table: wan2Force.name,
  comment: "l2tp endpoint via backup",
});
new routeros.RoutingRule("probe-via-wan1", {
  device,
  dstAddress: `${site.checkTarget}/32`,
  action: "lookup-only-in-table",
  table: wan1Force.name,
  comment: "health check via primary",
});
new routeros.RoutingRule("direct-backup-via-wan2", {
  device,
  srcAddress: site.directBackupSubnet,
  action: "lookup-only-in-table",
  table: wan2Force.name,
  comment: "rip-cord subnet via backup",
});

// --- The tunnel carrying the public block, with its PPP profile's up/down scripts.
const profile = new routeros.PppProfile("l2tp-backup-profile", {
  device,
  name: "l2tp-backup",
  localAddress: site.tunnel.local,
  remoteAddress: site.tunnel.remote,
  useEncryption: "required",
  changeTcpMss: "yes",
  onlyOne: "yes",
  onUp: ':log info "l2tp-backup up: the public block can fail over"',
  onDown: ':log warning "l2tp-backup down: only the rip-cord subnet has a way out if the primary fails"',
});
const tunnel = new routeros.L2tpClient("l2tp-backup", {
  device,
  name: "l2tp-backup",
  connectTo: site.tunnel.server,
  user: site.tunnel.user,
  password: config.getSecret("tunnelPassword"),
  profile: profile.name,
  comment: "public block over the backup link",
});
new routeros.IpAddress("public-address", {
  device,
  address: site.publicAddress,
  interface: site.lan,
  comment: "public block",
});

// --- Main-table defaults: primary first; the tunnel as the fallback the netwatch switches to.
new routeros.StaticRoute("default-primary", {
  device,
  dstAddress: "0.0.0.0/0",
  gateway: site.primary,
  distance: 1,
  comment: "default via primary",
});
new routeros.StaticRoute("default-tunnel", {
  device,
  dstAddress: "0.0.0.0/0",
  gateway: tunnel.name,
  distance: 2,
  comment: "default via l2tp",
});
new routeros.Netwatch("primary-health", {
  device,
  host: site.checkTarget,
  type: "icmp",
  interval: 10,
  timeout: 1,
  thrLossPercent: 50,
  name: "primary-health",
  // Scripts find the routes by the user part of their comment (after routerstack's identity tag).
  downScript:
    '/ip/route/disable [find where comment~"default via primary"]\n:log warning "primary down: default via l2tp"',
  upScript: '/ip/route/enable [find where comment~"default via primary"]\n:log info "primary up: default via primary"',
});

// --- The rip-cord: the direct-backup subnet masqueraded out of the backup link.
new routeros.NatRule("rip-cord", {
  device,
  chain: "srcnat",
  action: "masquerade",
  srcAddress: site.directBackupSubnet,
  outInterface: wan2.name,
  comment: "rip-cord: direct-backup subnet out of the backup link",
});
