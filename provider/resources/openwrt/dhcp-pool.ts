/**
 * `DhcpPool` on OpenWrt: the DHCP/RA service on one logical interface, a named section `dhcp.<name>` of type
 * `dhcp` (OpenWrt's starting config names them after the interface: `dhcp.lan`, `dhcp.wan`; take one of those
 * over with `adopt: true`). dnsmasq reads the DHCPv4 options (`interface`, `start`, `limit`, `leasetime`,
 * `ignore`, `dynamicdhcp`, `force`, `netmask`, list `dhcp_option`); odhcpd reads the IPv6 ones (`dhcpv4`,
 * `dhcpv6`, `ra`, `ndp`, list `ra_flags`, `master`). routerstack refuses to create or update the section while
 * another `dhcp` section serves the same `interface`. Reloads dnsmasq and odhcpd (each when installed).
 * Option names are the OpenWrt dhcp page's, verbatim, as docs/reference/openwrt-netifd-dhcp-system.md §2 records
 * them; the value sets and defaults in the field docs are the page's [D], not measured on a router.
 * Docs: https://openwrt.org/docs/guide-user/base-system/dhcp
 */
import { z } from "zod";
import { uciName, uciOptions, uciString } from "./fields";
import { ipv4Netmask, leaseTime, sameOptionElsewhere, uniqueList } from "./typed-fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  interface: uci.option("interface"),
  start: uci.int("start"),
  limit: uci.int("limit"),
  leasetime: uci.option("leasetime"),
  ignore: uci.bool("ignore"),
  dynamicdhcp: uci.bool("dynamicdhcp"),
  force: uci.bool("force"),
  netmask: uci.option("netmask"),
  dhcpOption: uci.list("dhcp_option"),
  dhcpv4: uci.option("dhcpv4"),
  dhcpv6: uci.option("dhcpv6"),
  ra: uci.option("ra"),
  ndp: uci.option("ndp"),
  raFlags: uci.list("ra_flags"),
  master: uci.bool("master"),
} satisfies UciOptionRows;

/** odhcpd service modes: `server`, `relay`, `hybrid` (relay when a master relays, else server), `disabled`. */
const v6mode = z.enum(["server", "relay", "hybrid", "disabled"]);

/** A dnsmasq DHCP option `<code or name>,<value>`, e.g. `3,192.0.2.1` or `option:router,192.0.2.1` [D: dnsmasq --dhcp-option]. */
const dhcpOption = uciString.refine(
  (s) => /^(?:\d{1,3}|option6?:[A-Za-z0-9-]+|(?:tag|net|encap|vi-encap|vendor):[^,]+)(?:,|$)/.test(s),
  "must be a DHCP option such as 3,192.0.2.1 or option:router,192.0.2.1",
);

export const schema = z
  .object({
    /** uci section name; default the `interface` (the starting config's convention). Changing it replaces the pool. */
    name: uciName.optional(),
    /** Logical interface served, a `network.<iface>` section, e.g. `lan`. uci option `interface`; required. */
    interface: uciName,
    /** Offset of the first leased address from the interface's network address, e.g. 100. uci option `start`; default 100. */
    start: z.number().int("must be an integer").min(1).max(16777214).optional(),
    /** Number of addresses in the pool. uci option `limit`; default 150. */
    limit: z.number().int("must be an integer").min(1).max(16777214).optional(),
    /** Lease time: seconds, or with unit `m`/`h`/`d`/`w` (`12h`), or `infinite`; at least 2 minutes. uci option `leasetime`; default `12h`. */
    leasetime: leaseTime.optional(),
    /** Serve no DHCPv4 on this interface (dnsmasq ignores it). uci option `ignore` (`1`/`0`); default false. */
    ignore: z.boolean().optional(),
    /** Lease to unknown clients too; false leases only to `DhcpHost` entries. uci option `dynamicdhcp` (`1`/`0`); default true. */
    dynamicdhcp: z.boolean().optional(),
    /** Serve even when another DHCP server answers on the network. uci option `force` (`1`/`0`); default false. */
    force: z.boolean().optional(),
    /** Netmask handed to clients, e.g. `255.255.255.0`. uci option `netmask`; default the interface's. */
    netmask: ipv4Netmask.optional(),
    /** Extra DHCP options to hand out, e.g. `6,192.0.2.53` (DNS server). uci list `dhcp_option`; default none. */
    dhcpOption: uniqueList(dhcpOption).optional(),
    /** odhcpd DHCPv4 service (when odhcpd is the DHCPv4 server): `server` or `disabled`. uci option `dhcpv4`. */
    dhcpv4: z.enum(["server", "disabled"]).optional(),
    /** odhcpd DHCPv6 service. uci option `dhcpv6`; default `disabled`. */
    dhcpv6: v6mode.optional(),
    /** odhcpd router advertisements. uci option `ra`; default `disabled`. */
    ra: v6mode.optional(),
    /** odhcpd NDP proxy: `relay`, `hybrid` or `disabled`. uci option `ndp`; default `disabled`. */
    ndp: z.enum(["relay", "hybrid", "disabled"]).optional(),
    /** RA flags: `managed-config`, `other-config`, `home-agent`, or `none`. uci list `ra_flags`; default `other-config`. */
    raFlags: uniqueList(z.enum(["managed-config", "other-config", "home-agent", "none"])).optional(),
    /** This interface is the master (upstream) of odhcpd's relays. uci option `master` (`1`/`0`); default false. */
    master: z.boolean().optional(),
    /** Further pool options by uci name, verbatim (e.g. `ra_default`); undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    refuseMapped(v.extraOptions, OPTIONS, "DhcpPool", ctx);
    if (v.raFlags?.includes("none") && v.raFlags.length > 1)
      ctx.addIssue({ code: "custom", path: ["raFlags"], message: "none must be the only flag" });
    if (v.ignore === true) {
      for (const f of ["start", "limit", "leasetime", "dynamicdhcp", "netmask"] as const) {
        if (v[f] !== undefined)
          ctx.addIssue({ code: "custom", path: [f], message: "has no effect with ignore true (no DHCPv4 served)" });
      }
    }
  })
  // The section name is settled here, so a changed `interface` without an explicit `name` is a replace (the
  // section moves), not an update of a section that is not there.
  .transform((v) => ({ ...v, name: v.name ?? v.interface }));

export type DhcpPoolInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-dhcp-pool",
  docs: "https://openwrt.org/docs/guide-user/base-system/dhcp",
  schema,
  package: "dhcp",
  sectionType: "dhcp",
  section: { nameField: "name" },
  options: OPTIONS,
  conflict: (i, others) => sameOptionElsewhere("dhcp", "interface", i.interface, "a DHCP pool for interface")(others),
});
