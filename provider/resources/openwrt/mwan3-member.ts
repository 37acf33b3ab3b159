/**
 * `Mwan3Member` on OpenWrt: the named section `mwan3.<name>` of type `member`: one interface with a metric and a
 * weight, for policies to list in `use_member`. Within a policy the members of the lowest metric carry the
 * traffic, balanced by weight; higher metrics are fail-over tiers (docs/reference/openwrt-uci.md §5: member =
 * interface, metric, weight). Changing `name` replaces the member. Reloads `mwan3`.
 * Unverified [I]: the ranges (metric 1..256, weight 1..1000) and defaults (metric 1, weight 1) of the OpenWrt mwan3 page.
 * Docs: https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3
 */
import { z } from "zod";
import { uciOptions } from "./fields";
import { MWAN3_DOCS, mwan3Name } from "./mwan3-common";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  interface: uci.option("interface"),
  metric: uci.int("metric"),
  weight: uci.int("weight"),
} satisfies UciOptionRows;

export const schema = z
  .object({
    /** Member (section) name, e.g. `lte1_m2_w1`, as policies list it; at most 15 characters [I]. */
    name: mwan3Name,
    /** The mwan3 interface (`mwan3.<interface>`, the netifd interface name). uci option `interface`; required. */
    interface: mwan3Name,
    /** Tier within a policy: lower is preferred. uci option `metric`; 1..256, default 1 [I]. */
    metric: z.number().int("must be an integer").min(1).max(256).optional(),
    /** Share of traffic among members of equal metric. uci option `weight`; 1..1000, default 1 [I]. */
    weight: z.number().int("must be an integer").min(1).max(1000).optional(),
    /** Further options by uci name, verbatim; undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => refuseMapped(v.extraOptions, OPTIONS, "Mwan3Member", ctx));

export type Mwan3MemberInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-mwan3-member",
  docs: MWAN3_DOCS,
  schema,
  package: "mwan3",
  sectionType: "member",
  section: { nameField: "name" },
  options: OPTIONS,
});
