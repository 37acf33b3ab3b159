/**
 * routerstack: Pulumi resources for MikroTik RouterOS 7 and OpenWrt routers, managed over SSH.
 * Devices are declared in stack config `routerstack:devices`; see README.md.
 */
export * as routeros from "./routeros";
export * as openwrt from "./openwrt";
export { requireConfig, requireDevices, StackConfigError } from "./config";
export type { CommonArgs } from "./resource";
export * as validators from "./validators";
export * from "./components";
