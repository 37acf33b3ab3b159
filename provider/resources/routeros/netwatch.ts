/**
 * `/tool/netwatch`: one health check of a host, running `up-script`/`down-script` when its state changes; found
 * by the identity tag in `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/Netwatch
 * (routeros-cli.md §5.8). Types other than `simple` exist since 7.4 [D]; routerstack supports 7.16+.
 *
 * Durations are in seconds, like the other kinds, but with millisecond resolution because several defaults are
 * sub-second (`thr-avg` 100ms, `packet-interval` 50ms): `0.1` or `"100ms"`. The ICMP thresholds are written
 * whatever the `type` (each has a device default); whether RouterOS refuses them for other types is [I].
 * Scripts run as `*sys` with the read, write, test and reboot policies [D]; their bodies are sent quoted and
 * escaped (§3.3), never interpreted on the way.
 *
 * Adopt (`adopt: true`): an existing untagged item is found by its natural key `host` + `type`; destroy puts its
 * original values back (`adoptedDestroy` default "restore") and never removes it.
 */
import { z } from "zod";
import { ipAddress, ipv4Address, ipv6Address } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, durationSecondsMs, routerosName, scriptText, userComment } from "./fields";
import * as derived from "./generated/netwatch";

/** A DNS name (for `type: "dns"`): dot-separated labels, last label not all digits. */
const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

const host = z.string().transform((s, ctx) => {
  if (ipv4Address.safeParse(s).success) return ipv4Address.parse(s);
  if (ipv6Address.safeParse(s).success) return ipv6Address.parse(s);
  if (DNS_NAME.test(s)) return s;
  ctx.addIssue({ code: "custom", message: "must be an IPv4 or IPv6 address (or a DNS name for type dns)" });
  return z.NEVER;
});

const seconds = (max: number) => durationSecondsMs.pipe(z.number().max(max, `must be at most ${max} seconds`));

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Host checked: an IPv4/IPv6 address; a DNS name only with `type: "dns"`. Property `host`. */
    host,
    /**
     * Property `type`: `simple` (default; plain ICMP reachability), `icmp` (probe series judged by the thresholds
     * below), `tcp-conn`, `http-get`, `https-get` (connect to `port`), `dns`.
     */
    type: z.enum(["simple", "icmp", "tcp-conn", "http-get", "https-get", "dns"]).default("simple"),
    /** Seconds between checks; default 10. Property `interval`. */
    interval: seconds(86400).default(10),
    /** Seconds to wait for a reply; default 3. Property `timeout`. */
    timeout: seconds(3600).default(3),
    /** Script run when the host goes up; default empty (none). Property `up-script`. */
    upScript: scriptText.default(""),
    /** Script run when the host goes down; default empty (none). Property `down-script`. */
    downScript: scriptText.default(""),
    /** Source address of the probes. Property `src-address`. */
    srcAddress: ipAddress.optional(),
    /** icmp: probes per check; default 10. Property `packet-count`. */
    packetCount: z.number().int().min(1).max(10000).default(10),
    /** icmp: seconds between probes; default 0.05 (50ms). Property `packet-interval`. */
    packetInterval: seconds(60).default(0.05),
    /** icmp: probe size in bytes; device default when unset [I: value not in the reference]. Property `packet-size`. */
    packetSize: z.number().int().min(28).max(65535).optional(),
    /** icmp: down when more than this percentage of probes is lost, 0..100; default 85. Property `thr-loss-percent`. */
    thrLossPercent: z.number().int().min(0).max(100).default(85),
    /** icmp: down when more than this many probes are lost; unset by default. Property `thr-loss-count`. */
    thrLossCount: z.number().int().min(0).max(4294967295).optional(),
    /** icmp: down when the average round trip exceeds this many seconds; default 0.1 (100ms). Property `thr-avg`. */
    thrAvg: seconds(3600).default(0.1),
    /** icmp: down when the maximum round trip exceeds this many seconds; default 1. Property `thr-max`. */
    thrMax: seconds(3600).default(1),
    /** icmp: down when the round-trip standard deviation exceeds this; default 0.25 (250ms). Property `thr-stdev`. */
    thrStdev: seconds(3600).default(0.25),
    /** icmp: down when the jitter exceeds this many seconds; default 1. Property `thr-jitter`. */
    thrJitter: seconds(3600).default(1),
    /** icmp: TTL of the probes, 1..255; default 255. Property `ttl`. */
    ttl: z.number().int().min(1).max(255).default(255),
    /** tcp-conn/http-get/https-get: port, 1..65535; default 80. Property `port`. */
    port: z.number().int().min(1).max(65535).default(80),
    /** Optional name of the check, unique on the device [I] (not the identity: that is in `comment`). Property `name`. */
    name: routerosName.optional(),
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.type !== "dns" && !ipAddress.safeParse(r.host).success) {
      ctx.addIssue({ code: "custom", path: ["host"], message: "must be an IP address unless type is dns" });
    }
  });

export type NetwatchInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-netwatch",
  docs: "https://help.mikrotik.com/docs/display/ROS/Netwatch",
  schema,
  menu: "/tool/netwatch",
  identity: { by: "comment" },
  naturalKey: ["host", "type"],
  commentField: "comment",
  props: {
    ...derived.props,
    host: prop.text("host"),
    type: prop.text("type"),
    interval: prop.durationMs("interval"),
    timeout: prop.durationMs("timeout"),
    upScript: prop.text("up-script"),
    downScript: prop.text("down-script"),
    srcAddress: prop.text("src-address"),
    packetCount: prop.int("packet-count"),
    packetInterval: prop.durationMs("packet-interval"),
    packetSize: prop.int("packet-size"),
    thrLossPercent: prop.percent("thr-loss-percent"),
    thrLossCount: prop.int("thr-loss-count"),
    thrAvg: prop.durationMs("thr-avg"),
    thrMax: prop.durationMs("thr-max"),
    thrStdev: prop.durationMs("thr-stdev"),
    thrJitter: prop.durationMs("thr-jitter"),
    ttl: prop.int("ttl"),
    port: prop.int("port"),
    name: prop.text("name"),
    disabled: prop.bool("disabled"),
  },
  outputs: { status: "status", since: "since" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
