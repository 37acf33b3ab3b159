/**
 * `/ip/firewall/raw` and its IPv6 twin `/ipv6/firewall/raw`: one RAW firewall rule, matched before connection
 * tracking (drop floods cheaply, `notrack` traffic that needs no state), found by the identity tag in `comment`.
 * The menu follows the family (declared, or IPv6 when an address is IPv6, else IPv4). Docs:
 * https://help.mikrotik.com/docs/display/ROS/Filter (section "RAW"). Property names from RouterOS's own schema
 * (provider/routeros/catalogue.generated.ts); RAW has no connection matchers (no conntrack yet).
 *
 * Declared order (`order`, provider/routeros/rule-order.ts) as FirewallRule: position among the rules this stack
 * manages in the same menu, lower first; kept in the comment as `order=<n>`; moved back with `move` on update.
 */
import { z } from "zod";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { orderCommentProblem, orderedKind, placeBeforeProp } from "../../routeros/rule-order";
import { disabled, routerosName, userComment } from "./fields";
import { checkMatch, familyOf, MATCH_KEY, matchFields, matchProps } from "./firewall-match";
import * as derived from "./generated/raw-rule";

/** Actions of the RAW table (RouterOS's own schema: `notrack` is RAW's; no reject, no marks). */
export const RAW_ACTIONS = [
  "accept",
  "drop",
  "notrack",
  "jump",
  "return",
  "log",
  "passthrough",
  "add-src-to-address-list",
  "add-dst-to-address-list",
] as const;

const base = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** `ipv4` (`/ip/firewall/raw`) or `ipv6` (`/ipv6/firewall/raw`); unset: IPv6 when an address is IPv6, else IPv4. Not a RouterOS property. */
    family: z.enum(["ipv4", "ipv6"]).optional(),
    /** Chain: `prerouting` (arriving packets), `output` (the router's own), or a user chain. Property `chain`. */
    chain: routerosName,
    /** Property `action`, default `accept`: accept, drop, notrack, jump, return, log, passthrough, add-src/dst-to-address-list. */
    action: z.enum(RAW_ACTIONS).default("accept"),
    /** `jump`: the chain to continue in. Property `jump-target`. */
    jumpTarget: routerosName.optional(),
    ...matchFields,
    /** Log matching packets; default no. Property `log`. */
    log: z.boolean().default(false),
    /** Prefix of log lines, at most 31 characters; default empty. Property `log-prefix`. */
    logPrefix: z
      .string()
      .max(31, "must be at most 31 characters")
      .regex(/^[\x20-\x7e]*$/, "must be printable ASCII")
      .default(""),
    comment: userComment.optional(),
    disabled,
    /**
     * Position among the rules this stack manages in the same menu: a non-negative integer, lower first; unset =
     * appended, position not checked. Stored in the comment as `order=<n>`. Not a RouterOS property.
     */
    order: z.number().int().min(0).max(999999999).optional(),
  })
  .strict();

export const schema = base.superRefine((r, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (r.action === "jump" && r.jumpTarget === undefined) issue("jumpTarget", "is required for action jump");
  if (r.jumpTarget !== undefined && r.action !== "jump") issue("jumpTarget", "needs action jump");
  checkMatch(r, issue);
  if (r.comment !== undefined) {
    const problem = orderCommentProblem(r.comment);
    if (problem) issue("comment", problem);
  }
});

export type RawRuleInputs = z.output<typeof schema>;

export const menuOf = (r: RawRuleInputs): string => `/${familyOf(r) === 6 ? "ipv6" : "ip"}/firewall/raw`;

/** The engine's view of one menu: the device properties only (the family chooses the menu). */
const inner = (menu: string) =>
  routerosKind({
    name: "routeros-raw-rule",
    docs: "https://help.mikrotik.com/docs/display/ROS/Filter",
    schema: base.omit({ family: true, order: true }).extend({ placeBefore: z.string().optional() }),
    menu,
    identity: { by: "comment" },
    // The matchers and the action; the jump target, log and comment can then be changed in place.
    naturalKey: ["chain", "action", ...MATCH_KEY],
    commentField: "comment",
    props: {
      ...derived.props,
      chain: prop.text("chain"),
      action: prop.text("action"),
      jumpTarget: prop.text("jump-target"),
      ...matchProps,
      log: prop.bool("log"),
      logPrefix: prop.text("log-prefix"),
      disabled: prop.bool("disabled"),
      placeBefore: placeBeforeProp,
    },
    outputs: { invalid: "invalid", dynamic: "dynamic" },
    replaceOn: [],
    deleteBeforeReplace: false,
  });

export const kind = orderedKind<RawRuleInputs>(inner, {
  name: "routeros-raw-rule",
  docs: "https://help.mikrotik.com/docs/display/ROS/Filter",
  schema,
  menu: menuOf,
  // Not a device property: it is where the rule was found.
  menuFields: ["family"],
  menus: {
    "/ip/firewall/raw": {},
    "/ipv6/firewall/raw": { family: "ipv6" },
  },
});
