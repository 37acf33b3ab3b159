/**
 * `FirewallRule` on OpenWrt (fw4): one named `rule` section in `firewall`: traffic matched on zones, addresses,
 * ports, protocol and ICMP type gets `target`. Without `dest` the rule is on input to the router, with `dest` on
 * forwarded traffic; without `src` on output [I]. The fw4 rule `name` (shown in LuCI) is `ruleName` here, because
 * `name` is the section name as in the other OpenWrt kinds. Reloads `firewall`.
 * Option names are fw4's, verbatim; OpenWrt 23.05's starting config uses `name`, `src`, `proto`, `dest_port`,
 * `icmp_type` (a list), `family`, `limit` and `target`. Unverified against a router [I]: the MARK/DSCP/NOTRACK
 * targets and `set_mark`/`set_xmark`/`set_dscp`, `mark` matching, `src_port`, `dest_ip`, `src_ip`, `enabled`,
 * and that fw4's default proto is `tcpudp` and `icmp` covers ICMPv6 in IPv6 rules.
 * Docs: https://openwrt.org/docs/guide-user/firewall/firewall_configuration
 */
import { z } from "zod";
import { uciName, uciOptions, uciString } from "./fields";
import { addressOrPrefix, familyOf, fwPort, uniqueList } from "./typed-fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  ruleName: uci.option("name"),
  src: uci.option("src"),
  dest: uci.option("dest"),
  proto: uci.option("proto"),
  srcIp: uci.option("src_ip"),
  destIp: uci.option("dest_ip"),
  srcPort: uci.option("src_port"),
  destPort: uci.option("dest_port"),
  icmpType: uci.list("icmp_type"),
  family: uci.option("family"),
  target: uci.option("target"),
  setMark: uci.option("set_mark"),
  setXmark: uci.option("set_xmark"),
  matchMark: uci.option("mark"),
  enabled: uci.bool("enabled"),
} satisfies UciOptionRows;

/** A zone name, or `*` for any zone. */
const zoneOrAny = z.string().regex(/^(\*|[A-Za-z0-9_]+)$/, "must be a zone name or * (any zone)");
/** A firewall mark `value` or `value/mask`, hexadecimal `0x…` or decimal, 32 bits [I]. */
const mark = z
  .string()
  .regex(
    /^(0x[0-9A-Fa-f]{1,8}|\d{1,10})(\/(0x[0-9A-Fa-f]{1,8}|\d{1,10}))?$/,
    "must be a mark such as 0x10 or 0x10/0xff",
  );
/** An ICMP type by name (e.g. `echo-request`) or number [I]. */
const icmpType = z
  .string()
  .regex(/^([a-z][a-z0-9-]*|\d{1,3}(\/\d{1,3})?)$/, "must be an ICMP type name such as echo-request, or a number");

export const schema = z
  .object({
    /** uci section name; default derived from the identity (`rs_<name>_<8 hex>`). Changing it replaces the rule. */
    name: uciName.optional(),
    /** Rule name shown in LuCI and fw4's ruleset comments. uci option `name`. */
    ruleName: uciString.optional(),
    /** Zone the traffic comes from, or `*`. uci option `src`; default none (traffic from the router itself). */
    src: zoneOrAny.optional(),
    /** Zone the traffic goes to, or `*`. uci option `dest`; default none (traffic to the router itself). */
    dest: zoneOrAny.optional(),
    /** Protocol. uci option `proto`; default fw4's `tcpudp` [I]. */
    proto: z.enum(["tcp", "udp", "tcpudp", "icmp", "esp", "ah", "gre", "all"]).optional(),
    /** Match source address or prefix. uci option `src_ip`. */
    srcIp: addressOrPrefix.optional(),
    /** Match destination address or prefix. uci option `dest_ip`. */
    destIp: addressOrPrefix.optional(),
    /** Match source port or range `a-b`. uci option `src_port`; needs proto tcp, udp or tcpudp. */
    srcPort: fwPort.optional(),
    /** Match destination port or range `a-b`. uci option `dest_port`; needs proto tcp, udp or tcpudp. */
    destPort: fwPort.optional(),
    /** Match ICMP types. uci list `icmp_type`; needs proto icmp. */
    icmpType: uniqueList(icmpType).optional(),
    /** Address family. uci option `family`; default fw4's (from the addresses, else both) [I]. */
    family: z.enum(["ipv4", "ipv6", "any"]).optional(),
    /** Action. uci option `target`; required. MARK needs setMark or setXmark. */
    target: z.enum(["ACCEPT", "REJECT", "DROP", "MARK", "NOTRACK"]),
    /** MARK: set the firewall mark to this value (`value` or `value/mask`). uci option `set_mark` [I]. */
    setMark: mark.optional(),
    /** MARK: XOR the firewall mark (`value` or `value/mask`). uci option `set_xmark` [I]. */
    setXmark: mark.optional(),
    /** Match the firewall mark (`value` or `value/mask`, `!` not supported here). uci option `mark` [I]. */
    matchMark: mark.optional(),
    /** Rule active. uci option `enabled` (`1`/`0`); default true. */
    enabled: z.boolean().optional(),
    /** Further options by uci name, verbatim (e.g. `limit`, `ipset`); undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    refuseMapped(v.extraOptions, OPTIONS, "FirewallRule", ctx);
    for (const [f, p] of [
      ["srcPort", v.srcPort],
      ["destPort", v.destPort],
    ] as const) {
      if (p !== undefined && v.proto !== undefined && !["tcp", "udp", "tcpudp"].includes(v.proto))
        issue(f, "needs proto tcp, udp or tcpudp");
    }
    if (v.icmpType !== undefined && v.proto !== "icmp") issue("icmpType", "needs proto icmp");
    if (v.target === "MARK" && v.setMark === undefined && v.setXmark === undefined)
      issue("target", "MARK needs setMark or setXmark");
    if (v.setMark !== undefined && v.setXmark !== undefined) issue("setXmark", "and setMark are exclusive");
    if (v.target !== "MARK") {
      if (v.setMark !== undefined) issue("setMark", "is only used by target MARK");
      if (v.setXmark !== undefined) issue("setXmark", "is only used by target MARK");
    }
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

export type FirewallRuleInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-firewall-rule",
  docs: "https://openwrt.org/docs/guide-user/firewall/firewall_configuration",
  schema,
  package: "firewall",
  sectionType: "rule",
  section: { nameField: "name" },
  options: OPTIONS,
});
