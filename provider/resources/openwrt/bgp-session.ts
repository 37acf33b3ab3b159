/**
 * `BgpSession`: one BIRD2 `protocol bgp` in its own file /etc/bird.d/<name>.conf. Channels ipv4/ipv6 with
 * typed import/export; the typed next-hop rewrite (`exportNextHop`: e.g. give IPv6 routes exported over an
 * IPv4 session an IPv6 next hop) becomes `export filter { bgp_next_hop = <addr>; accept; }`; `rawExportFilter`
 * is the explicit escape hatch for any other export filter body. Every change is checked with `bird -p` before
 * `birdc configure`. Docs: https://bird.network.cz/?get_doc&v=20&f=bird-6.html#ss6.3
 *
 * Failover knobs (measured in tests/e2e/failover/):
 * - `holdTime` / `keepaliveTime`: a silent failure (peer frozen, path blackholed) is detected after the hold time.
 * - `bfd: true` adds `protocol bfd <name>_bfd` to the same file and `bfd { … }` to the session, so a silent failure is
 *   detected after `bfdIntervalMs × bfdMultiplier` (the neighbor must run BFD too). Docs: bird-6.html#ss6.2.
 * - `standby` on a channel: BGP exports only a table's best route, so a route that is not best here (the LTE default
 *   while the neighbor announces its own) is never announced. `standby: ["lte_default"]` keeps the routes of those
 *   protocols announced anyway: the channel is bound to its own table `<name>_out4` / `<name>_out6`, fed from
 *   master4 / master6 by `protocol pipe <name>_pipe4` / `_pipe6` (which carries every route, not only the best, and
 *   gives the standby protocols' routes preference 65535 in the session table only), and whatever the neighbor sends
 *   is piped back into the master table unchanged. The kernel still follows the master table, so this router keeps
 *   using the neighbor's route while it is best. The neighbor must then rank the standby route below its own
 *   (RouterOS: distance 200 via an input filter; BIRD: a lower preference).
 */
import { z } from "zod";
import type { ResourceKind } from "../kind";
import { asNumber, durationSeconds, ipAddress, ipv4Address, ipv6Address } from "../common";
import { BIRD_FILE_ADOPTION, birdFileDriver } from "../../openwrt/bird-file-engine";
import { rawFilterProblem, renderBgp } from "../../openwrt/bird-text";
import { birdSymbol, linuxInterfaceName } from "./fields";

