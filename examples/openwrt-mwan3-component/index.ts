/**
 * examples/openwrt-mwan3's site — a wired and two LTE uplinks balanced and failed over by mwan3 — as one
 * `Mwan3Uplinks` spec. It converges the router to the same uci state as the hand-written index.ts there
 * (tests/e2e/example-openwrt-mwan3.test.ts compares the two); see that README for the design.
 */
import { Mwan3Uplinks, requireDevices } from "routerstack";

requireDevices();
const site = new Mwan3Uplinks("multiwan", {
  spec: {
    device: "router",
    uplinks: [
      {
        name: "wired",
        wired: { netdev: "eth1", address: "203.0.113.2/29", gateway: "203.0.113.1" },
        trackIp: ["192.0.2.53", "198.51.100.53"],
        weight: 3,
      },
      {
        name: "lte1",
        lte: { modemDevice: "/dev/cdc-wdm0", apn: "internet" },
        trackIp: ["192.0.2.53", "198.51.100.53"],
      },
      {
        name: "lte2",
        lte: { modemDevice: "/dev/cdc-wdm1", apn: "internet.example" },
        trackIp: ["192.0.2.54", "198.51.100.54"],
      },
    ],
    policies: { balanced: [["wired", "lte1", "lte2"]], wired_first: [["wired"], ["lte1", "lte2"]] },
    rules: [
      { name: "https", proto: "tcp", destPort: 443, sticky: true, timeout: 600, policy: "balanced" },
      { name: "voip", proto: "udp", destPort: "5060,10000:20000", sticky: true, timeout: 3600, policy: "wired_first" },
      { name: "default_v4", destIp: "0.0.0.0/0", policy: "balanced" },
    ],
  },
});

export const { uplinks, members, policies, rules } = site;
