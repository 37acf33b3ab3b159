/**
 * `BgpSession`: one BIRD2 `protocol bgp` in its own file /etc/bird.d/<name>.conf. Channels ipv4/ipv6 with
 * typed import/export; the typed next-hop rewrite (`exportNextHop`: e.g. give IPv6 routes exported over an
 * IPv4 session an IPv6 next hop) becomes `export filter { bgp_next_hop = <addr>; accept; }`; `rawExportFilter`
 * is the explicit escape hatch for any other export filter body. Every change is checked with `bird -p` before
 * `birdc configure`. Docs: https://bird.network.cz/?get_doc&v=20&f=bird-6.html#ss6.3
 */
import { z } from "zod";
import type { ResourceKind } from "../kind";
import { asNumber, durationSeconds, interfaceName, ipAddress, ipv4Address, ipv6Address } from "../common";
import { birdFileDriver } from "../../openwrt/bird-file-engine";
import { renderBgp } from "../../openwrt/bird-text";
import { birdSymbol } from "./fields";

function channel<A extends z.ZodType<string>>(address: A) {
  return z.object({
    /** Routes accepted from the neighbor; default `all`. */
    import: z.enum(["all", "none"]).default("all"),
    /** Routes announced to the neighbor; default `none`. */
    export: z.enum(["all", "none"]).default("none"),
    /** Typed filter: rewrite the BGP next hop of exported routes to this address. Needs export `all`. */
    exportNextHop: address.optional(),
    /** Escape hatch: the verbatim body of `export filter { … }` (balanced braces). Replaces `export`. */
    rawExportFilter: z.string().min(1).max(8192).optional(),
    /** `next hop self`. */
    nextHopSelf: z.boolean().optional(),
    /** `extended next hop` (RFC 8950). */
    extendedNextHop: z.boolean().optional(),
  }).strict().superRefine((c, ctx) => {
    if (c.rawExportFilter !== undefined && c.exportNextHop !== undefined) ctx.addIssue({ code: "custom", path: ["rawExportFilter"], message: "cannot be combined with exportNextHop" });
    if (c.exportNextHop !== undefined && c.export === "none") ctx.addIssue({ code: "custom", path: ["exportNextHop"], message: "needs export \"all\"" });
  });
}

export const schema = z.object({
  /** Protocol name; also the file /etc/bird.d/<name>.conf. Changing it replaces the session. */
  name: birdSymbol,
  localAs: asNumber,
  /** Local address in `local <ip> as <n>`; default none (BIRD picks). */
  localAddress: ipAddress.optional(),
  neighborAddress: ipAddress,
  neighborAs: asNumber,
  /** Interface of the session (needed for link-local neighbors). */
  interface: interfaceName.optional(),
  /** `source address`. */
  sourceAddress: ipAddress.optional(),
  /** Hold time, seconds (0 or 3..65535); default BIRD's 240. */
  holdTime: durationSeconds.refine((n) => n === 0 || (n >= 3 && n <= 65535), "must be 0 or 3..65535 seconds").optional(),
  /** Keepalive time, seconds; default BIRD's (hold time / 3). */
  keepaliveTime: durationSeconds.refine((n) => n >= 1 && n <= 65535, "must be 1..65535 seconds").optional(),
  /** `bfd on`; default false. */
  bfd: z.boolean().default(false),
  /** `direct` (true) or `multihop` (false); default BIRD's (direct for eBGP, multihop for iBGP). */
  direct: z.boolean().optional(),
  ipv4: channel(ipv4Address).optional(),
  ipv6: channel(ipv6Address).optional(),
}).strict().superRefine((v, ctx) => {
  // Measured with BIRD 2.0.12: "Multihop BGP cannot be bound to interface"; iBGP is multihop unless `direct`.
  if (v.interface !== undefined && v.direct !== true && (v.direct === false || v.localAs === v.neighborAs)) {
    ctx.addIssue({ code: "custom", path: ["direct"], message: "must be true when interface is set on an iBGP or multihop session (BIRD refuses multihop bound to an interface)" });
  }
  if (!v.ipv4 && !v.ipv6) ctx.addIssue({ code: "custom", path: ["ipv4"], message: "at least one of ipv4 and ipv6 channels is required" });
  if (v.holdTime !== undefined && v.keepaliveTime !== undefined && v.holdTime !== 0 && v.keepaliveTime >= v.holdTime) {
    ctx.addIssue({ code: "custom", path: ["keepaliveTime"], message: "must be less than holdTime" });
  }
});

export type BgpSessionInputs = z.output<typeof schema>;

export const kind: ResourceKind<BgpSessionInputs> = {
  name: "openwrt-bgp-session",
  platform: "openwrt",
  schema,
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: [],
  docs: "https://bird.network.cz/?get_doc&v=20&f=bird-6.html#ss6.3",
  driver: birdFileDriver<BgpSessionInputs>({
    path: (i, s) => `${s.birdDir}/${i.name}.conf`,
    render: (i, identity) => renderBgp(i, identity),
  }),
};
