/**
 * `NatRule` on OpenWrt (fw4): one named section in `firewall`, either
 * - `section: "redirect"`: a port forward, DNAT (`src` zone, `src_dport` → `dest_ip`:`dest_port`) or SNAT
 *   (`dest` zone, source rewritten to `src_dip`); or
 * - `section: "nat"`: fw4's `config nat` in the srcnat chain: SNAT to `snat_ip`, MASQUERADE, or ACCEPT (exempt
 *   from NAT), matched on `src` zone / `device`, addresses, ports and proto.
 * One kind with a discriminator rather than two: both are "a NAT rule in /etc/config/firewall" with the same
 * matcher options, package and reload (`firewall`), as `routeros.NatRule` covers srcnat and dstnat; fields that
 * belong to one section type only are refused on the other. Changing `section` replaces the rule.
 * Option names are fw4's, verbatim, as https://openwrt.org/docs/guide-user/firewall/firewall_configuration
 * documents them. docs/reference/openwrt-uci.md measures only the uci CLI, not fw4, so these are unverified
 * against a router [I]: the `nat` section and its `snat_ip`/`device` options (fw4 only, not fw3), which section
 * targets fw4 accepts, that fw4's default proto is `tcpudp` for redirects, and that SNAT needs `snat_ip` (nat)
 * or `src_dip` plus `dest` (redirect). The fw4 rule `name` is `ruleName` here, because `name` is the section name
 * as in the other OpenWrt kinds; the nat `device` is `outDevice`, because `device` is every resource's router key.
 * Docs: https://openwrt.org/docs/guide-user/firewall/firewall_configuration
 */
import { z } from "zod";
import { ipv4Address, ipv4Prefix, ipv6Address, ipv6Prefix } from "../common";
import { linuxInterfaceName, uciName, uciOptions, uciString } from "./fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  ruleName: uci.option("name"),
  target: uci.option("target"),
  src: uci.option("src"),
  dest: uci.option("dest"),
  proto: uci.option("proto"),
  srcIp: uci.option("src_ip"),
  srcPort: uci.option("src_port"),
  srcDip: uci.option("src_dip"),
  srcDport: uci.option("src_dport"),
  destIp: uci.option("dest_ip"),
  destPort: uci.option("dest_port"),
  snatIp: uci.option("snat_ip"),
  outDevice: uci.option("device"),
  family: uci.option("family"),
  reflection: uci.bool("reflection"),
  enabled: uci.bool("enabled"),
} satisfies UciOptionRows;

/** A port or range `a-b`, 1..65535; a number is accepted and written as text. */
const port = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = String(v);
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s);
  if (
    m &&
    [m[1], m[2] ?? m[1]].every((p) => Number(p) >= 1 && Number(p) <= 65535) &&
    Number(m[1]) <= Number(m[2] ?? m[1])
  )
    return s;
  ctx.addIssue({ code: "custom", message: "must be a port or range such as 8080 or 1000-2000 (1..65535)" });
  return z.NEVER;
});

const addressOrPrefix = z.union([ipv4Address, ipv6Address, ipv4Prefix, ipv6Prefix], {
  error: "must be an IPv4 or IPv6 address or prefix",
});
const address = z.union([ipv4Address, ipv6Address], { error: "must be an IPv4 or IPv6 address" });

/** Fields each section type allows besides the common ones. */
const ONLY: Record<"redirect" | "nat", readonly string[]> = {
  redirect: ["dest", "srcDip", "srcDport", "reflection"],
  nat: ["snatIp", "outDevice"],
};

