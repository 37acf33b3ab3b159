/**
 * `/ip/service`: one of the router's own management services (`ssh`, `winbox`, `api`, `www`…). RouterOS makes these
 * items itself, so the kind configures one in place: found by its `name`, set in place, and destroy sets the values
 * recorded at create back; nothing is ever added or removed. Docs: https://help.mikrotik.com/docs/display/ROS/Services.
 * Property names from RouterOS's own schema (provider/routeros/catalogue.generated.ts: `port`, `address`,
 * `max-sessions`, `vrf`, `disabled`; `name` is print-only there, so it only finds the item).
 *
 * routerstack itself talks to the router over `ssh`: `disabled: true` on `ssh` is refused, and a changed `ssh` port
 * or `address` takes effect for the next connection — the device's `port`/address in the stack config must allow it.
 * The lock-out guard (lockout-guard.ts) does not cover this menu yet.
 */
import { z } from "zod";
import { ipv4Address, ipv4Prefix, ipv6Address, ipv6Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { routerosName } from "./fields";
import * as derived from "./generated/service";

/** The services RouterOS 7 ships (Services manual); `reverse-proxy` appears on some builds [I]. */
export const SERVICES = ["api", "api-ssl", "ftp", "ssh", "telnet", "winbox", "www", "www-ssl"] as const;

/** An address (made a /32 or /128, as RouterOS stores it [I]) or a prefix allowed to connect. */
const allowed = z.union(
  [ipv4Prefix, ipv6Prefix, ipv4Address.transform((a) => `${a}/32`), ipv6Address.transform((a) => `${a}/128`)],
  { error: "must be an IPv4 or IPv6 prefix with no host bits set (192.0.2.0/24) or an address" },
);

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** The service, e.g. `ssh`, `winbox`, `www`; how it is found (a change moves the resource to another service). */
    name: z.enum(SERVICES),
    /** TCP port, 1..65535; default: left as it is (the service's own, e.g. 22 for ssh). Property `port`. */
    port: z.number().int().min(1).max(65535).optional(),
    /**
     * Prefixes (or single addresses) allowed to connect, sorted; `[]` = from anywhere. Default: left as it is, so
     * leaving it out never lifts an address restriction someone set. Property `address`.
     */
    address: z
      .array(allowed)
      .transform((xs) => [...new Set(xs)].sort())
      .optional(),
    /** Concurrent sessions, 1..1000 [I: bounds]; default: left as it is (RouterOS ships 20). Property `max-sessions`. */
    maxSessions: z.number().int().min(1).max(1000).optional(),
    /** VRF the service listens in; default: left as it is (RouterOS ships `main`). Property `vrf`. */
    vrf: routerosName.optional(),
    /** Service off; default: left as it is (RouterOS ships some off, e.g. `www-ssl`). Property `disabled`. */
    disabled: z.boolean().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.name === "ssh" && s.disabled === true)
      ctx.addIssue({
        code: "custom",
        path: ["disabled"],
        message: "must not be true for ssh: routerstack manages the router over SSH and would lock itself out",
      });
  });

export type ServiceInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-service",
  docs: "https://help.mikrotik.com/docs/display/ROS/Services",
  schema,
  menu: "/ip/service",
  identity: { by: "existing" },
  naturalKey: ["name"],
  props: {
    ...derived.props,
    name: prop.text("name"),
    port: prop.int("port"),
    address: prop.set("address"),
    maxSessions: prop.int("max-sessions"),
    vrf: prop.text("vrf"),
    disabled: prop.bool("disabled"),
  },
  outputs: { invalid: "invalid" },
  deviceOwnedWhenUnset: ["port", "address", "maxSessions", "vrf", "disabled"],
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
