/**
 * examples/l2tp-backup's site — public addresses kept on failover through an L2TP tunnel over a backup PPPoE link,
 * a netwatch switching the default route, and a rip-cord subnet — as one `L2tpBackup` spec. It converges the
 * router to the same state as the hand-written index.ts there (tests/e2e/example-l2tp-backup.test.ts compares
 * the two); see that README for the design.
 */
import * as pulumi from "@pulumi/pulumi";
import { L2tpBackup, requireDevices } from "routerstack";

requireDevices();
const config = new pulumi.Config("routerstack");
const site = new L2tpBackup("site", {
  spec: {
    device: "crs",
    primary: "pppoe-gpon",
    backup: {
      port: "ether2",
      vlanId: 35,
      user: "site-a@backup.example",
      password: config.requireSecret("backupPassword"),
    },
    tunnel: {
      server: "203.0.113.1",
      user: "site-a",
      password: config.requireSecret("tunnelPassword"),
      local: "198.51.100.250",
      remote: "198.51.100.249",
    },
    publicAddress: "198.51.100.65/29",
    lan: "bridge",
    checkTarget: "203.0.113.10",
    directBackupSubnet: "192.0.2.128/26",
  },
});

export const { backupInterface, tunnelInterface, routingTables } = site;
