/**
 * `/ip/route` and `/ipv6/route`: a static route; the family (and so the menu) follows `dstAddress`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/IP+Routing (routeros-cli.md §5.1). All properties are set in
 * place [TF]; a change of family moves the item (remove from the old menu, add on the new one).
 *
 * Adopt (`adopt: true`): an existing untagged item is found by its natural key `dst-address` + `routing-table` +
 * `gateway` (the reference's two default routes differ only by gateway), so `distance`, `check-gateway` and the
 * rest can be changed on an adopted route; destroy puts its original values back (`adoptedDestroy` default
 * "restore") and never removes it.
 */
import { z } from "zod";
import { interfaceName, ipv4Address, ipv4Prefix, ipv6Address, ipv6Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/static-route";

/** Address-looking text that must not be taken for an interface name when it fails to parse as an address. */
const ADDRESS_LIKE = /^[0-9A-Fa-f:.]+$/;

/**
 * A gateway: an IPv4/IPv6 address (recursive when it is not directly connected: resolved through routes whose
 * `scope` ≤ this route's `targetScope`), an interface name, or `address%interface`. Addresses are normalised.
 */
const gateway = z.string().transform((s, ctx) => {
  const [addr, iface, ...extra] = s.split("%");
  const ip = ipv4Address.safeParse(addr).success
    ? ipv4Address.parse(addr)
    : ipv6Address.safeParse(addr).success
      ? ipv6Address.parse(addr)
      : undefined;
  if (extra.length === 0 && iface !== undefined && ip && interfaceName.safeParse(iface).success)
    return `${ip}%${iface}`;
  if (iface === undefined && ip) return ip;
  if (iface === undefined && !ADDRESS_LIKE.test(s) && interfaceName.safeParse(s).success) return s;
  ctx.addIssue({ code: "custom", message: "must be an IP address, an interface name, or address%interface" });
  return z.NEVER;
});

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Destination prefix, e.g. `0.0.0.0/0`, `1.0.0.1/32`, `2001:db8::/32` (no host bits). Property `dst-address`. */
    dstAddress: z.union([ipv4Prefix, ipv6Prefix], { error: "must be an IPv4 or IPv6 prefix such as 0.0.0.0/0" }),
    /** Property `gateway`. */
    gateway,
    /** Administrative distance 1..255; default 1. */
    distance: z.number().int().min(1).max(255).default(1),
    /** Gateway reachability check; unset = none configured. CHR completion shows only arp|none|ping [S DEEP]. */
    checkGateway: z.enum(["arp", "bfd", "bfd-multihop", "none", "ping"]).optional(),
    /** Route scope 0..255; default 30. */
    scope: z.number().int().min(0).max(255).default(30),
    /** Largest scope of routes that may resolve this route's gateway (recursive next hops); default 10. */
    targetScope: z.number().int().min(0).max(255).default(10),
    /** Routing table (must exist); default `main`. */
    routingTable: routerosName.default("main"),
    /**
     * Drop what matches instead of forwarding (a presence flag: a bare `blackhole` word on the CLI, `!blackhole`
     * clears it; routeros-cli.md §3.1, §5.1); default off. Property `blackhole`.
     */
    blackhole: z.boolean().default(false),
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((r, ctx) => {
    const want = r.dstAddress.includes(":") ? 6 : 4;
    const got = addressFamily(r.gateway.split("%")[0]);
    if (got !== undefined && got !== want) {
      ctx.addIssue({
        code: "custom",
        path: ["gateway"],
        message: `must be an IPv${want} address for an IPv${want} destination`,
      });
    }
  });

function addressFamily(s: string): 4 | 6 | undefined {
  return ipv4Address.safeParse(s).success ? 4 : ipv6Address.safeParse(s).success ? 6 : undefined;
}

export type StaticRouteInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-static-route",
  docs: "https://help.mikrotik.com/docs/display/ROS/IP+Routing",
  schema,
  menu: (i) => (i.dstAddress.includes(":") ? "/ipv6/route" : "/ip/route"),
  importMenus: ["/ip/route", "/ipv6/route"],
  identity: { by: "comment" },
  naturalKey: ["dstAddress", "routingTable", "gateway"],
  commentField: "comment",
  props: {
    ...derived.props,
    dstAddress: prop.text("dst-address"),
    gateway: prop.text("gateway"),
    distance: prop.int("distance"),
    checkGateway: prop.text("check-gateway"),
    scope: prop.int("scope"),
    targetScope: prop.int("target-scope"),
    routingTable: prop.text("routing-table"),
    blackhole: prop.flag("blackhole"),
    disabled: prop.bool("disabled"),
  },
  outputs: { active: "active", immediateGw: "immediate-gw" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
