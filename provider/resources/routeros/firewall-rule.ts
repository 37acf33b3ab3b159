/**
 * `/ip/firewall/filter`, `/ip/firewall/mangle` and their IPv6 twins `/ipv6/firewall/filter`,
 * `/ipv6/firewall/mangle`: one firewall rule, found by the identity tag in `comment` (like NatRule). The menu
 * follows `table` and the family (declared, or IPv6 when an address is IPv6, else IPv4); a change of menu removes
 * the rule and adds it on the new one.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Filter and https://help.mikrotik.com/docs/display/ROS/Mangle
 * (routeros-cli.md §5.6). IPv6 menus mirror the IPv4 ones [I: §5.6 lists only the IPv4 menus].
 *
 * Declared order (`order`, provider/routeros/rule-order.ts): position among the rules this stack manages in the
 * same menu, lower first; unmanaged, dynamic and other stacks' rules keep their places. The order is kept on the
 * device next to the identity tag (`rs:<identity> order=<n>[ <comment>]`), a rule moved out of band reads back
 * with another `order` (drift), create places the rule with `place-before=` and update restores it with `move`.
 * Without `order` the rule is appended and its position is not checked.
 */
import { z } from "zod";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { orderedKind, placeBeforeProp } from "../../routeros/rule-order";
import { declaredOrder, disabled, orderedUserComment, routerosName } from "./fields";
import { checkMatch, familyOf, MATCH_KEY, matchFields, matchProps } from "./firewall-match";
import * as derived from "./generated/firewall-rule";

/** Connection and routing marks: a name, or `no-mark` (unmarked) for `connectionMark`. */
const mark = routerosName;

export const FILTER_ACTIONS = [
  "accept",
  "drop",
  "reject",
  "tarpit",
  "fasttrack-connection",
  "jump",
  "return",
  "log",
  "passthrough",
  "add-src-to-address-list",
  "add-dst-to-address-list",
] as const;
export const MANGLE_ACTIONS = [
  "accept",
  "drop",
  "jump",
  "return",
  "log",
  "passthrough",
  "add-src-to-address-list",
  "add-dst-to-address-list",
  "mark-connection",
  "mark-packet",
  "mark-routing",
  "change-dscp",
  "change-mss",
  "change-ttl",
  "sniff-tzsp",
  "strip-ipv4-options",
  "route",
] as const;
/** §5.6 [S DEEP] (IPv4). */
const REJECT_V4 = [
  "icmp-admin-prohibited",
  "icmp-host-prohibited",
  "icmp-host-unreachable",
  "icmp-net-prohibited",
  "icmp-network-unreachable",
  "icmp-port-unreachable",
  "icmp-protocol-unreachable",
  "tcp-reset",
] as const;
/** IPv6 reject types [I: not in the reference; ICMPv6 destination-unreachable codes as RouterOS names them]. */
const REJECT_V6 = [
  "icmp-no-route",
  "icmp-admin-prohibited",
  "icmp-not-neighbour",
  "icmp-address-unreachable",
  "icmp-port-unreachable",
  "tcp-reset",
] as const;
const MANGLE_ONLY = ["newConnectionMark", "newRoutingMark", "newPacketMark", "passthrough"] as const;

const base = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** `filter` or `mangle`: which firewall menu the rule lives in (with the family). Not a RouterOS property. */
    table: z.enum(["filter", "mangle"]),
    /** `ipv4` (`/ip/firewall/…`) or `ipv6` (`/ipv6/firewall/…`); unset: IPv6 when an address is IPv6, else IPv4. Not a RouterOS property. */
    family: z.enum(["ipv4", "ipv6"]).optional(),
    /** Chain: `input`, `forward`, `output` (filter), also `prerouting`, `postrouting` (mangle), or a user chain. Property `chain`. */
    chain: routerosName,
    /** Property `action` (device default `accept`). Filter: accept, drop, reject, tarpit, fasttrack-connection, …; mangle: mark-connection, mark-routing, mark-packet, …. */
    action: z.enum([...new Set([...FILTER_ACTIONS, ...MANGLE_ACTIONS])] as [string, ...string[]]).default("accept"),
    ...matchFields,
    /** Connection mark matched; `no-mark` matches unmarked connections. Property `connection-mark`. */
    connectionMark: mark.optional(),
    /** Connection states matched, a set of `established`, `related`, `new`, `invalid`, `untracked`. Property `connection-state`. */
    connectionState: z
      .array(z.enum(["established", "related", "new", "invalid", "untracked"]))
      .min(1)
      .transform((xs) => [...new Set(xs)].sort())
      .optional(),
    /** Routing mark matched (a routing table in v7). Property `routing-mark`. */
    routingMark: routerosName.optional(),
    /** Mangle `mark-connection`: the mark to set. Property `new-connection-mark`. */
    newConnectionMark: mark.optional(),
    /** Mangle `mark-routing`: the routing table to use (must exist, §5.6). Property `new-routing-mark`. */
    newRoutingMark: routerosName.optional(),
    /** Mangle `mark-packet`: the mark to set. Property `new-packet-mark`. */
    newPacketMark: mark.optional(),
    /** Mangle: go on to later rules after marking; unset = device default [I: `yes`]. Property `passthrough`. */
    passthrough: z.boolean().optional(),
    /** Filter `reject`: the reply sent. IPv4: §5.6 list (`tcp-reset`, `icmp-network-unreachable`, …); IPv6 names are [I]. Property `reject-with`. */
    rejectWith: z.enum([...new Set([...REJECT_V4, ...REJECT_V6])] as [string, ...string[]]).optional(),
    /** Log matching packets; default no. Property `log`. */
    log: z.boolean().default(false),
    /** Prefix of log lines, at most 31 characters; default empty. Property `log-prefix`. */
    logPrefix: z
      .string()
      .max(31, "must be at most 31 characters")
      .regex(/^[\x20-\x7e]*$/, "must be printable ASCII")
      .default(""),
    comment: orderedUserComment.optional(),
    disabled,
    /**
     * Position among the rules this stack manages in the same menu: a non-negative integer, lower first (equal
     * orders in any order); unset = appended, position not checked. Stored in the comment as `order=<n>`; a rule
     * moved out of band reads back with another order. Not a RouterOS property.
     */
    order: declaredOrder.optional(),
  })
  .strict();

