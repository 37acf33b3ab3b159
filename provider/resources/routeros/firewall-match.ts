/**
 * What the firewall rule kinds share (FirewallRule's filter/mangle, RawRule's raw): the packet matchers, their
 * RouterOS properties, the family a rule belongs to, and the checks between matchers. Docs:
 * https://help.mikrotik.com/docs/display/ROS/Filter (routeros-cli.md §5.6).
 */
import { z } from "zod";
import { interfaceName, ipv4Address, ipv4Prefix, ipv6Address, ipv6Prefix } from "../common";
import { prop } from "../../routeros/property-types";
import { negatable, routerosName } from "./fields";

const v4 = z.union([ipv4Address, ipv4Prefix]);
const v6 = z.union([ipv6Address, ipv6Prefix]);
/** An IPv4 or IPv6 address or prefix (a matcher); the family must match the rule's. */
const addrMatch = z.union([v4, v6], { error: "must be an IPv4 or IPv6 address or prefix" });

/** Ports: `443`, `1000-2000`, `80,443` (1..65535). */
const ports = z
  .string()
  .regex(/^\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*$/, "must be ports such as 443, 1000-2000 or 80,443")
  .refine((s) => s.split(/[,-]/).every((p) => Number(p) >= 1 && Number(p) <= 65535), "ports must be 1..65535");

/** Protocols that have ports. */
const PORT_PROTOCOLS = ["tcp", "udp", "sctp", "udp-lite", "dccp"];

/** The matchers, as input fields. */
export const matchFields = {
  /** Source address or prefix matched. Property `src-address`. */
  srcAddress: addrMatch.optional(),
  /** Destination address or prefix matched. Property `dst-address`. */
  dstAddress: addrMatch.optional(),
  /** Source address list matched. Property `src-address-list`. */
  srcAddressList: routerosName.optional(),
  /** Destination address list matched. Property `dst-address-list`. */
  dstAddressList: routerosName.optional(),
  /** IP protocol name, e.g. `tcp`, `udp`, `icmp`, `icmpv6`. Property `protocol`. */
  protocol: z
    .enum(["tcp", "udp", "icmp", "icmpv6", "gre", "ipsec-esp", "ipsec-ah", "sctp", "udp-lite", "dccp", "ospf", "vrrp"])
    .optional(),
  /** Source ports (needs a port protocol). Property `src-port`. */
  srcPort: ports.optional(),
  /** Destination ports (needs a port protocol). Property `dst-port`. */
  dstPort: ports.optional(),
  /** Incoming interface (not in the output or postrouting chains), optionally negated with `!`. Property `in-interface`. */
  inInterface: negatable(interfaceName).optional(),
  /** Outgoing interface (not in the input or prerouting chains), optionally negated with `!`. Property `out-interface`. */
  outInterface: negatable(interfaceName).optional(),
  /** Property `in-interface-list`. */
  inInterfaceList: negatable(routerosName).optional(),
  /** Property `out-interface-list`. */
  outInterfaceList: negatable(routerosName).optional(),
};

/** The matchers' RouterOS properties. */
export const matchProps = {
  srcAddress: prop.text("src-address"),
  dstAddress: prop.text("dst-address"),
  srcAddressList: prop.text("src-address-list"),
  dstAddressList: prop.text("dst-address-list"),
  protocol: prop.text("protocol"),
  srcPort: prop.text("src-port"),
  dstPort: prop.text("dst-port"),
  inInterface: prop.text("in-interface"),
  outInterface: prop.text("out-interface"),
  inInterfaceList: prop.text("in-interface-list"),
  outInterfaceList: prop.text("out-interface-list"),
};

/** The matchers, as natural-key fields: a rule is what it matches (with its chain and action). */
export const MATCH_KEY = Object.keys(matchFields) as (keyof typeof matchFields)[];

/** 4 or 6: declared, else 6 when an address is IPv6. */
export function familyOf(r: { family?: "ipv4" | "ipv6"; srcAddress?: string; dstAddress?: string }): 4 | 6 {
  if (r.family) return r.family === "ipv6" ? 6 : 4;
  return [r.srcAddress, r.dstAddress].some((a) => a?.includes(":")) ? 6 : 4;
}

/** Checks between matchers: addresses of the rule's family, ports only with a port protocol. */
export function checkMatch(
  r: {
    family?: "ipv4" | "ipv6";
    srcAddress?: string;
    dstAddress?: string;
    protocol?: string;
    srcPort?: string;
    dstPort?: string;
  },
  issue: (path: string, message: string) => void,
): void {
  const fam = familyOf(r);
  for (const f of ["srcAddress", "dstAddress"] as const) {
    const a = r[f];
    if (a !== undefined && (a.includes(":") ? 6 : 4) !== fam)
      issue(f, `must be an IPv${fam} address or prefix for an IPv${fam} rule`);
  }
  for (const f of ["srcPort", "dstPort"] as const) {
    if (r[f] !== undefined && !PORT_PROTOCOLS.includes(r.protocol ?? ""))
      issue(f, `needs protocol ${PORT_PROTOCOLS.join(", ")}`);
  }
}
