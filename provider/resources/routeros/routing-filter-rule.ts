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
 * Order: rules run in list order within a chain, and a chain that falls off its end rejects [D DOC-RF]. This kind
 * does not manage order: a new rule is appended at the end of the list (`add` without `place-before`) and a rule
 * moved by hand is not reported as drift (the same limitation as RoutingRule, pending issue 6's ordering work).
 * Rules of one chain are therefore only in declared order when they are created in that order (`dependsOn` on the
 * previous rule); an order-free design is one rule per chain with `if … else`, or rules whose matches do not
 * overlap, each ending in `accept` or `reject`, so the implicit reject at the end catches the rest.
 */
import { z } from "zod";
import { LONE_SURROGATE } from "../common";
import { quote } from "../../routeros/codec";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
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
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type RoutingFilterRuleInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-routing-filter-rule",
  docs: "https://help.mikrotik.com/docs/display/ROS/Route+Selection+and+Filters",
  schema,
  menu: "/routing/filter/rule",
  identity: { by: "comment" },
  naturalKey: ["chain", "rule"],
  commentField: "comment",
  props: {
    ...derived.props,
    chain: prop.text("chain"),
    rule: prop.text("rule"),
    disabled: prop.bool("disabled"),
  },
  outputs: { invalid: "invalid" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