export const schema = base.superRefine((r, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const fam = familyOf(r);
  const actions: readonly string[] = r.table === "filter" ? FILTER_ACTIONS : MANGLE_ACTIONS;
  if (!actions.includes(r.action)) issue("action", `${r.action} is not a ${r.table} action`);
  if (r.table === "filter" && ["prerouting", "postrouting"].includes(r.chain))
    issue("chain", `${r.chain} is a mangle chain, not a filter chain`);
  if (["srcnat", "dstnat"].includes(r.chain)) issue("chain", `${r.chain} is a NAT chain (use NatRule)`);
  for (const f of MANGLE_ONLY) if (r[f] !== undefined && r.table !== "mangle") issue(f, "is only for table mangle");
  if (r.action === "mark-connection" && r.newConnectionMark === undefined)
    issue("newConnectionMark", "is required for mark-connection");
  if (r.action === "mark-routing" && r.newRoutingMark === undefined)
    issue("newRoutingMark", "is required for mark-routing");
  if (r.action === "mark-packet" && r.newPacketMark === undefined)
    issue("newPacketMark", "is required for mark-packet");
  if (r.newConnectionMark !== undefined && r.action !== "mark-connection")
    issue("newConnectionMark", "needs action mark-connection");
  if (r.newRoutingMark !== undefined && r.action !== "mark-routing")
    issue("newRoutingMark", "needs action mark-routing");
  if (r.newPacketMark !== undefined && r.action !== "mark-packet") issue("newPacketMark", "needs action mark-packet");
  if (r.rejectWith !== undefined) {
    if (r.action !== "reject") issue("rejectWith", "needs action reject");
    const allowed: readonly string[] = fam === 6 ? REJECT_V6 : REJECT_V4;
    if (!allowed.includes(r.rejectWith)) issue("rejectWith", `${r.rejectWith} is not an IPv${fam} reject type`);
    // A TCP reset can only answer a TCP segment.
    if (r.rejectWith === "tcp-reset" && r.protocol !== "tcp") issue("rejectWith", "tcp-reset needs protocol tcp");
  }
  checkMatch(r, issue);
});

export type FirewallRuleInputs = z.output<typeof schema>;

export const menuOf = (r: FirewallRuleInputs): string => `/${familyOf(r) === 6 ? "ipv6" : "ip"}/firewall/${r.table}`;

/** The engine's view of one menu: the device properties only (table/family choose the menu). */
const inner = (menu: string) =>
  routerosKind({
    name: "routeros-firewall-rule",
    docs: "https://help.mikrotik.com/docs/display/ROS/Filter",
    schema: base.omit({ table: true, family: true, order: true }).extend({ placeBefore: z.string().optional() }),
    menu,
    identity: { by: "comment" },
    // The matchers and the action; targets (marks, reject-with), log and comment can then be changed in place.
    naturalKey: ["chain", "action", ...MATCH_KEY, "connectionMark", "connectionState", "routingMark"],
    commentField: "comment",
    props: {
      ...derived.props,
      chain: prop.text("chain"),
      action: prop.text("action"),
      ...matchProps,
      connectionMark: prop.text("connection-mark"),
      connectionState: prop.set("connection-state"),
      routingMark: prop.text("routing-mark"),
      newConnectionMark: prop.text("new-connection-mark"),
      newRoutingMark: prop.text("new-routing-mark"),
      newPacketMark: prop.text("new-packet-mark"),
      passthrough: prop.bool("passthrough"),
      rejectWith: prop.text("reject-with"),
      log: prop.bool("log"),
      logPrefix: prop.text("log-prefix"),
      disabled: prop.bool("disabled"),
      placeBefore: placeBeforeProp,
    },
    outputs: { invalid: "invalid", dynamic: "dynamic" },
    replaceOn: [],
    deleteBeforeReplace: false,
  });

export const kind = orderedKind<FirewallRuleInputs>(inner, {
  name: "routeros-firewall-rule",
  docs: "https://help.mikrotik.com/docs/display/ROS/Filter",
  schema,
  menu: menuOf,
  // Not device properties: they are where the rule was found.
  menuFields: ["table", "family"],
  menus: {
    "/ip/firewall/filter": { table: "filter" },
    "/ip/firewall/mangle": { table: "mangle" },
    "/ipv6/firewall/filter": { table: "filter", family: "ipv6" },
    "/ipv6/firewall/mangle": { table: "mangle", family: "ipv6" },
  },
});
