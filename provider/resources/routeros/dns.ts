/**
 * `/ip/dns`: the router's DNS resolver settings, a singleton menu (one item, no `.id`, no comment): routerstack only
 * ever `set`s it. Create records the values every input had before (kept as the secret output `adoptionRecord`);
 * destroy sets them back and removes nothing. Inputs left out are set to RouterOS's default (the declared
 * resource owns the whole menu, the way a named item's inputs do). Docs: https://help.mikrotik.com/docs/display/ROS/DNS.
 * Property names from RouterOS's own schema (provider/routeros/catalogue.generated.ts; `set` only); defaults from
 * the manual's property table. One resource per router: two on one singleton overwrite each other.
 */
import { z } from "zod";
import { durationSeconds, ipAddress } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { durationSecondsMs } from "./fields";
import * as derived from "./generated/dns";

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Upstream DNS servers (IPv4 or IPv6), in order; default none (only servers learned from DHCP/PPP). Property `servers`. */
    servers: z.array(ipAddress).default([]),
    /** Answer DNS queries from other hosts (LAN clients); default false. Property `allow-remote-requests`. */
    allowRemoteRequests: z.boolean().default(false),
    /** Cache size in KiB, 64..4294967295; default 2048. Property `cache-size`. */
    cacheSize: z.number().int().min(64).max(4294967295).default(2048).meta({ unit: "KiB" }),
    /** Longest time a cached answer is kept, in seconds (or `"1w"`); default 604800 (1w). Property `cache-max-ttl`. */
    cacheMaxTtl: durationSeconds.default(604800),
    /** Largest UDP DNS message, 50..65507 bytes; default 4096. Property `max-udp-packet-size`. */
    maxUdpPacketSize: z.number().int().min(50).max(65507).default(4096),
    /** Wait for one server's answer, in seconds (ms resolution, or `"2s"`); default 2. Property `query-server-timeout`. */
    queryServerTimeout: durationSecondsMs.default(2),
    /** Wait for any answer, in seconds (ms resolution, or `"10s"`); default 10. Property `query-total-timeout`. */
    queryTotalTimeout: durationSecondsMs.default(10),
    /** DNS-over-HTTPS server URL, e.g. `https://cloudflare-dns.com/dns-query`; default none (`""`). Property `use-doh-server`. */
    useDohServer: z
      .string()
      .refine((s) => s === "" || /^https:\/\/[^\s"]+$/.test(s), "must be an https:// URL or empty")
      .default(""),
    /** Check the DoH server's certificate (needs its CA imported); default false. Property `verify-doh-cert`. */
    verifyDohCert: z.boolean().default(false),
  })
  .strict();

export type DnsInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-dns",
  docs: "https://help.mikrotik.com/docs/display/ROS/DNS",
  schema,
  menu: "/ip/dns",
  identity: { by: "singleton" },
  props: {
    ...derived.props,
    servers: prop.list("servers"),
    allowRemoteRequests: prop.bool("allow-remote-requests"),
    cacheSize: prop.int("cache-size"),
    cacheMaxTtl: prop.duration("cache-max-ttl"),
    maxUdpPacketSize: prop.int("max-udp-packet-size"),
    queryServerTimeout: prop.durationMs("query-server-timeout"),
    queryTotalTimeout: prop.durationMs("query-total-timeout"),
    useDohServer: prop.text("use-doh-server"),
    verifyDohCert: prop.bool("verify-doh-cert"),
  },
  outputs: { dynamicServers: "dynamic-servers", cacheUsed: "cache-used" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
