/**
 * `FirewallZone` on OpenWrt (fw4): one `zone` section in `firewall`. fw4 keys a zone on its option `name`
 * (forwardings, rules and redirects refer to it), not on the section name; the OpenWrt defaults write zones as
 * anonymous sections. routerstack writes a NAMED section, `firewall.<name>` (the section name equals the zone name,
 * as the reference site's `firewall.wwan` does), and refuses to create or update it while another zone section,
 * named or anonymous, already holds that `name` (fw4 would see two zones of one name). To take over a stock
 * anonymous zone, delete it out of band first; its rules and forwardings keep working because they refer to
 * the zone by name. Changing `name` replaces the zone. Reloads `firewall`.
 * Option names are fw4's, verbatim, as https://openwrt.org/docs/guide-user/firewall/firewall_configuration
 * documents them; the starting configs of OpenWrt 23.05 use `name`, `network`, `input`/`output`/`forward`,
 * `masq` and `mtu_fix`. Unverified against a router [I]: `masq6`, `masq_src`/`masq_dest` (fw4 negation `!`
 * accepted in them), `family`, `log`, `device`, `subnet` and fw4's defaults named in the field docs.
 * Docs: https://openwrt.org/docs/guide-user/firewall/firewall_configuration
 */
import { z } from "zod";
import { linuxInterfaceName, uciName, uciOptions } from "./fields";
import { addressOrPrefix, sameOptionElsewhere, uniqueList } from "./typed-fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  name: uci.option("name"),
  network: uci.list("network"),
  devices: uci.list("device"),
  subnet: uci.list("subnet"),
  input: uci.option("input"),
  output: uci.option("output"),
  forward: uci.option("forward"),
  masq: uci.bool("masq"),
  masq6: uci.bool("masq6"),
  masqSrc: uci.list("masq_src"),
  masqDest: uci.list("masq_dest"),
  mtuFix: uci.bool("mtu_fix"),
  family: uci.option("family"),
  log: uci.bool("log"),
} satisfies UciOptionRows;

const policy = z.enum(["ACCEPT", "REJECT", "DROP"]);
/** A masquerade source/destination match: an address or prefix, negated with a leading `!` [I]. */
const masqMatch = z.string().transform((s, ctx) => {
  const neg = s.startsWith("!");
  const r = addressOrPrefix.safeParse(neg ? s.slice(1) : s);
  if (r.success) return `${neg ? "!" : ""}${r.data}`;
  ctx.addIssue({ code: "custom", message: "must be an IPv4 or IPv6 address or prefix, optionally negated with !" });
  return z.NEVER;
});

export const schema = z
  .object({
    /** Zone name, e.g. `wwan`: uci option `name` and the section name `firewall.<name>`. Changing it replaces the zone. */
    name: uciName,
    /** Logical interfaces (`network.<iface>` sections) in the zone. uci list `network`; default none. */
    network: uniqueList(uciName).optional(),
    /** Linux devices in the zone directly (not via an interface). uci list `device`; default none [I]. */
    devices: uniqueList(linuxInterfaceName).optional(),
    /** Subnets in the zone. uci list `subnet`; default none [I]. */
    subnet: uniqueList(addressOrPrefix).optional(),
    /** Policy for traffic to the router. uci option `input`; default fw4's `defaults` section's. */
    input: policy.optional(),
    /** Policy for traffic from the router. uci option `output`; default fw4's `defaults` section's. */
    output: policy.optional(),
    /** Policy for traffic forwarded between this zone's interfaces. uci option `forward`; default fw4's `defaults` section's. */
    forward: policy.optional(),
    /** IPv4 masquerade of traffic leaving through this zone. uci option `masq` (`1`/`0`); default false. */
    masq: z.boolean().optional(),
    /** IPv6 masquerade (NAT66) of traffic leaving through this zone. uci option `masq6` (`1`/`0`); default false [I]. */
    masq6: z.boolean().optional(),
    /** Masquerade only traffic from these sources (`!` negates). uci list `masq_src`; default all [I]. Needs masq or masq6. */
    masqSrc: uniqueList(masqMatch).optional(),
    /** Masquerade only traffic to these destinations (`!` negates). uci list `masq_dest`; default all [I]. Needs masq or masq6. */
    masqDest: uniqueList(masqMatch).optional(),
    /** Clamp TCP MSS to the path MTU on traffic leaving this zone. uci option `mtu_fix` (`1`/`0`); default false. */
    mtuFix: z.boolean().optional(),
    /** Address family the zone applies to. uci option `family`; default `any` [I]. */
    family: z.enum(["ipv4", "ipv6", "any"]).optional(),
    /** Log dropped and rejected traffic. uci option `log` (`1`/`0`); default false [I]. */
    log: z.boolean().optional(),
    /** Further zone options by uci name, verbatim (e.g. `log_limit`); undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    refuseMapped(v.extraOptions, OPTIONS, "FirewallZone", ctx);
    const masquerades = v.masq === true || v.masq6 === true;
    if (v.masqSrc?.length && !masquerades)
      ctx.addIssue({ code: "custom", path: ["masqSrc"], message: "needs masq or masq6 true" });
    if (v.masqDest?.length && !masquerades)
      ctx.addIssue({ code: "custom", path: ["masqDest"], message: "needs masq or masq6 true" });
    if (v.family === "ipv4" && v.masq6 === true)
      ctx.addIssue({ code: "custom", path: ["masq6"], message: "is IPv6 masquerade; the zone's family is ipv4" });
    if (v.family === "ipv6" && v.masq === true)
      ctx.addIssue({ code: "custom", path: ["masq"], message: "is IPv4 masquerade; the zone's family is ipv6" });
  });

export type FirewallZoneInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-firewall-zone",
  docs: "https://openwrt.org/docs/guide-user/firewall/firewall_configuration",
  schema,
  package: "firewall",
  sectionType: "zone",
  section: { nameField: "name" },
  options: OPTIONS,
  conflict: (i, others) => sameOptionElsewhere("zone", "name", i.name, "fw4 zone")(others),
});
