/**
 * `StaticRoute` on OpenWrt: one netifd static route, a named section `network.<name>` of type `route` (IPv4) or
 * `route6` (IPv6), the type chosen from the family of `target`. Changing the family replaces the section (it
 * moves between `route` and `route6`). Reloads `network`.
 * Option names are netifd's, as https://openwrt.org/docs/guide-user/network/routing/routes_configuration
 * documents them. docs/reference/openwrt-uci.md measures only the uci CLI, not netifd, so these are unverified
 * against a router [I]: that netifd accepts CIDR in `target` for `route` (the docs show `0.0.0.0/0`; routerstack
 * always writes CIDR and never `netmask`), the `type` values, and that `source` is a preferred source address for
 * `route` and an address or prefix (source-specific routing) for `route6`.
 * Docs: https://openwrt.org/docs/guide-user/network/routing/routes_configuration
 */
import { z } from "zod";
import { ipv4Address, ipv4Prefix, ipv6Address, ipv6Prefix } from "../common";
import { uciName, uciOptions } from "./fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  interface: uci.option("interface"),
  target: uci.option("target"),
  gateway: uci.option("gateway"),
  metric: uci.int("metric"),
  mtu: uci.int("mtu"),
  table: uci.option("table"),
  source: uci.option("source"),
  onlink: uci.bool("onlink"),
  type: uci.option("type"),
} satisfies UciOptionRows;

/** Route types the routes page lists [I]; netifd's default is `unicast`. */
const ROUTE_TYPES = [
  "unicast",
  "local",
  "broadcast",
  "multicast",
  "unreachable",
  "prohibit",
  "blackhole",
  "anycast",
] as const;

const prefix = z.union([ipv4Prefix, ipv6Prefix], {
  error: "must be an IPv4 or IPv6 prefix such as 198.51.100.0/24 or 2001:db8::/32 (no host bits set)",
});
const address = z.union([ipv4Address, ipv6Address], { error: "must be an IPv4 or IPv6 address" });
const addressOrPrefix = z.union([ipv4Address, ipv6Address, ipv4Prefix, ipv6Prefix], {
  error: "must be an IPv4 or IPv6 address or prefix",
});

const familyOf = (s: string): "ipv4" | "ipv6" => (s.includes(":") ? "ipv6" : "ipv4");

export const schema = z
  .object({
    /** uci section name; default derived from the identity (`rs_<name>_<8 hex>`). Changing it replaces the route. */
    name: uciName.optional(),
    /** Logical interface (a `network.<iface>` section) the route belongs to, e.g. `wwan`. uci option `interface`; required. */
    interface: uciName,
    /** Destination prefix in CIDR, e.g. `198.51.100.0/24` or `2001:db8:1::/48`. uci option `target`; chooses route/route6. */
    target: prefix,
    /** Address family, derived from `target` (a mismatch is an error). Not a uci option; a change replaces the route. */
    family: z.enum(["ipv4", "ipv6"]).optional(),
    /** Next hop of the target's family. uci option `gateway`; default none (an interface route). */
    gateway: address.optional(),
    /** Route metric. uci option `metric`; default 0. */
    metric: z.number().int("must be an integer").min(0).max(4294967295).optional(),
    /** Path MTU in bytes. uci option `mtu`; default the interface's MTU. */
    mtu: z.number().int("must be an integer").min(68).max(65535).optional(),
    /** Routing table: a number or a name from /etc/iproute2/rt_tables. uci option `table`; default `main`. */
    table: z
      .union([z.number().int().min(0).max(4294967295), z.string()])
      .transform((t, ctx) => {
        if (typeof t === "number" || /^[A-Za-z0-9_-]{1,31}$/.test(t)) return String(t);
        ctx.addIssue({ code: "custom", message: "must be a table number or name (letters, digits, _ -)" });
        return z.NEVER;
      })
      .optional(),
    /** Source: preferred source address (route), address or prefix (route6) [I]. uci option `source`. */
    source: addressOrPrefix.optional(),
    /** Gateway is on-link even if no prefix covers it. uci option `onlink` (`1`/`0`); default false. */
    onlink: z.boolean().optional(),
    /** Route type. uci option `type`; default `unicast`. */
    type: z.enum(ROUTE_TYPES).optional(),
    /** Further route options by uci name, verbatim; undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const fam = familyOf(v.target);
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    // `netmask` as well: target is always CIDR and netmask is never written.
    refuseMapped(v.extraOptions, OPTIONS, "StaticRoute", ctx, ["netmask"]);
    if (v.family !== undefined && v.family !== fam) issue("family", `is ${v.family} but target ${v.target} is ${fam}`);
    if (v.gateway !== undefined && familyOf(v.gateway) !== fam)
      issue("gateway", `must be an ${fam === "ipv4" ? "IPv4" : "IPv6"} address like target`);
    if (v.source !== undefined && familyOf(v.source) !== fam)
      issue("source", `must be ${fam === "ipv4" ? "IPv4" : "IPv6"} like target`);
    if (v.source !== undefined && fam === "ipv4" && v.source.includes("/"))
      issue("source", "must be an address (the preferred source) for an IPv4 route");
  })
  .transform((v) => ({ ...v, family: familyOf(v.target) }));

export type StaticRouteInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-static-route",
  docs: "https://openwrt.org/docs/guide-user/network/routing/routes_configuration",
  schema,
  package: "network",
  sectionType: (i) => (i.family === "ipv6" ? "route6" : "route"),
  section: { nameField: "name" },
  options: OPTIONS,
  notOptions: { family: "the section type: `route` (ipv4) or `route6` (ipv6), from `target`" },
  replaceOn: ["family"],
});
