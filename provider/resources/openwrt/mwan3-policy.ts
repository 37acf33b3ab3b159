/**
 * `Mwan3Policy` on OpenWrt: the named section `mwan3.<name>` of type `policy`: the members traffic may use
 * (uci list `use_member`) and what happens when none is online (`last_resort`), as docs/reference/openwrt-uci.md
 * §5 states. Rules pick a policy by name (`use_policy`). Changing `name` replaces the policy. Reloads `mwan3`.
 * Unverified [I]: that `last_resort` defaults to `unreachable`.
 * Docs: https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3
 */
import { z } from "zod";
import type { ResourceKind } from "../kind";
import { optionTable, SECTION_ADOPTION, sectionDriver } from "../../openwrt/section-engine";
import { uciOptions } from "./fields";
import { refuseMapped, uniqueList } from "./typed-fields";
import { MWAN3_DOCS, mwan3Name, mwan3Reload } from "./mwan3-common";

const MAPPED = ["use_member", "last_resort"];

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
  .superRefine((v, ctx) => refuseMapped(v.extraOptions, MAPPED, "Mwan3Policy", ctx));

export type Mwan3PolicyInputs = z.output<typeof schema>;

const table = optionTable<Mwan3PolicyInputs>(
  [
    { field: "useMember", option: "use_member", as: "list" },
    { field: "lastResort", option: "last_resort" },
  ],
  "extraOptions",
);

export const kind: ResourceKind<Mwan3PolicyInputs> = {
  name: "openwrt-mwan3-policy",
  platform: "openwrt",
  schema,
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: [],
  docs: MWAN3_DOCS,
  adoption: SECTION_ADOPTION,
  driver: sectionDriver<Mwan3PolicyInputs>({
    package: () => "mwan3",
    type: () => "policy",
    sectionName: (i) => i.name,
    ...table,
    services: mwan3Reload,
  }),
};
