/**
 * `/ip/firewall/nat`: one source- or destination-NAT rule, found by the identity tag in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/NAT (routeros-cli.md §5.6). Without `order` a new rule is
 * appended at the end of the list; with it, it is placed among this stack's NAT rules and kept there (declared
 * order, provider/routeros/rule-order.ts, as for FirewallRule). `masquerade` (not `src-nat`) flushes the
 * interface's conntrack entries on link/IP change, which matters for WAN failover (DOC-NAT).
 *
 * Adopt (`adopt: true`): an existing untagged item is found by its natural key `chain` + `action` + the matchers
 * `out-interface`, `out-interface-list`, `src-address`, `dst-address`, `protocol` (unset matchers must be unset on
 * the device too; the defconf masquerade is `chain=srcnat action=masquerade out-interface-list=WAN` [I]), so
 * `to-addresses`/`to-ports` can be changed; matchers this kind does not model (e.g. `ipsec-policy`) are not
 * compared and are left as they are; destroy puts its original values back (`adoptedDestroy` default "restore") and
 * never removes it.
 */
import { z } from "zod";
import { interfaceName, ipv4Address, ipv4Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { orderedKind, placeBeforeProp } from "../../routeros/rule-order";
import { declaredOrder, disabled, negatable, orderedUserComment, routerosName } from "./fields";
import * as derived from "./generated/nat-rule";

/** An IPv4 address or prefix (a matcher). */
const v4Match = z.union([ipv4Address, ipv4Prefix], { error: "must be an IPv4 address or prefix" });

/** `to-addresses`: an IPv4 address or range `a-b`. */
const v4Target = z.string().transform((s, ctx) => {
  const parts = s.split("-");
  const parsed = parts.map((p) => ipv4Address.safeParse(p));
  if (parts.length <= 2 && parsed.every((p) => p.success)) return parsed.map((p) => p.data).join("-");
  ctx.addIssue({ code: "custom", message: "must be an IPv4 address or range such as 192.0.2.10-192.0.2.20" });
  return z.NEVER;
});

/** `to-ports`: a port or range `a-b`, 1..65535. */
const portRange = z
  .string()
  .regex(/^\d{1,5}(-\d{1,5})?$/, "must be a port or range such as 8080 or 1000-2000")
  .refine((s) => s.split("-").every((p) => Number(p) >= 1 && Number(p) <= 65535), "ports must be 1..65535");

const base = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    chain: z.enum(["srcnat", "dstnat"]),
    action: z.enum(["masquerade", "src-nat", "dst-nat"]),
    /** Property `out-interface`. */
    outInterface: negatable(interfaceName).optional(),
    /** Property `out-interface-list`. */
    outInterfaceList: negatable(routerosName).optional(),
    /** Property `src-address`. */
    srcAddress: v4Match.optional(),
    /** Property `dst-address`. */
    dstAddress: v4Match.optional(),
    /** IP protocol name. Property `protocol`. */
    protocol: z.enum(["tcp", "udp", "icmp", "gre", "ipsec-esp", "ipsec-ah", "sctp", "udp-lite", "dccp"]).optional(),
    /** Property `to-addresses`. */
    toAddresses: v4Target.optional(),
    /** Property `to-ports`. */
    toPorts: portRange.optional(),
    comment: orderedUserComment.optional(),
    disabled,
    /**
     * Position among the NAT rules this stack manages: a non-negative integer, lower first; unset = appended,
     * position not checked. Stored in the comment as `order=<n>`. Not a RouterOS property.
     */
    order: declaredOrder.optional(),
  })
  .strict();

export const schema = base.superRefine((r, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (r.chain === "srcnat" && r.action === "dst-nat") issue("action", "dst-nat belongs in chain dstnat");
  if (r.chain === "dstnat" && r.action !== "dst-nat") issue("action", `${r.action} belongs in chain srcnat`);
  if (r.action === "src-nat" && r.toAddresses === undefined) issue("toAddresses", "is required for src-nat");
  if (r.action === "dst-nat" && r.toAddresses === undefined && r.toPorts === undefined)
    issue("toAddresses", "or toPorts is required for dst-nat");
  if (r.action === "masquerade" && r.toAddresses !== undefined)
    issue("toAddresses", "is not used by masquerade (use src-nat)");
  if (r.toPorts !== undefined && r.protocol !== "tcp" && r.protocol !== "udp")
    issue("toPorts", "needs protocol tcp or udp");
});

export type NatRuleInputs = z.output<typeof schema>;

const inner = (menu: string) =>
  routerosKind({
    name: "routeros-nat-rule",
    docs: "https://help.mikrotik.com/docs/display/ROS/NAT",
    schema: base.omit({ order: true }).extend({ placeBefore: z.string().optional() }),
    menu,
    identity: { by: "comment" },
    naturalKey: ["chain", "action", "outInterface", "outInterfaceList", "srcAddress", "dstAddress", "protocol"],
    commentField: "comment",
    props: {
      ...derived.props,
      chain: prop.text("chain"),
      action: prop.text("action"),
      outInterface: prop.text("out-interface"),
      outInterfaceList: prop.text("out-interface-list"),
      srcAddress: prop.text("src-address"),
      dstAddress: prop.text("dst-address"),
      protocol: prop.text("protocol"),
      toAddresses: prop.text("to-addresses"),
      toPorts: prop.text("to-ports"),
      disabled: prop.bool("disabled"),
      placeBefore: placeBeforeProp,
    },
    outputs: { invalid: "invalid", dynamic: "dynamic" },
    replaceOn: [],
    deleteBeforeReplace: false,
  });

export const kind = orderedKind<NatRuleInputs>(inner, {
  name: "routeros-nat-rule",
  docs: "https://help.mikrotik.com/docs/display/ROS/NAT",
  schema,
  menu: () => "/ip/firewall/nat",
  menuFields: [],
  menus: { "/ip/firewall/nat": {} },
});
