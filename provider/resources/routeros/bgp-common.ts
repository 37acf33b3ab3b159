/**
 * What BgpSession (`/routing/bgp/connection`) and BgpTemplate (`/routing/bgp/template`) share (routeros-cli.md §5.4):
 * validators of the common properties, and the version rules of the two BGP models.
 *
 * RouterOS 7.16–7.19 has no `/routing/bgp/instance`: a connection or template carries `router-id` itself and the
 * instance is inferred from it [D DOC-BGP "Running More than One Instance"]. From 7.20 a connection names its
 * `instance`, and `router-id` exists only there. The version rules turn a field of the other model into an error
 * naming the field before anything is written, instead of the device's `syntax error`/`bad parameter`.
 * https://help.mikrotik.com/docs/display/ROS/BGP
 */
import { z } from "zod";
import { durationSeconds, ipv4Address } from "../common";
import { DeviceError } from "../kind";
import { bgpModel, type RouterOsVersion } from "../../routeros/version";
import { routerosName } from "./fields";

export const REDISTRIBUTE = [
  "bgp",
  "bgp-mpls-vpn",
  "connected",
  "dhcp",
  "fantasy",
  "isis",
  "modem",
  "ospf",
  "rip",
  "slaac",
  "static",
  "vpn",
] as const;

/** Hold time: 3s..1h in whole seconds (`infinity` is not supported). */
export const holdSeconds = durationSeconds.pipe(
  z.number().min(3, "must be at least 3 seconds").max(3600, "must be at most 1h"),
);

/** Keepalive: 1s..1h in whole seconds (§5.4 default hold-time/3). */
export const keepaliveSeconds = durationSeconds.pipe(
  z.number().min(1, "must be at least 1 second").max(3600, "must be at most 1h"),
);

/** Route sources announced: a set, sorted and de-duplicated. */
export const redistribute = z.array(z.enum(REDISTRIBUTE)).transform((xs) => [...new Set(xs)].sort());

export const localRole = z.enum([
  "ebgp",
  "ebgp-customer",
  "ebgp-peer",
  "ebgp-provider",
  "ebgp-rs",
  "ebgp-rs-client",
  "ibgp",
  "ibgp-rr",
]);

/** Router id: an IPv4 address (normalised) or a `/routing/id` name such as `main`. */
export const routerId = z.string().transform((s, ctx) => {
  const ip = ipv4Address.safeParse(s);
  if (ip.success) return ip.data;
  if (routerosName.safeParse(s).success && !/^[0-9.]+$/.test(s)) return s;
  ctx.addIssue({ code: "custom", message: "must be an IPv4 address or a /routing/id name" });
  return z.NEVER;
});

/** A VRF (`/ip/vrf` name, or the built-in `main`). */
export const vrfName = routerosName;

function modelError(device: string, v: RouterOsVersion, field: string, why: string): DeviceError {
  return new DeviceError(`${field}: device "${device}" runs RouterOS ${v.text}: ${why}`);
}

/**
 * Version rules of a connection: 7.20+ needs `instance` and has no `router-id`; 7.16–7.19 has no `instance`.
 * Without inputs (read, delete, the docs generator's probe) any supported version passes.
 */
export function requireSessionModel(
  v: RouterOsVersion,
  device: string,
  inputs?: { instance?: string; routerId?: string },
): void {
  if (!inputs) return;
  if (bgpModel(v) === "instance") {
    if (inputs.routerId !== undefined) {
      throw modelError(
        device,
        v,
        "routerId",
        "from 7.20 router-id belongs to /routing/bgp/instance; set it on the BgpInstance and leave it out of the session",
      );
    }
    if (inputs.instance === undefined) {
      throw modelError(
        device,
        v,
        "instance",
        "from 7.20 every connection names its /routing/bgp/instance; create a BgpInstance and set instance",
      );
    }
  } else if (inputs.instance !== undefined) {
    throw modelError(
      device,
      v,
      "instance",
      "/routing/bgp/instance exists from 7.20; leave instance out (and set routerId on the session if the default is not wanted)",
    );
  }
}

/** Version rules of a template: `router-id` only before 7.20. */
export function requireTemplateModel(v: RouterOsVersion, device: string, inputs?: { routerId?: string }): void {
  if (inputs?.routerId !== undefined && bgpModel(v) === "instance") {
    throw modelError(device, v, "routerId", "from 7.20 router-id belongs to /routing/bgp/instance, not to templates");
  }
}
