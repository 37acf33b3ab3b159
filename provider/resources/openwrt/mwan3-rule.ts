/**
 * `Mwan3Rule` on OpenWrt: the named section `mwan3.<name>` of type `rule`: traffic matched on addresses, ports
 * and protocol is routed by the policy `use_policy`; with `sticky`, a source keeps the interface it was given for
 * `timeout` seconds (HTTPS sessions and the like break when their source address changes). Options as
 * docs/reference/openwrt-uci.md §5 lists them: src/dest ip and port, proto, sticky + timeout, ipset, family,
 * use_policy. mwan3 applies rules in section order, first match wins [I]; routerstack appends new sections, so
 * declare specific rules before a catch-all one, and mind the package's own stock rules (`https`,
 * `default_rule_v4`, ...) if they are still in /etc/config/mwan3. Changing `name` replaces the rule. Reloads `mwan3`.
 * Unverified [I]: the port syntax (iptables multiport: `80,443`, `1024:65535`), `timeout` default 600 s, the
 * `family` values and that `use_policy` also takes `default`, `unreachable` and `blackhole`.
 * Docs: https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3
 */
import { z } from "zod";
import { uciName, uciOptions } from "./fields";
import { addressOrPrefix, familyOf, multiPort } from "./typed-fields";
import { MWAN3_DOCS, mwan3Name } from "./mwan3-common";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  srcIp: uci.option("src_ip"),
  destIp: uci.option("dest_ip"),
  srcPort: uci.option("src_port"),
  destPort: uci.option("dest_port"),
  proto: uci.option("proto"),
  sticky: uci.bool("sticky"),
  timeout: uci.int("timeout"),
  ipset: uci.option("ipset"),
  family: uci.option("family"),
  usePolicy: uci.option("use_policy"),
} satisfies UciOptionRows;

export const schema = z
  .object({
    /** Rule (section) name, e.g. `https`; at most 15 characters [I]. */
    name: mwan3Name,
    /** Match source address or prefix. uci option `src_ip`; default any. */
    srcIp: addressOrPrefix.optional(),
    /** Match destination address or prefix. uci option `dest_ip`; default any. */
    destIp: addressOrPrefix.optional(),
    /** Match source ports (`443`, `80,443`, `1024:65535`) [I]. uci option `src_port`; needs proto tcp or udp. */
    srcPort: multiPort.optional(),
    /** Match destination ports (`443`, `80,443`, `1024:65535`) [I]. uci option `dest_port`; needs proto tcp or udp. */
    destPort: multiPort.optional(),
    /** Protocol. uci option `proto`; default `all`. */
    proto: z.enum(["tcp", "udp", "icmp", "all"]).optional(),
    /** Keep a source on the interface it was first given. uci option `sticky` (`1`/`0`); default false. */
    sticky: z.boolean().optional(),
    /** sticky: seconds a source stays on its interface after its last packet. uci option `timeout`; default 600 [I]. */
    timeout: z.number().int("must be a whole number of seconds").min(1).max(1000000).optional(),
    /** Match destinations in this ipset. uci option `ipset`; default none. */
    ipset: uciName.optional(),
    /** Address family. uci option `family`; default `any` [I]. */
    family: z.enum(["ipv4", "ipv6", "any"]).optional(),
    /** The policy (`mwan3.<policy>`) routing the traffic, or `default` (main table), `unreachable`, `blackhole` [I]. uci option `use_policy`; required. */
    usePolicy: mwan3Name,
    /** Further options by uci name, verbatim; undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    refuseMapped(v.extraOptions, OPTIONS, "Mwan3Rule", ctx);
    for (const [f, p] of [
      ["srcPort", v.srcPort],
      ["destPort", v.destPort],
    ] as const) {
      if (p !== undefined && v.proto !== "tcp" && v.proto !== "udp") issue(f, "needs proto tcp or udp");
    }
    if (v.timeout !== undefined && v.sticky !== true) issue("timeout", "is the sticky timeout; it needs sticky true");
    let fam = v.family === "any" ? undefined : v.family;
    for (const [f, a] of [
      ["srcIp", v.srcIp],
      ["destIp", v.destIp],
    ] as const) {
      if (a === undefined) continue;
      if (fam !== undefined && familyOf(a) !== fam)
        issue(f, `must be ${fam === "ipv4" ? "IPv4" : "IPv6"} like the rule's other address / family`);
      fam ??= familyOf(a);
    }
  });

export type Mwan3RuleInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-mwan3-rule",
  docs: MWAN3_DOCS,
  schema,
  package: "mwan3",
  sectionType: "rule",
  section: { nameField: "name" },
  options: OPTIONS,
});
