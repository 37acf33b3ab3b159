/**
 * `Mwan3Interface` on OpenWrt: the mwan3 health-tracking settings of one netifd interface, the named section
 * `mwan3.<name>` of type `interface`, where `name` is the `network.<name>` interface it tracks. mwan3track pings
 * (or arpings, httpings…) every `track_ip` each `interval` seconds; a round succeeds when at least `reliability`
 * targets answer; `down` failed rounds in a row take the interface offline and `up` good rounds bring it back.
 * Changing `name` replaces the section. Reloads `mwan3`.
 * Options and their defaults are the ones docs/reference/openwrt-uci.md §5 lists from mwan3track: track_method,
 * list track_ip, reliability (1), count (1), size (56), max_ttl (60), timeout (4 s), interval (10 s),
 * failure_interval / recovery_interval (default interval), keep_failure_interval, down (5) / up (5),
 * check_quality with failure_latency (1000 ms), recovery_latency (500 ms), failure_loss (40 %), recovery_loss
 * (10 %), initial_state, family. Unverified [I]: `enabled` (default false when absent, so routerstack always
 * writes it), the `initial_state` values online|offline, the `family` values, and the value ranges checked here.
 * Docs: https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3
 */
import { z } from "zod";
import { ipv4Address, ipv6Address } from "../common";
import { uciOptions } from "./fields";
import { familyOf, uniqueList } from "./typed-fields";
import { MWAN3_DOCS, mwan3Name } from "./mwan3-common";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  enabled: uci.bool("enabled"),
  family: uci.option("family"),
  trackMethod: uci.option("track_method"),
  trackIp: uci.list("track_ip"),
  reliability: uci.int("reliability"),
  count: uci.int("count"),
  size: uci.int("size"),
  maxTtl: uci.int("max_ttl"),
  timeout: uci.int("timeout"),
  interval: uci.int("interval"),
  failureInterval: uci.int("failure_interval"),
  recoveryInterval: uci.int("recovery_interval"),
  keepFailureInterval: uci.bool("keep_failure_interval"),
  down: uci.int("down"),
  up: uci.int("up"),
  checkQuality: uci.bool("check_quality"),
  failureLatency: uci.int("failure_latency"),
  recoveryLatency: uci.int("recovery_latency"),
  failureLoss: uci.int("failure_loss"),
  recoveryLoss: uci.int("recovery_loss"),
  initialState: uci.option("initial_state"),
} satisfies UciOptionRows;
const QUALITY = ["failureLatency", "recoveryLatency", "failureLoss", "recoveryLoss"] as const;

const seconds = (max: number) =>
  z.number().int("must be a whole number of seconds").min(1).max(max).meta({ unit: "seconds" });
const milliseconds = z.number().int("must be whole milliseconds").min(1).max(60000).meta({ unit: "milliseconds" });
const count = (max: number) => z.number().int("must be an integer").min(1, "must be at least 1").max(max);

