/**
 * `/routing/rule`: one policy-routing rule (which table a packet is looked up in, by source, destination,
 * incoming interface or routing mark), found by the identity tag in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Policy+Routing (routeros-cli.md §5.3, §7).
 *
 * Rules are evaluated in list order. This kind does not manage that order yet: a new rule is appended at the end
 * of the list (`add` without `place-before`), and a rule moved by hand is not reported as drift. Declared order
 * among managed rules (read on refresh, restored by `up`) is future work (issue 6, as for FirewallRule).
 * `lookup` falls back to later rules and `main` when the table has no route; `lookup-only-in-table` does not
 * [D DOC-PBR]. Mangle routing marks take precedence over rules [D DOC-PBR]. The tables named here must exist
 * (a RoutingTable, created first). RouterOS 7.24 adds `chain`, `realm` and `vrf` [S]; they are not managed.
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
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/routing-rule";

const prefix = z.union([ipv4Prefix, ipv6Prefix], {
  error: "must be an IPv4 or IPv6 prefix such as 192.0.2.0/24 (no host bits set)",
});

const LOOKUPS = ["lookup", "lookup-only-in-table"];

export const schema = z
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
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((r, ctx) => {
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

export const kind = routerosKind({
  name: "routeros-routing-rule",
  docs: "https://help.mikrotik.com/docs/display/ROS/Policy+Routing",
  schema,
  menu: "/routing/rule",
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
  },
  outputs: { invalid: "invalid" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
