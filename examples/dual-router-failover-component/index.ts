/**
 * The reference dual-router LTE failover site (examples/dual-router-failover) as one `DualRouterFailover` spec: a
 * RouterOS main router ("crs") with a PPPoE uplink and recursive, ping-checked defaults, an OpenWrt LTE router
 * ("dlink") with BIRD2, iBGP on vlan6. tests/e2e/example-dual-router-failover.test.ts converges the lab from this
 * program and from the hand-written one and compares the two states.
 */
import * as pulumi from "@pulumi/pulumi";
import { DualRouterFailover, requireDevices } from "routerstack";

requireDevices();
const config = new pulumi.Config("routerstack");
const site = new DualRouterFailover("site", {
  spec: {
    as: 65000,
    main: {
      device: "crs",
      uplinks: [
        {
          key: "gpon",
          name: "pppoe-gpon",
          pppoe: { port: "ether1", user: "crs@gpon.example", password: config.getSecret("pppoePassword") },
          checkTargets: ["203.0.113.53", "203.0.113.54"],
        },
      ],
      lteInterface: "vlan6",
      ibgpAddress: "192.0.2.1",
      sessionName: "dlink-lte",
    },
    lte: {
      device: "dlink",
      ibgpAddress: "192.0.2.2",
      ibgpAddress6: "2001:db8:6::2",
      sessionName: "crs",
      modem: {
        proto: "qmi",
        device: "/dev/cdc-wdm0",
        apn: "internet",
        usbPath: "1-1",
        username: "lte",
        password: config.getSecret("modemPassword"),
      },
    },
  },
});

export const { uplinks, sessions, failoverPath } = site;
