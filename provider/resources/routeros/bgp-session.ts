/**
 * `/routing/bgp/connection`: one BGP session, keyed by its unique `name`; the identity tag is kept in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/BGP (routeros-cli.md §5.4).
 *
 * Both BGP models are supported, chosen from the probed version (bgp-common.ts):
 * - RouterOS 7.20+: `instance` is required (a BgpInstance holds AS, router id and VRF); `routerId` is refused.
 * - RouterOS 7.16–7.19: there is no instance menu; leave `instance` out (it is refused) and optionally set
 *   `routerId`, from which RouterOS infers the instance; shared settings can come from `templates` (BgpTemplate).
 * The error names the field and the version before anything is written. After an upgrade to 7.20 (which moves
 * router-id to the instance [D]), remove `routerId`, add a BgpInstance and set `instance`.
 * The session's own values, including the defaults below, override those of its templates [I: inheritance rule
 * not in the reference]; properties left unset here (e.g. `inputFilter`, `outputNetwork`) are inherited.
 * Changing input filters takes effect only after a session refresh (`/routing/bgp/session refresh`), which this
 * kind does not trigger.
 *
 * Adopt (`adopt: true`): an existing item is found by `name` (the natural key of a named menu); destroy puts its
 * original values back (`adoptedDestroy` default "restore"; secrets are left as they are) and never removes it.
 */
import { z } from "zod";
import { asNumber, durationSeconds, ipAddress, ipv4Prefix, ipv6Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { holdSeconds, localRole, redistribute, requireSessionModel, routerId, vrfName } from "./bgp-common";
import { disabled, routerosName, secretText, userComment } from "./fields";
import * as derived from "./generated/bgp-session";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique connection name on the device; the natural key (a rename replaces the session). */
    name: routerosName,
    /** The `/routing/bgp/instance` this connection belongs to: required on RouterOS 7.20+, refused before. Property `instance`. */
    instance: routerosName.optional(),
    /**
     * RouterOS 7.16–7.19 only (refused on 7.20+, where the BgpInstance has it): an IPv4 address or a `/routing/id`
     * name; device default when unset [I: `main`]. Property `router-id`.
     */
    routerId: routerId.optional(),
    /** Local AS number. Property `as`. */
    as: asNumber,
    /** Peer address (or a prefix to accept connections from). Property `remote.address`. */
    remoteAddress: z.union([ipAddress, ipv4Prefix, ipv6Prefix], { error: "must be an IP address or prefix" }),
    /** Peer AS; learned from the peer's OPEN when unset. Property `remote.as`. */
    remoteAs: asNumber.optional(),
    /** Local address to connect from. Property `local.address`. */
    localAddress: ipAddress.optional(),
    /** Property `local.role` (§5.4). */
    localRole,
    /** Property `nexthop-choice`; device default `default`. */
    nexthopChoice: z.enum(["default", "force-self", "propagate"]).default("default"),
    /** Route sources announced; a set, sorted and de-duplicated; default none. Property `output.redistribute`. */
    outputRedistribute: redistribute.default([]),
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
    /** `/ip/firewall/address-list` whose prefixes are announced (an AddressListEntry per prefix). Property `output.network`. */
    outputNetwork: routerosName.optional(),
    /** VRF the session runs in (an `/ip/vrf` name, or `main`); device default main. Property `vrf`. */
    vrf: vrfName.optional(),
    /**
     * TCP MD5 signature key shared with the peer (RFC 2385), at most 80 characters (the console's
     * `string value, max length 80`); a secret: compared through a hash, never shown. Property `tcp-md5-key`.
     */
    tcpMd5Key: secretText.pipe(z.string().max(80, "must be at most 80 characters")).optional(),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type BgpSessionInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-bgp-session",
  docs: "https://help.mikrotik.com/docs/display/ROS/BGP",
  schema,
  menu: "/routing/bgp/connection",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    instance: prop.text("instance"),
    routerId: prop.text("router-id"),
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
    outputNetwork: prop.text("output.network"),
    vrf: prop.text("vrf"),
    tcpMd5Key: prop.text("tcp-md5-key"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: ["tcpMd5Key"],
  requires: requireSessionModel,
});
