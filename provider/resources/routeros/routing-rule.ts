/**
 * `/routing/rule`: one policy-routing rule (which table a packet is looked up in, by source, destination,
 * incoming interface or routing mark), found by the identity tag in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Policy+Routing (routeros-cli.md §5.3, §7).
 *
 * Rules are evaluated in list order [D DOC-PBR; https://help.mikrotik.com/docs/display/ROS/Policy+Routing]. RouterOS
 * 7.16–7.23 accept `place-before` on `add` and have `move` on this menu (their `/console/inspect` schema), so a
 * declared `order` (provider/routeros/rule-order.ts, as for FirewallRule) places the rule **among the rules this
 * stack manages in `/routing/rule`** (the whole list is one order): lower first, equal orders in either order. The
 * order is kept next to the identity tag (`rs:<identity> order=<n>[ <comment>]`); a rule moved out of band reads
 * back with another `order` (drift), create places the rule with `place-before=` and update moves it back with
 * `move`; a re-created rule goes back before this stack's next higher-ordered rule (e.g. before a final catch-all),
 * not to the end. Without `order` the rule is appended and its position is not checked; unmanaged and other
 * stacks' rules keep their places either way.
 * `lookup` falls back to later rules and `main` when the table has no route; `lookup-only-in-table` does not
 * [D DOC-PBR]. Mangle routing marks take precedence over rules [D DOC-PBR]. The tables named here must exist
 * (a RoutingTable, created first). The 7.22.3 and 7.23 schemas also list `chain`, `realm` and `vrf` on `add` [S]
 * (routeros-cli.md says 7.24); they are not managed, so every rule of this kind stays in the device's default
 * chain and the whole-list order is its order within that chain [I: how 7.22+ orders rules of different chains is
 * not documented in the reference].
 *
 * Adopt (`adopt: true`): an existing untagged item is found by its natural key the matchers `src-address` +
 * `dst-address` + `routing-mark` + `interface` (unset ones must be unset on the device too), so `action`/`table` of
 * an adopted rule can be changed; destroy puts its original values back (`adoptedDestroy` default "restore") and
 * never removes it.
 */
import { z } from "zod";
import { interfaceName, ipv4Prefix, ipv6Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { orderedKind, placeBeforeProp } from "../../routeros/rule-order";
import { declaredOrder, disabled, orderedUserComment, routerosName } from "./fields";
import * as derived from "./generated/routing-rule";

const prefix = z.union([ipv4Prefix, ipv6Prefix], {
  error: "must be an IPv4 or IPv6 prefix such as 192.0.2.0/24 (no host bits set)",
});

const LOOKUPS = ["lookup", "lookup-only-in-table"];

const base = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Source prefix matched, e.g. `192.0.2.0/29`. Property `src-address`. */
    srcAddress: prefix.optional(),
    /** Destination prefix matched, e.g. `1.0.0.1/32`. Property `dst-address`. */
    dstAddress: prefix.optional(),
    /** Routing mark matched (set by mangle `mark-routing`; a routing table name in v7). Property `routing-mark`. */
    routingMark: routerosName.optional(),
    /** Incoming interface matched. Property `interface`. */
    interface: interfaceName.optional(),
    /**
     * Property `action`: `lookup` (default [I: device default not in the reference]), `lookup-only-in-table`,
     * `drop`, `unreachable`.
     */
    action: z.enum(["drop", "lookup", "lookup-only-in-table", "unreachable"]).default("lookup"),
    /** Table to look up (must exist); required for the lookup actions. Property `table`. */
    table: routerosName.optional(),
    /**
     * Ignore a lookup result whose prefix length is at most this (0..128; like Linux `suppress_prefixlength`), so
     * e.g. `minPrefix: 0` skips the table's default route. Property `min-prefix`. Unset by default.
     */
    minPrefix: z.number().int().min(0).max(128).optional(),
    comment: orderedUserComment.optional(),
    disabled,
    /**
     * Position among the `/routing/rule` rules this stack manages (RouterOS evaluates them in list order): an
     * integer 0..999999999, lower first (equal orders in any order); unset = appended, position not checked. Stored
     * in the comment as `order=<n>`; a rule moved out of band reads back with another order. Not a RouterOS property.
     */
    order: declaredOrder.optional(),
  })
  .strict();

export const schema = base.superRefine((r, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (LOOKUPS.includes(r.action) && r.table === undefined) issue("table", `is required for action ${r.action}`);
  if (!LOOKUPS.includes(r.action) && r.table !== undefined) issue("table", `is not used by action ${r.action}`);
  if (r.srcAddress && r.dstAddress && r.srcAddress.includes(":") !== r.dstAddress.includes(":")) {
    issue("dstAddress", "must be of the same address family as srcAddress");
  }
  const v6 = [r.srcAddress, r.dstAddress].some((a) => a?.includes(":"));
  if (r.minPrefix !== undefined && !v6 && r.minPrefix > 32 && (r.srcAddress || r.dstAddress))
    issue("minPrefix", "must be at most 32 for IPv4");
});

export type RoutingRuleInputs = z.output<typeof schema>;

const DOCS = "https://help.mikrotik.com/docs/display/ROS/Policy+Routing";

/** The engine's view of the menu: the device properties plus the hidden `place-before` of a placed `add`. */
const inner = (menu: string) =>
  routerosKind({
    name: "routeros-routing-rule",
    docs: DOCS,
    schema: base.omit({ order: true }).extend({ placeBefore: z.string().optional() }),
    menu,
    identity: { by: "comment" },
    naturalKey: ["srcAddress", "dstAddress", "routingMark", "interface"],
    commentField: "comment",
    props: {
      ...derived.props,
      srcAddress: prop.text("src-address"),
      dstAddress: prop.text("dst-address"),
      routingMark: prop.text("routing-mark"),
      interface: prop.text("interface"),
      action: prop.text("action"),
      table: prop.text("table"),
      minPrefix: prop.int("min-prefix"),
      disabled: prop.bool("disabled"),
      placeBefore: placeBeforeProp,
    },
    outputs: { invalid: "invalid" },
    replaceOn: [],
    deleteBeforeReplace: false,
  });

export const kind = orderedKind<RoutingRuleInputs>(inner, {
  name: "routeros-routing-rule",
  docs: DOCS,
  schema,
  menu: () => "/routing/rule",
  menuFields: [],
  menus: { "/routing/rule": {} },
});