export const schema = z
  .object({
    /** fw4 section type: `redirect` (port forward, DNAT/SNAT) or `nat` (srcnat: SNAT/MASQUERADE/ACCEPT). Changing it replaces the rule. */
    section: z.enum(["redirect", "nat"]),
    /** uci section name; default derived from the identity (`rs_<name>_<8 hex>`). Changing it replaces the rule. */
    name: uciName.optional(),
    /** Rule name shown in LuCI and fw4's ruleset comments. uci option `name`. */
    ruleName: uciString.optional(),
    /** Action. uci option `target`: redirect DNAT | SNAT (default DNAT); nat SNAT | MASQUERADE | ACCEPT (required). */
    target: z.enum(["DNAT", "SNAT", "MASQUERADE", "ACCEPT"]).optional(),
    /** Zone the traffic comes from (redirect) / goes out to (nat), e.g. `wan`. uci option `src`. */
    src: uciName.optional(),
    /** Zone of the internal host (redirect only). uci option `dest`. */
    dest: uciName.optional(),
    /** Protocol. uci option `proto`; fw4's default `tcpudp` [I]. */
    proto: z.enum(["tcp", "udp", "tcpudp", "icmp", "all"]).optional(),
    /** Match source address or prefix. uci option `src_ip`. */
    srcIp: addressOrPrefix.optional(),
    /** Match source port(s). uci option `src_port`. */
    srcPort: port.optional(),
    /** redirect DNAT: external destination address matched; SNAT: the address written as source. uci option `src_dip`. */
    srcDip: address.optional(),
    /** redirect DNAT: external destination port(s) matched. uci option `src_dport`. */
    srcDport: port.optional(),
    /** redirect DNAT: internal address forwarded to; nat/SNAT: destination matched. uci option `dest_ip`. */
    destIp: addressOrPrefix.optional(),
    /** redirect DNAT: internal port(s) forwarded to; otherwise destination port(s) matched. uci option `dest_port`. */
    destPort: port.optional(),
    /** nat SNAT: the source address written. uci option `snat_ip`. */
    snatIp: address.optional(),
    /** nat: outgoing network device, e.g. `wwan0`. uci option `device`. */
    outDevice: linuxInterfaceName.optional(),
    /** Address family. uci option `family`; default fw4's (from the addresses, else both) [I]. */
    family: z.enum(["ipv4", "ipv6", "any"]).optional(),
    /** redirect: NAT loopback for internal clients. uci option `reflection` (`1`/`0`); default true. */
    reflection: z.boolean().optional(),
    /** Rule active. uci option `enabled` (`1`/`0`); default true. */
    enabled: z.boolean().optional(),
    /** Further options by uci name, verbatim (e.g. `ipset`, `mark`); undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    refuseMapped(v.extraOptions, OPTIONS, "NatRule", ctx);
    const other = v.section === "redirect" ? "nat" : "redirect";
    for (const f of ONLY[other]) {
      if ((v as Record<string, unknown>)[f] !== undefined)
        issue(f, `is a ${other} option; not used by section "${v.section}"`);
    }
    const target = v.target ?? (v.section === "redirect" ? "DNAT" : undefined);
    if (v.section === "redirect") {
      if (target !== "DNAT" && target !== "SNAT") issue("target", `must be DNAT or SNAT for section "redirect"`);
      if (target === "DNAT" && v.src === undefined)
        issue("src", "is required for a DNAT redirect (the zone traffic comes from)");
      if (target === "DNAT" && v.destIp === undefined && v.destPort === undefined)
        issue("destIp", "or destPort is required for a DNAT redirect");
      if (target === "SNAT" && (v.srcDip === undefined || v.dest === undefined))
        issue("srcDip", "and dest are required for an SNAT redirect");
    } else {
      if (target === undefined) issue("target", `is required for section "nat" (SNAT, MASQUERADE or ACCEPT)`);
      else if (target === "DNAT") issue("target", `must be SNAT, MASQUERADE or ACCEPT for section "nat"`);
      if (target === "SNAT" && v.snatIp === undefined) issue("snatIp", "is required for SNAT");
      if (target !== "SNAT" && v.snatIp !== undefined) issue("snatIp", "is only used by SNAT");
      if (v.src === undefined && v.outDevice === undefined) issue("src", 'or outDevice is required for section "nat"');
    }
    const ports: [string, string | undefined][] = [
      ["srcPort", v.srcPort],
      ["srcDport", v.srcDport],
      ["destPort", v.destPort],
    ];
    for (const [f, p] of ports) {
      if (p !== undefined && v.proto !== undefined && !["tcp", "udp", "tcpudp"].includes(v.proto))
        issue(f, "needs proto tcp, udp or tcpudp");
    }
    // One family across every address given (and `family`, when set).
    const addrs: [string, string | undefined][] = [
      ["srcIp", v.srcIp],
      ["srcDip", v.srcDip],
      ["destIp", v.destIp],
      ["snatIp", v.snatIp],
    ];
    let fam = v.family === "any" ? undefined : v.family;
    for (const [f, a] of addrs) {
      if (a === undefined) continue;
      const af = a.includes(":") ? "ipv6" : "ipv4";
      if (fam !== undefined && af !== fam)
        issue(f, `must be ${fam === "ipv4" ? "IPv4" : "IPv6"} like the rule's other addresses / family`);
      fam ??= af;
    }
  });

export type NatRuleInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-nat-rule",
  docs: "https://openwrt.org/docs/guide-user/firewall/firewall_configuration",
  schema,
  package: "firewall",
  sectionType: { field: "section" },
  section: { nameField: "name" },
  options: OPTIONS,
});
