/**
 * The reference site as `DualRouterFailover` declares it, with the failover knobs taken from stack config
 * `failover:bgp` so the failover tests can change them between runs. Its OpenWrt half ("lte", the reference's
 * D-Link) is what the scenarios fail over: the modem profile, the fw4 zones and forwarding, BIRD2's main file,
 * `direct` on the iBGP interface, the static LTE defaults (preference 50) and the iBGP session `crs` to the "core"
 * router. Its RouterOS half goes to the lab's RouterOS emulator, which is not in the data path (core, a BIRD2,
 * stands in for the CRS there: README.md).
 */
import * as pulumi from "@pulumi/pulumi";
import { DualRouterFailover } from "routerstack";

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

new DualRouterFailover("site", {
  spec: {
    as: 65000,
    main: {
      device: "crs",
      uplinks: [
        {
          key: "gpon",
          name: "pppoe-gpon",
          pppoe: { port: "ether1", user: "crs@gpon.example" },
          checkTargets: ["198.51.100.200"],
        },
      ],
      lteInterface: "vlan6",
      ibgpAddress: "192.0.2.1",
    },
    lte: {
      device: "lte",
      ibgpAddress: "192.0.2.2",
      ibgpAddress6: "2001:db8:6::2",
      sessionName: "crs",
      modem: { proto: "qmi", device: "/dev/cdc-wdm0", apn: "internet", usbPath: "1-1" },
    },
    bgp: {
      holdTime: knobs.holdTime,
      keepaliveTime: knobs.keepaliveTime,
      lteDefaults: knobs.standby ? "standby" : "best-only",
      bfd: knobs.bfd ? { intervalMs: knobs.bfdIntervalMs ?? 100, multiplier: knobs.bfdMultiplier ?? 3 } : undefined,
    },
  },
});
