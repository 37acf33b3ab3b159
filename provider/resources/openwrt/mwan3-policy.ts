/**
 * `Mwan3Policy` on OpenWrt: the named section `mwan3.<name>` of type `policy`: the members traffic may use
 * (uci list `use_member`) and what happens when none is online (`last_resort`), as docs/reference/openwrt-uci.md
 * §5 states. Rules pick a policy by name (`use_policy`). Changing `name` replaces the policy. Reloads `mwan3`.
 * Unverified [I]: that `last_resort` defaults to `unreachable`.
 * Docs: https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3
 */
import { z } from "zod";
import { uciOptions } from "./fields";
import { uniqueList } from "./typed-fields";
import { MWAN3_DOCS, mwan3Name } from "./mwan3-common";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  useMember: uci.list("use_member"),
  lastResort: uci.option("last_resort"),
} satisfies UciOptionRows;

export const schema = z
  .object({
    /** Policy (section) name, e.g. `balanced`, as rules name it in `usePolicy`; at most 15 characters [I]. */
    name: mwan3Name,
    /** Members (`mwan3.<member>` names) the policy uses; at least one, no repeats. uci list `use_member`. */
    useMember: uniqueList(mwan3Name),
    /** When no member is online: `unreachable` (reject), `blackhole` (drop) or `default` (main routing table). uci option `last_resort`; default `unreachable` [I]. */
    lastResort: z.enum(["unreachable", "blackhole", "default"]).optional(),
    /** Further options by uci name, verbatim; undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => refuseMapped(v.extraOptions, OPTIONS, "Mwan3Policy", ctx));

export type Mwan3PolicyInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-mwan3-policy",
  docs: MWAN3_DOCS,
  schema,
  package: "mwan3",
  sectionType: "policy",
  section: { nameField: "name" },
  options: OPTIONS,
});
