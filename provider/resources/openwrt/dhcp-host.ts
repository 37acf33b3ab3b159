/**
 * `DhcpHost` on OpenWrt: one static lease, a named section `dhcp.<name>` of type `host`: the client recognised by
 * `mac` (DHCPv4, dnsmasq), `duid` (DHCPv6, odhcpd) or its host name, given a fixed `ip`, host name or lease time.
 * routerstack refuses to create or update it while another `host` section holds the same `ip` (dnsmasq would hand
 * one address to two clients). Reloads dnsmasq and odhcpd (each when installed).
 * Option names are the OpenWrt dhcp page's ("Static leases"), verbatim, as
 * docs/reference/openwrt-netifd-dhcp-system.md §2 records them [D]: `name`, `mac` (several addresses separated by
 * spaces in one option), `ip`, `leasetime`, `duid`, `hostid`, `tag`, `dns`, `broadcast`.
 * Docs: https://openwrt.org/docs/guide-user/base-system/dhcp
 */
import { z } from "zod";
import { ipv4Address } from "../common";
import { uciName, uciOptions } from "./fields";
import { hostLabel, leaseTime, macAddress, sameOptionElsewhere, uniqueList } from "./typed-fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  hostname: uci.option("name"),
  // One option holding the addresses separated by spaces (the dhcp page); a list as read stays a list (drift).
  mac: uci.option("mac", {
    encode: (v) => (Array.isArray(v) ? v.join(" ") : undefined),
    decode: (v) =>
      typeof v === "string"
        ? v
            .split(/\s+/)
            .filter(Boolean)
            .map((m) => m.toLowerCase())
        : v,
  }),
  ip: uci.option("ip"),
  leasetime: uci.option("leasetime"),
  duid: uci.option("duid"),
  hostid: uci.option("hostid"),
  tag: uci.option("tag"),
  dns: uci.bool("dns"),
  broadcast: uci.bool("broadcast"),
} satisfies UciOptionRows;

export const schema = z
  .object({
    /** uci section name; default derived from the identity (`rs_<name>_<8 hex>`). Changing it replaces the lease. */
    name: uciName.optional(),
    /** Host name given to the client (and matched when neither mac nor duid is set). uci option `name`. */
    hostname: hostLabel.optional(),
    /** The client's MAC addresses, e.g. `["02:00:00:00:00:01"]`. uci option `mac`, space-separated; default none. */
    mac: uniqueList(macAddress).optional(),
    /** Fixed IPv4 address to lease, inside a served pool. uci option `ip`; default one from the pool. */
    ip: ipv4Address.optional(),
    /** Lease time of this host: seconds, or with unit `m`/`h`/`d`/`w`, or `infinite`. uci option `leasetime`; default the pool's. */
    leasetime: leaseTime.optional(),
    /** DHCPv6 client DUID, hex digits (e.g. `000100012a3b4c5d020000000001`). uci option `duid`; default none. */
    duid: z
      .string()
      .regex(/^(?:[0-9A-Fa-f]{2}){2,130}$/, "must be a DUID: an even number of hex digits (4 to 260)")
      .transform((s) => s.toLowerCase())
      .optional(),
    /** IPv6 interface identifier (host part) for DHCPv6, hex, e.g. `100`. uci option `hostid`; default none. */
    hostid: z
      .string()
      .regex(/^[0-9A-Fa-f]{1,16}$/, "must be an IPv6 interface identifier in hex (1 to 16 digits)")
      .transform((s) => s.toLowerCase())
      .optional(),
    /** dnsmasq tag set for this client (matched by tagged DHCP options). uci option `tag`; default none. */
    tag: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "must be a tag (letters, digits, _ and -)")
      .optional(),
    /** Add forward and reverse DNS entries for hostname → ip. uci option `dns` (`1`/`0`); default false. */
    dns: z.boolean().optional(),
    /** Answer this client by broadcast. uci option `broadcast` (`1`/`0`); default false. */
    broadcast: z.boolean().optional(),
    /** Further host options by uci name, verbatim; undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    refuseMapped(v.extraOptions, OPTIONS, "DhcpHost", ctx);
    if (v.mac === undefined && v.duid === undefined && v.hostname === undefined)
      issue("mac", "or duid or hostname is required (how the client is recognised)");
    if (v.ip === undefined && v.hostname === undefined && v.leasetime === undefined && v.hostid === undefined)
      issue("ip", "or hostname, leasetime or hostid is required (what the lease fixes)");
    if (v.dns === true && (v.hostname === undefined || v.ip === undefined))
      issue("dns", "needs hostname and ip (the entries it adds)");
  });

export type DhcpHostInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-dhcp-host",
  docs: "https://openwrt.org/docs/guide-user/base-system/dhcp",
  schema,
  package: "dhcp",
  sectionType: "host",
  section: { nameField: "name" },
  options: OPTIONS,
  conflict: (i, others) =>
    i.ip === undefined ? undefined : sameOptionElsewhere("host", "ip", i.ip, "a static lease of address")(others),
});
