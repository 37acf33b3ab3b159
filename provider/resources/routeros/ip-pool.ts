/**
 * `/ip/pool`: a named IPv4 address pool (for `/ip/dhcp-server` `address-pool`, PPP profiles), keyed by its unique
 * `name`; the identity tag is kept in `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/IP+Pools.
 * Property names from RouterOS's own schema (provider/routeros/catalogue.generated.ts: `name`, `ranges`,
 * `next-pool`, `comment`).
 */
import { z } from "zod";
import { IPv4 } from "ip-num";
import { ipv4Address } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { routerosName, userComment } from "./fields";
import * as derived from "./generated/ip-pool";

/**
 * One range `first-last` (first ≤ last) or a single address, each IPv4, normalised. Prefixes (`/24`) are accepted by
 * RouterOS too, but how it prints them back is [I], so they are refused here: write the range out.
 */
const poolRange = z.string().transform((s, ctx) => {
  const parts = s.split("-");
  const addrs = parts.map((p) => ipv4Address.safeParse(p.trim()));
  if (parts.length > 2 || addrs.some((a) => !a.success)) {
    ctx.addIssue({ code: "custom", message: "must be an IPv4 range such as 192.0.2.10-192.0.2.99 or one address" });
    return z.NEVER;
  }
  const [first, last] = addrs.map((a) => a.data as string);
  if (last === undefined) return first;
  if (IPv4.fromString(first).value > IPv4.fromString(last).value) {
    ctx.addIssue({ code: "custom", message: "must not end before it starts" });
    return z.NEVER;
  }
  return `${first}-${last}`;
});

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique pool name, e.g. `dhcp-lan`; the natural key (a rename replaces the pool). Property `name`. */
    name: routerosName,
    /** Address ranges, in order, at least one: `192.0.2.10-192.0.2.99` or a single address. Property `ranges`. */
    ranges: z.array(poolRange).min(1, "must have at least one range"),
    /** Pool to take addresses from when this one is exhausted; default none. Property `next-pool`. */
    nextPool: routerosName.optional(),
    comment: userComment.optional(),
  })
  .strict();

export type IpPoolInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-ip-pool",
  docs: "https://help.mikrotik.com/docs/display/ROS/IP+Pools",
  schema,
  menu: "/ip/pool",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    ranges: prop.list("ranges"),
    nextPool: prop.text("next-pool"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
