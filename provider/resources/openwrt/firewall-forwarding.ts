/**
 * `FirewallForwarding` on OpenWrt (fw4): one named `forwarding` section in `firewall` allowing traffic from zone
 * `src` to zone `dest` (one direction). The section name is `name`, or derived from the identity
 * (`rs_<name>_<8 hex>`); fw4 does not look at it. Reloads `firewall`.
 * Option names are fw4's, verbatim (`src`, `dest` appear in OpenWrt 23.05's starting firewall config);
 * `family` and `enabled` follow https://openwrt.org/docs/guide-user/firewall/firewall_configuration, unverified
 * against a router [I]. That both zones exist is not checked (they may be created in the same `up`); fw4 ignores
 * a forwarding naming an unknown zone [I].
 * Docs: https://openwrt.org/docs/guide-user/firewall/firewall_configuration
 */
import { z } from "zod";
import { uciName, uciOptions } from "./fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  src: uci.option("src"),
  dest: uci.option("dest"),
  family: uci.option("family"),
  enabled: uci.bool("enabled"),
} satisfies UciOptionRows;

export const schema = z
  .object({
    /** uci section name; default derived from the identity (`rs_<name>_<8 hex>`). Changing it replaces the forwarding. */
    name: uciName.optional(),
    /** Zone the traffic comes from, e.g. `lan`. uci option `src`; required. */
    src: uciName,
    /** Zone the traffic goes to, e.g. `wwan`. uci option `dest`; required, not `src`. */
    dest: uciName,
    /** Address family. uci option `family`; default `any` [I]. */
    family: z.enum(["ipv4", "ipv6", "any"]).optional(),
    /** Forwarding active. uci option `enabled` (`1`/`0`); default true [I]. */
    enabled: z.boolean().optional(),
    /** Further options by uci name, verbatim; undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    refuseMapped(v.extraOptions, OPTIONS, "FirewallForwarding", ctx);
    if (v.src === v.dest)
      ctx.addIssue({
        code: "custom",
        path: ["dest"],
        message: `must differ from src ("${v.src}"); traffic within a zone follows the zone's forward policy`,
      });
  });

export type FirewallForwardingInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-firewall-forwarding",
  docs: "https://openwrt.org/docs/guide-user/firewall/firewall_configuration",
  schema,
  package: "firewall",
  sectionType: "forwarding",
  section: { nameField: "name" },
  options: OPTIONS,
});
