/**
 * The OpenWrt ("lte", the reference's D-Link) half of the reference topology, as examples/dual-router-failover
 * declares it, with the failover knobs taken from stack config `failover:bgp` so the failover tests can change
 * them between runs: the modem profile, the fw4 zones and forwarding, BIRD2's main file, `direct` on the iBGP
 * interface, the static LTE defaults (preference 50) and the iBGP session to the "core" router.
 */
import * as pulumi from "@pulumi/pulumi";
import { openwrt } from "routerstack";

interface BgpKnobs {
  holdTime: number;
  keepaliveTime: number;
  bfd?: boolean;
  bfdIntervalMs?: number;
  bfdMultiplier?: number;
  /** Keep the LTE defaults announced while they are not best (BgpSession channel `standby`). */
  standby?: boolean;
}

const knobs = new pulumi.Config("failover").requireObject<BgpKnobs>("bgp");
const device = "lte";

const modem = new openwrt.ModemProfile("wwan", {
  device,
  name: "wwan",
  proto: "qmi",
  modemDevice: "/dev/cdc-wdm0",
  apn: "internet",
  pdptype: "ipv4v6",
  auth: "none",
  coldBoot: { usbPath: "1-1" },
});
new openwrt.UciSection(
  "zone-wwan",
  {
    device,
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
  device,
  package: "firewall",
  name: "uplink",
  type: "zone",
  options: { name: "uplink", network: ["uplink"], input: "ACCEPT", output: "ACCEPT", forward: "ACCEPT" },
});
new openwrt.UciSection("forwarding-uplink-wwan", {
  device,
  package: "firewall",
  name: "uplink_wwan",
  type: "forwarding",
  options: { src: "uplink", dest: "wwan" },
});

const bird = new openwrt.BirdConfig("bird", { device, adopt: true, routerId: "192.0.2.2" });
new openwrt.BirdDirect("ibgp-direct", { device, name: "ibgp_direct", interfaces: ["vlan6"] }, { dependsOn: [bird] });
const lte4 = new openwrt.BirdStatic(
  "lte-default",
  {
    device,
    name: "lte_default",
    routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }],
    preference: 50,
  },
  { dependsOn: [bird] },
);
const lte6 = new openwrt.BirdStatic(
  "lte-default6",
  {
    device,
    name: "lte_default6",
    routes: [{ prefix: "::/0", interface: "wwan0" }],
    preference: 50,
  },
  { dependsOn: [bird] },
);
new openwrt.BgpSession(
  "crs-ibgp",
  {
    device,
    name: "crs",
    localAs: 65000,
    neighborAddress: "192.0.2.1",
    neighborAs: 65000,
    localAddress: "192.0.2.2",
    interface: "vlan6",
    direct: true,
    holdTime: knobs.holdTime,
    keepaliveTime: knobs.keepaliveTime,
    bfd: knobs.bfd ?? false,
    bfdIntervalMs: knobs.bfd ? knobs.bfdIntervalMs : undefined,
    bfdMultiplier: knobs.bfd ? knobs.bfdMultiplier : undefined,
    ipv4: { import: "all", export: "all", standby: knobs.standby ? ["lte_default"] : undefined },
    ipv6: {
      import: "all",
      export: "all",
      extendedNextHop: true,
      exportNextHop: "2001:db8:6::2",
      standby: knobs.standby ? ["lte_default6"] : undefined,
    },
  },
  { dependsOn: [bird, lte4, lte6] },
);