export const schema = z
  .object({
    /** The netifd interface tracked (`network.<name>`), also the mwan3 section name; at most 15 characters [I]. */
    name: mwan3Name,
    /** Interface managed by mwan3. uci option `enabled` (`1`/`0`); default true here (written always) [I]. */
    enabled: z.boolean().default(true),
    /** Address family of the interface. uci option `family`; default `ipv4`. */
    family: z.enum(["ipv4", "ipv6"]).optional(),
    /** Health-check method. uci option `track_method`; default `ping`. */
    trackMethod: z.enum(["ping", "arping", "httping", "nping-tcp", "nping-udp", "nping-icmp", "nping-arp"]).optional(),
    /** Hosts probed through the interface, of the interface's family. uci list `track_ip`; default none (never tracked, always online). */
    trackIp: uniqueList(z.union([ipv4Address, ipv6Address], { error: "must be an IPv4 or IPv6 address" })).optional(),
    /** Targets that must answer for a round to succeed, 1..number of trackIp. uci option `reliability`; default 1. */
    reliability: count(100).optional(),
    /** Probes per target per round. uci option `count`; default 1. */
    count: count(100).optional(),
    /** Ping payload in bytes. uci option `size`; default 56. */
    size: z.number().int("must be an integer").min(1).max(65507).optional(),
    /** Ping TTL. uci option `max_ttl`; default 60. */
    maxTtl: count(255).optional(),
    /** Seconds to wait for an answer. uci option `timeout`; default 4. */
    timeout: seconds(3600).optional(),
    /** Seconds between rounds. uci option `interval`; default 10. */
    interval: seconds(86400).optional(),
    /** Seconds between rounds while failing. uci option `failure_interval`; default `interval`. */
    failureInterval: seconds(86400).optional(),
    /** Seconds between rounds while recovering. uci option `recovery_interval`; default `interval`. */
    recoveryInterval: seconds(86400).optional(),
    /** Keep probing at failure_interval while offline. uci option `keep_failure_interval` (`1`/`0`); default false. */
    keepFailureInterval: z.boolean().optional(),
    /** Failed rounds in a row that take the interface offline, ≥ 1. uci option `down`; default 5. */
    down: count(1000).optional(),
    /** Good rounds in a row that bring it back online, ≥ 1. uci option `up`; default 5. */
    up: count(1000).optional(),
    /** Also judge rounds by latency and loss. uci option `check_quality` (`1`/`0`); default false. */
    checkQuality: z.boolean().optional(),
    /** checkQuality: latency in milliseconds above which a round fails. uci option `failure_latency`; default 1000. */
    failureLatency: milliseconds.optional(),
    /** checkQuality: latency in milliseconds below which a round recovers, ≤ failureLatency. uci option `recovery_latency`; default 500. */
    recoveryLatency: milliseconds.optional(),
    /** checkQuality: loss in percent above which a round fails. uci option `failure_loss`; default 40. */
    failureLoss: z.number().int("must be a whole percentage").min(0).max(100).optional(),
    /** checkQuality: loss in percent below which a round recovers, ≤ failureLoss. uci option `recovery_loss`; default 10. */
    recoveryLoss: z.number().int("must be a whole percentage").min(0).max(100).optional(),
    /** State assumed at start before the first rounds. uci option `initial_state`; default `online` [I]. */
    initialState: z.enum(["online", "offline"]).optional(),
    /** Further options by uci name, verbatim (e.g. `flush_conntrack`); undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    refuseMapped(v.extraOptions, OPTIONS, "Mwan3Interface", ctx);
    const targets = v.trackIp?.length ?? 0;
    if (v.reliability !== undefined && v.reliability > Math.max(targets, 1)) {
      issue(
        "reliability",
        `is ${v.reliability} but only ${targets} trackIp target${targets === 1 ? "" : "s"} can answer`,
      );
    }
    const fam = v.family ?? "ipv4";
    v.trackIp?.forEach((ip, k) => {
      if (familyOf(ip) !== fam)
        ctx.addIssue({
          code: "custom",
          path: ["trackIp", k],
          message: `must be ${fam === "ipv4" ? "IPv4" : "IPv6"} like the interface's family`,
        });
    });
    if (v.timeout !== undefined && v.interval !== undefined && v.timeout > v.interval)
      issue("timeout", `(${v.timeout} s) must not exceed interval (${v.interval} s)`);
    if (v.checkQuality !== true) {
      for (const f of QUALITY) if (v[f] !== undefined) issue(f, "needs checkQuality true");
    }
    if (v.recoveryLatency !== undefined && (v.failureLatency ?? 1000) < v.recoveryLatency)
      issue("recoveryLatency", `must not exceed failureLatency (${v.failureLatency ?? 1000} ms)`);
    if (v.recoveryLoss !== undefined && (v.failureLoss ?? 40) < v.recoveryLoss)
      issue("recoveryLoss", `must not exceed failureLoss (${v.failureLoss ?? 40} %)`);
  });

export type Mwan3InterfaceInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-mwan3-interface",
  docs: MWAN3_DOCS,
  schema,
  package: "mwan3",
  sectionType: "interface",
  section: { nameField: "name" },
  options: OPTIONS,
});
