/**
 * `/routing/bgp/connection` (RouterOS 7.20+ model, with `instance=`): one BGP session, keyed by its unique `name`;
 * the identity tag is kept in `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/BGP (routeros-cli.md §5.4).
 * Changing input filters takes effect only after a session refresh (`/routing/bgp/session refresh`), which this
 * kind does not trigger.
 */
import { z } from "zod";
import { asNumber, durationSeconds, ipAddress, ipv4Prefix, ipv6Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { requireBgpInstanceModel } from "../../routeros/version";
import { disabled, routerosName, userComment } from "./fields";

const REDISTRIBUTE = ["bgp", "bgp-mpls-vpn", "connected", "dhcp", "fantasy", "isis", "modem", "ospf", "rip", "slaac", "static", "vpn"] as const;

/** Hold time: 3s..1h in whole seconds (`infinity` is not supported). */
const holdSeconds = durationSeconds.pipe(z.number().min(3, "must be at least 3 seconds").max(3600, "must be at most 1h"));

export const schema = z.object({
  /** Unique connection name on the device; the natural key (a rename replaces the session). */
  name: routerosName,
  /** The `/routing/bgp/instance` this connection belongs to. Property `instance`. */
  instance: routerosName,
  /** Local AS number. Property `as`. */
  as: asNumber,
  /** Peer address (or a prefix to accept connections from). Property `remote.address`. */
  remoteAddress: z.union([ipAddress, ipv4Prefix, ipv6Prefix], { error: "must be an IP address or prefix" }),
  /** Peer AS; learned from the peer's OPEN when unset. Property `remote.as`. */
  remoteAs: asNumber.optional(),
  /** Local address to connect from. Property `local.address`. */
  localAddress: ipAddress.optional(),
  /** Property `local.role` (§5.4). */
  localRole: z.enum(["ebgp", "ebgp-customer", "ebgp-peer", "ebgp-provider", "ebgp-rs", "ebgp-rs-client", "ibgp", "ibgp-rr"]),
  /** Property `nexthop-choice`; device default `default`. */
  nexthopChoice: z.enum(["default", "force-self", "propagate"]).default("default"),
  /** Route sources announced; a set, sorted and de-duplicated; default none. Property `output.redistribute`. */
  outputRedistribute: z.array(z.enum(REDISTRIBUTE)).transform((xs) => [...new Set(xs)].sort()).default([]),
  /** Property `output.default-originate`; device default `never`. */
  outputDefaultOriginate: z.enum(["always", "if-installed", "never"]).default("never"),
  /** Seconds (or `"30s"`, `"3m"`); device default 3m. Property `hold-time`. */
  holdTime: holdSeconds.default(180),
  /** Seconds; device default hold-time/3 when unset [I: whether a read reports the derived value]. */
  keepaliveTime: durationSeconds.optional(),
  /** Property `multihop`; default no. */
  multihop: z.boolean().default(false),
  /** Templates inherited, in order; device default `default`. Property `templates`. */
  templates: z.array(routerosName).default(["default"]),
  /** Input filter chain. Property `input.filter`. */
  inputFilter: routerosName.optional(),
  /** Output filter chain. Property `output.filter-chain`. */
  outputFilterChain: routerosName.optional(),
  /** Property `use-bfd`; default no. */
  useBfd: z.boolean().default(false),
  comment: userComment.optional(),
  disabled,
}).strict();

export type BgpSessionInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-bgp-session",
  docs: "https://help.mikrotik.com/docs/display/ROS/BGP",
  schema,
  menu: "/routing/bgp/connection",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    name: prop.text("name"),
    instance: prop.text("instance"),
    as: prop.int("as"),
    remoteAddress: prop.text("remote.address"),
    remoteAs: prop.int("remote.as"),
    localAddress: prop.text("local.address"),
    localRole: prop.text("local.role"),
    nexthopChoice: prop.text("nexthop-choice"),
    outputRedistribute: prop.set("output.redistribute"),
    outputDefaultOriginate: prop.text("output.default-originate"),
    holdTime: prop.duration("hold-time"),
    keepaliveTime: prop.duration("keepalive-time"),
    multihop: prop.bool("multihop"),
    templates: prop.list("templates"),
    inputFilter: prop.text("input.filter"),
    outputFilterChain: prop.text("output.filter-chain"),
    useBfd: prop.bool("use-bfd"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  requires: requireBgpInstanceModel,
});
