/**
 * `/routing/bgp/template`: settings that BGP connections inherit through their `templates` list, keyed by the
 * unique `name`; the identity tag is kept in `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/BGP
 * (routeros-cli.md §5.4). Exists on every supported version; on 7.16–7.19 a template may carry `routerId` (the
 * instance is inferred from it), on 7.20+ that is refused (bgp-common.ts).
 *
 * Every property is optional: unset means "not set by this template", so the connection's own value or the
 * device default applies. A BgpSession always writes its defaulted properties (hold time, nexthop choice,
 * multihop, BFD, default-originate), which then override the template's [I: inheritance rule not in the
 * reference]; templates are for what sessions leave unset (AS, filters, `outputNetwork`, router id, VRF).
 * The built-in `default` template is not managed. Input filter changes need a session refresh (§5.4).
 */
import { z } from "zod";
import { asNumber } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { holdSeconds, keepaliveSeconds, redistribute, requireTemplateModel, routerId, vrfName } from "./bgp-common";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/bgp-template";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique template name; the natural key (a rename replaces). Not `default` (built in). Property `name`. */
    name: routerosName.refine((n) => n !== "default", "must not be default (the built-in template)"),
    /** Local AS number. Property `as`. */
    as: asNumber.optional(),
    /** RouterOS 7.16–7.19 only: IPv4 address or `/routing/id` name. Property `router-id`. */
    routerId: routerId.optional(),
    /** Seconds (or `"30s"`), 3s..1h. Property `hold-time`. */
    holdTime: holdSeconds.optional(),
    /** Seconds, 1s..1h. Property `keepalive-time`. */
    keepaliveTime: keepaliveSeconds.optional(),
    /** Property `nexthop-choice`: `default`, `force-self`, `propagate`. */
    nexthopChoice: z.enum(["default", "force-self", "propagate"]).optional(),
    /** Property `multihop`. */
    multihop: z.boolean().optional(),
    /** Property `use-bfd`. */
    useBfd: z.boolean().optional(),
    /** Input filter chain (RoutingFilterRule `chain`). Property `input.filter`. */
    inputFilter: routerosName.optional(),
    /** Output filter chain. Property `output.filter-chain`. */
    outputFilterChain: routerosName.optional(),
    /** Route sources announced; a set, sorted and de-duplicated. Property `output.redistribute`. */
    outputRedistribute: redistribute.optional(),
    /** Property `output.default-originate`: `always`, `if-installed`, `never`. */
    outputDefaultOriginate: z.enum(["always", "if-installed", "never"]).optional(),
    /** Address list whose prefixes are announced. Property `output.network`. */
    outputNetwork: routerosName.optional(),
    /** VRF of the sessions using the template (`/ip/vrf` name or `main`). Property `vrf`. */
    vrf: vrfName.optional(),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type BgpTemplateInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-bgp-template",
  docs: "https://help.mikrotik.com/docs/display/ROS/BGP",
  schema,
  menu: "/routing/bgp/template",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    as: prop.int("as"),
    routerId: prop.text("router-id"),
    holdTime: prop.duration("hold-time"),
    keepaliveTime: prop.duration("keepalive-time"),
    nexthopChoice: prop.text("nexthop-choice"),
    multihop: prop.bool("multihop"),
    useBfd: prop.bool("use-bfd"),
    inputFilter: prop.text("input.filter"),
    outputFilterChain: prop.text("output.filter-chain"),
    outputRedistribute: prop.set("output.redistribute"),
    outputDefaultOriginate: prop.text("output.default-originate"),
    outputNetwork: prop.text("output.network"),
    vrf: prop.text("vrf"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  requires: requireTemplateModel,
});
