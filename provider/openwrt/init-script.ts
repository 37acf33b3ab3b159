/**
 * Managed procd-less init scripts (`#!/bin/sh /etc/rc.common`, START=NN) and their /etc/rc.d links, as
 * `/etc/init.d/<name> enable` would create them. Docs: https://openwrt.org/docs/techref/initscripts
 */
import { CodecError, shQuote } from "./codec";

/** USB device path as under /sys/bus/usb/devices: `<bus>-<port>[.<port>…]`, e.g. `1-1` or `2-1.4`. */
export const USB_PATH = /^\d+-\d+(\.\d+)*$/;

export interface ColdBootSpec {
  /** netifd interface to bring up, e.g. `wwan`. */
  iface: string;
  /** USB device path, e.g. `1-1`. */
  usbPath: string;
  /** Seconds between de-authorising and re-authorising the device. */
  delaySeconds: number;
}

/** Start order of the script: after network (20) and the modem's own services. */
export const COLD_BOOT_START = 99;

/**
 * The modem cold-boot workaround: de-authorise the modem's USB device, wait, authorise it again (the kernel
 * re-enumerates it, which some modems need after a cold boot), then `ifup <iface>`.
 */
export function renderColdBootScript(spec: ColdBootSpec, identity: string): string {
  if (!USB_PATH.test(spec.usbPath))
    throw new CodecError("coldBoot.usbPath", `"${spec.usbPath}" is not a USB device path such as 1-1 or 2-1.4`);
  if (!Number.isInteger(spec.delaySeconds) || spec.delaySeconds < 0)
    throw new CodecError("coldBoot.delaySeconds", "must be a whole number of seconds");
  const auth = shQuote(`/sys/bus/usb/devices/${spec.usbPath}/authorized`, "coldBoot.usbPath");
  return [
    "#!/bin/sh /etc/rc.common",
    `# Managed by routerstack (${identity.replace(/[^\x20-\x7e]/g, "?")}); local edits show as drift and are overwritten.`,
    `# LTE modem cold-boot workaround: re-authorise USB device ${spec.usbPath}, then bring up ${spec.iface}.`,
    "",
    `START=${COLD_BOOT_START}`,
    "",
    "start() {",
    `\techo 0 > ${auth}`,
    `\tsleep ${spec.delaySeconds}`,
    `\techo 1 > ${auth}`,
    `\tifup ${shQuote(spec.iface, "name")}`,
    "}",
    "",
  ].join("\n");
}

/** Name of the script for an interface's cold-boot workaround. */
export function coldBootScriptName(iface: string): string {
  return `routerstack-${iface}-coldboot`;
}
