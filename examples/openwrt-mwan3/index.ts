/**
 * An OpenWrt router with three uplinks — a wired one and two LTE modems — balanced and failed over by mwan3
 * (README.md): per-uplink netifd interfaces with distinct metrics, an fw4 zone per uplink with masquerade, mwan3
 * tracking of each uplink, members, a balancing and a wired-first policy, and rules with sticky HTTPS.
 */
import { openwrt, requireConfig, requireDevices } from "routerstack";
import { multiwanSchema } from "./site";

requireDevices();
const site = requireConfig("routerstack", "multiwan", multiwanSchema);
const device = site.device;

interface Uplink {
  /** netifd interface = fw4 zone = mwan3 interface name. */
  name: string;
  /** netifd metric: mwan3 needs a distinct one per uplink. */
  metric: number;
  trackIp: string[];
  /** Weight within the balancing policy. */
  weight: number;
  /** LTE: probe less often (metered) and come back more cautiously. */
  lte: boolean;
}

const uplinks: Uplink[] = [
  { name: "wired", metric: 10, trackIp: site.wired.trackIp, weight: site.wired.weight, lte: false },
];

// --- Interfaces
new openwrt.NetworkInterface("wired", {
  device,
  name: "wired",
  proto: "static",
  netdev: site.wired.netdev,
  ipaddr: site.wired.address,
  gateway: site.wired.gateway,
  metric: 10,
});
site.lte.forEach((m, k) => {
  const metric = 20 + 10 * k;
  new openwrt.ModemProfile(m.name, {
    device,
    name: m.name,
    proto: "qmi",
    modemDevice: m.modemDevice,
    apn: m.apn,
    pdptype: "ipv4",
    auth: "none",
    metric,
  });
  uplinks.push({ name: m.name, metric, trackIp: m.trackIp, weight: 1, lte: true });
});

// Sections refer to each other by name only (zone → interface, member → mwan3 interface, policy → member), and the
// daemons resolve the names when they reload, so no dependsOn between them: created together, their writes share
// one commit and one reload per service.

// --- Firewall: one zone per uplink, masquerading what leaves through it, and lan → each uplink.
for (const u of uplinks) {
  new openwrt.FirewallZone(`zone-${u.name}`, {
    device,
    name: u.name,
    network: [u.name],
    input: "REJECT",
    output: "ACCEPT",
    forward: "REJECT",
    masq: true,
    mtuFix: true,
  });
  new openwrt.FirewallForwarding(`fwd-${site.lanZone}-${u.name}`, { device, src: site.lanZone, dest: u.name });
}

// --- mwan3: tracking, members, policies, rules.
for (const u of uplinks) {
  new openwrt.Mwan3Interface(`mwan3-${u.name}`, {
    device,
    name: u.name,
    family: "ipv4",
    trackIp: u.trackIp,
    // Online while at least one target answers: one unreachable target must not fail the uplink.
    reliability: 1,
    count: 1,
    timeout: 2,
    interval: u.lte ? 10 : 5,
    // LTE drops packets in bursts: fail after 5 bad rounds (50 s), return after 5 good ones; wired fails faster.
    down: u.lte ? 5 : 3,
    up: u.lte ? 5 : 3,
    initialState: "online",
  });
}

// Tier 1 of "balanced": every uplink, wired weighted up. "wired_first": wired, then both LTE balanced.
for (const u of uplinks) {
  new openwrt.Mwan3Member(`member-${u.name}-m1`, {
    device,
    name: `${u.name}_m1_w${u.weight}`,
    interface: u.name,
    metric: 1,
    weight: u.weight,
  });
  if (u.lte)
    new openwrt.Mwan3Member(`member-${u.name}-m2`, {
      device,
      name: `${u.name}_m2_w1`,
      interface: u.name,
      metric: 2,
      weight: 1,
    });
}
new openwrt.Mwan3Policy("policy-balanced", {
  device,
  name: "balanced",
  useMember: uplinks.map((u) => `${u.name}_m1_w${u.weight}`),
  lastResort: "unreachable",
});
new openwrt.Mwan3Policy("policy-wired-first", {
  device,
  name: "wired_first",
  useMember: uplinks.map((u) => (u.lte ? `${u.name}_m2_w1` : `${u.name}_m1_w${u.weight}`)),
  lastResort: "unreachable",
});

// Rules DO depend on each other: mwan3 matches them top-down and routerstack appends new sections, so each rule is
// created after the one above it (one extra mwan3 reload per rule on the first up). Specific first, catch-all last.
// HTTPS and VoIP are sticky: a session changing its source address mid-flow would be torn down by the far end.
const https = new openwrt.Mwan3Rule("rule-https", {
  device,
  name: "https",
  proto: "tcp",
  destPort: 443,
  family: "ipv4",
  sticky: true,
  timeout: 600,
  usePolicy: "balanced",
});
const voip = new openwrt.Mwan3Rule(
  "rule-voip",
  {
    device,
    name: "voip",
    proto: "udp",
    destPort: "5060,10000:20000",
    family: "ipv4",
    sticky: true,
    timeout: 3600,
    usePolicy: "wired_first",
  },
  { dependsOn: [https] },
);
new openwrt.Mwan3Rule(
  "rule-default",
  {
    device,
    name: "default_v4",
    destIp: "0.0.0.0/0",
    family: "ipv4",
    usePolicy: "balanced",
  },
  { dependsOn: [voip] },
);
