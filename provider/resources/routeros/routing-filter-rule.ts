/**
 * `/routing/filter/rule`: one rule of a route filter chain (as named by BGP `input.filter` /
 * `output.filter-chain`), found by the identity tag in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Route+Selection+and+Filters (routeros-cli.md §5.5).
 *
 * `rule` is RouterOS's script-like filter text, e.g. `if (dst in 203.0.113.0/24 && dst-len == 24) { accept }`
 * [D DOC-RF]. It is sent verbatim, quoted and escaped by the codec (`"` → `\"`, `$` → `\$`, §3.3), never
 * interpreted on the way; RouterOS parses it. Here it is only checked for what surely cannot parse (unbalanced
 * brackets or quotes, control characters) and for the length of one exec line.
 *
 * Order: rules run in list order within a chain, and a chain that falls off its end rejects [D DOC-RF;
 * https://help.mikrotik.com/docs/display/ROS/Route+Selection+and+Filters]. RouterOS 7.16–7.23 accept
 * `place-before` on `add` and have `move` on this menu (their `/console/inspect` schema), so a declared `order`
 * (provider/routeros/rule-order.ts, as for FirewallRule) places the rule **among the rules this stack manages in
 * the same `chain`** — each chain is evaluated on its own, so rules of other chains neither count nor move; lower
 * first, equal orders in either order. The order is kept next to the identity tag
 * (`rs:<identity> order=<n>[ <comment>]`); a rule moved out of band within its chain reads back with another
 * `order` (drift), create places the rule with `place-before=` and update moves it back with `move`. A re-created
 * rule goes back before this stack's next higher-ordered rule of its chain (e.g. before a final `reject` declared
 * with a higher order), not to the end. Without `order` the rule is appended at the end of the list and its
 * position is not checked; unmanaged and other stacks' rules keep their places either way.
 */
import { z } from "zod";
import { LONE_SURROGATE } from "../common";
import { quote } from "../../routeros/codec";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { orderedKind, placeBeforeProp } from "../../routeros/rule-order";
import { declaredOrder, disabled, orderedUserComment, routerosName } from "./fields";
import * as derived from "./generated/routing-filter-rule";

/** Longest rule, in bytes once quoted for the CLI, so that a whole `add` still fits one 4 KB exec line (§1.3). */
export const MAX_RULE_QUOTED_BYTES = 3000;

/** The first bracket or quote problem of a rule text, or undefined; brackets inside `"…"` do not count. */
export function bracketProblem(text: string): string | undefined {
  const open: string[] = [];
  const pairs: Record<string, string> = { ")": "(", "}": "{", "]": "[" };
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === "\\") i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === "(" || c === "{" || c === "[") open.push(c);
    else if (c in pairs) {
      if (open.pop() !== pairs[c]) return `has an unmatched ${c}`;
    }
  }
  if (inQuote) return 'has an unterminated "';
  if (open.length) return `has an unclosed ${open[open.length - 1]}`;
  return undefined;
}

const ruleText = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no unpaired surrogate)")
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s), "must be one line without control characters")
  .refine(
    (s) => quote(s).text.length <= MAX_RULE_QUOTED_BYTES,
    `is too long: at most ${MAX_RULE_QUOTED_BYTES} bytes once quoted for the RouterOS command line`,
  )
  .superRefine((s, ctx) => {
    const problem = bracketProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Chain the rule belongs to, e.g. `transit-in`; referenced by BGP `input.filter`/`output.filter-chain`. Property `chain`. */
    chain: routerosName,
    /** The rule text, one line, e.g. `if (dst == 203.0.113.0/24) { accept }`; surrounding spaces are trimmed. Property `rule`. */
    rule: ruleText,
    comment: orderedUserComment.optional(),
    disabled,
    /**
     * Position among the rules this stack manages in the same `chain` (RouterOS runs each chain in list order): an
     * integer 0..999999999, lower first (equal orders in any order); unset = appended, position not checked. Stored
     * in the comment as `order=<n>`; a rule moved out of band reads back with another order. Not a RouterOS property.
     */
    order: declaredOrder.optional(),
  })
  .strict();

export type RoutingFilterRuleInputs = z.output<typeof schema>;

const DOCS = "https://help.mikrotik.com/docs/display/ROS/Route+Selection+and+Filters";

/** The engine's view of the menu: the device properties plus the hidden `place-before` of a placed `add`. */
const inner = (menu: string) =>
  routerosKind({
    name: "routeros-routing-filter-rule",
    docs: DOCS,
    schema: schema.omit({ order: true }).extend({ placeBefore: z.string().optional() }),
    menu,
    identity: { by: "comment" },
    naturalKey: ["chain", "rule"],
    commentField: "comment",
    props: {
      ...derived.props,
      chain: prop.text("chain"),
      rule: prop.text("rule"),
      disabled: prop.bool("disabled"),
      placeBefore: placeBeforeProp,
    },
    outputs: { invalid: "invalid" },
    replaceOn: [],
    deleteBeforeReplace: false,
  });

export const kind = orderedKind<RoutingFilterRuleInputs>(inner, {
  name: "routeros-routing-filter-rule",
  docs: DOCS,
  schema,
  menu: () => "/routing/filter/rule",
  menuFields: [],
  menus: { "/routing/filter/rule": {} },
  // Each chain is its own ordered list (DOCS): order among this stack's rules of the rule's chain only.
  scope: { field: "chain", prop: "chain" },
});
