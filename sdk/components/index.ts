/** Pulumi components: a whole design from one compact spec, built from the ordinary kinds (README "Components"). */
export { Mwan3Uplinks, mwan3UplinksSpec } from "./mwan3-uplinks";
export type { Mwan3UplinksArgs, Mwan3UplinksOverrides, Mwan3UplinksSpec } from "./mwan3-uplinks";
export { L2tpBackup, l2tpBackupSpec } from "./l2tp-backup";
export type { L2tpBackupArgs, L2tpBackupOverrides, L2tpBackupSpec } from "./l2tp-backup";
export { ComponentSpecError } from "./spec-error";
export { DualRouterFailover, dualRouterFailoverSpec } from "./dual-router-failover";
export type {
  DualRouterFailoverArgs,
  DualRouterFailoverOverrides,
  DualRouterFailoverSpec,
} from "./dual-router-failover";