function channel<A extends z.ZodType<string>>(address: A) {
  return z
    .object({
      /** Routes accepted from the neighbor; default `all`. */
      import: z.enum(["all", "none"]).default("all"),
      /** Routes announced to the neighbor; default `none`. */
      export: z.enum(["all", "none"]).default("none"),
      /** Typed filter: rewrite the BGP next hop of exported routes to this address. Needs export `all`. */
      exportNextHop: address.optional(),
      /** Escape hatch: the verbatim body of `export filter { … }` (balanced braces). Replaces `export`. */
      rawExportFilter: z
        .string()
        .min(1)
        .max(8192)
        .superRefine((body, ctx) => {
          const problem = rawFilterProblem(body);
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        .optional(),
      /** `next hop self`. */
      nextHopSelf: z.boolean().optional(),
      /** `extended next hop` (RFC 8950). */
      extendedNextHop: z.boolean().optional(),
      /**
       * Names of BIRD protocols (e.g. the `BirdStatic` "lte_default") whose routes are announced to the neighbor even
       * while they are not this router's best route; see the module comment. Needs export `all` or a filter.
       */
      standby: z.array(birdSymbol).min(1, "list at least one protocol, or leave standby out").optional(),
    })
    .strict()
    .superRefine((c, ctx) => {
      if (c.standby !== undefined && c.export === "none" && c.rawExportFilter === undefined)
        ctx.addIssue({ code: "custom", path: ["standby"], message: 'needs export "all" (or a rawExportFilter)' });
      if (c.rawExportFilter !== undefined && c.exportNextHop !== undefined)
        ctx.addIssue({ code: "custom", path: ["rawExportFilter"], message: "cannot be combined with exportNextHop" });
      if (c.exportNextHop !== undefined && c.export === "none")
        ctx.addIssue({ code: "custom", path: ["exportNextHop"], message: 'needs export "all"' });
    });
}

export const schema = z
  .object({
    /** Protocol name; also the file /etc/bird.d/<name>.conf. Changing it replaces the session. */
    name: birdSymbol,
    localAs: asNumber,
    /** Local address in `local <ip> as <n>`; default none (BIRD picks). */
    localAddress: ipAddress.optional(),
    neighborAddress: ipAddress,
    neighborAs: asNumber,
    /** Interface of the session (needed for link-local neighbors). */
    interface: linuxInterfaceName.optional(),
    /** `source address`. */
    sourceAddress: ipAddress.optional(),
    /** Hold time, seconds (0 or 3..65535); default BIRD's 240. */
    holdTime: durationSeconds
      .refine((n) => n === 0 || (n >= 3 && n <= 65535), "must be 0 or 3..65535 seconds")
      .optional(),
    /** Keepalive time, seconds; default BIRD's (hold time / 3). */
    keepaliveTime: durationSeconds.refine((n) => n >= 1 && n <= 65535, "must be 1..65535 seconds").optional(),
    /**
     * BFD for this session; default false. Adds `protocol bfd <name>_bfd` to the session's file (BIRD needs one BFD
     * instance to run sessions) and `bfd { … }` to the session. The neighbor must run BFD as well.
     */
    bfd: z.boolean().default(false),
    /** BFD transmit and receive interval, milliseconds (10..60000); default BIRD's 100. Needs `bfd`. */
    bfdIntervalMs: z.number().int("must be an integer").min(10).max(60000).optional(),
    /** BFD detection multiplier: missed packets before the session is declared down (1..255); default BIRD's 5. Needs `bfd`. */
    bfdMultiplier: z.number().int("must be an integer").min(1).max(255).optional(),
    /** `direct` (true) or `multihop` (false); default BIRD's (direct for eBGP, multihop for iBGP). */
    direct: z.boolean().optional(),
    ipv4: channel(ipv4Address).optional(),
    ipv6: channel(ipv6Address).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    // Measured with BIRD 2.0.12: "Multihop BGP cannot be bound to interface"; iBGP is multihop unless `direct`.
    if (v.interface !== undefined && v.direct !== true && (v.direct === false || v.localAs === v.neighborAs)) {
      ctx.addIssue({
        code: "custom",
        path: ["direct"],
        message:
          "must be true when interface is set on an iBGP or multihop session (BIRD refuses multihop bound to an interface)",
      });
    }
    if (!v.bfd && (v.bfdIntervalMs !== undefined || v.bfdMultiplier !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [v.bfdIntervalMs !== undefined ? "bfdIntervalMs" : "bfdMultiplier"],
        message: "needs bfd: true",
      });
    }
    // Derived names (<name>_bfd, <name>_pipe4, <name>_out4) must stay within BIRD's 64-character symbols.
    if ((v.bfd || v.ipv4?.standby || v.ipv6?.standby) && v.name.length > 58) {
      ctx.addIssue({
        code: "custom",
        path: ["name"],
        message: "must be at most 58 characters with bfd or standby (derived protocol and table names)",
      });
    }
    if (!v.ipv4 && !v.ipv6)
      ctx.addIssue({ code: "custom", path: ["ipv4"], message: "at least one of ipv4 and ipv6 channels is required" });
    if (
      v.holdTime !== undefined &&
      v.keepaliveTime !== undefined &&
      v.holdTime !== 0 &&
      v.keepaliveTime >= v.holdTime
    ) {
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
  adoption: BIRD_FILE_ADOPTION,
  driver: birdFileDriver<BgpSessionInputs>({
    path: (i, s) => `${s.birdDir}/${i.name}.conf`,
    render: (i, identity) => renderBgp(i, identity),
  }),
};
