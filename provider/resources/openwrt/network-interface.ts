/**
 * `NetworkInterface` on OpenWrt: one netifd logical interface, the named section `network.<name>` of type
 * `interface`; firewall zones and mwan3 refer to it by that name. For the LTE modem protocols (qmi, mbim, ncm) use
 * `ModemProfile`, which also manages the APN, PIN and cold-boot workaround. Changing `name` replaces the
 * interface. Reloads `network`.
 * Option names are netifd's, verbatim; OpenWrt 23.05's starting config uses `device`, `proto` (static, dhcp,
 * dhcpv6), `ipaddr`, `netmask` and `ip6assign`. Unverified against a router [I]: that `ipaddr` may carry a
 * prefix length (`192.0.2.1/24`, then without `netmask`), `ip6addr`, `gateway`, `ip6gw`, `metric`, `peerdns`,
 * list `dns`, `auto`, `disabled`, `defaultroute`, `mtu`, `macaddr`, and the pppoe handler's `username`/`password`.
 * Docs: https://openwrt.org/docs/guide-user/network/network_configuration
 */
import { z } from "zod";
import { ipv4Address, ipv6Address } from "../common";
import { linuxInterfaceName, uciName, uciOptions, uciString } from "./fields";
import {
  ipv4InSubnet,
  ipv4InterfaceAddress,
  ipv4Netmask,
  ipv6InterfaceAddress,
  macAddress,
  uniqueList,
} from "./typed-fields";
import { refuseMapped, uci, uciKind, type UciOptionRows } from "./uci-kind";

const OPTIONS = {
  proto: uci.option("proto"),
  netdev: uci.option("device"),
  ipaddr: uci.option("ipaddr"),
  netmask: uci.option("netmask"),
  ip6addr: uci.list("ip6addr"),
  gateway: uci.option("gateway"),
  ip6gw: uci.option("ip6gw"),
  metric: uci.int("metric"),
  peerdns: uci.bool("peerdns"),
  dns: uci.list("dns"),
  auto: uci.bool("auto"),
  disabled: uci.bool("disabled"),
  defaultroute: uci.bool("defaultroute"),
  mtu: uci.int("mtu"),
  macaddr: uci.option("macaddr"),
  ip6assign: uci.int("ip6assign"),
  username: uci.option("username"),
  password: uci.option("password", { secret: true }),
} satisfies UciOptionRows;

/** Protocols whose address comes from the peer: `peerdns` and `defaultroute` apply to them [I]. */
const DYNAMIC = ["dhcp", "dhcpv6", "pppoe"];
const MODEM = ["qmi", "mbim", "ncm"];

export const schema = z
  .object({
    /** Interface (section) name, e.g. `wan_lte1`; zones and mwan3 refer to it. Changing it replaces the interface. */
    name: uciName,
    /** netifd protocol handler. uci option `proto`; qmi, mbim and ncm are ModemProfile's. */
    proto: z.enum(["static", "dhcp", "dhcpv6", "pppoe", "none", "qmi", "mbim", "ncm"]),
    /**
     * Linux device or bridge the interface runs on, e.g. `eth1`, `br-lan`, `@wan` (alias of another interface) [I].
     * uci option `device` (named `netdev` because `device` is every resource's router key). Required except for `none`.
     */
    netdev: z
      .union([linuxInterfaceName, z.string().regex(/^@[A-Za-z0-9_]+$/)], {
        error: "must be a Linux interface name such as eth1, or @<interface>",
      })
      .optional(),
    /** static: IPv4 address, with prefix length or with `netmask`. uci option `ipaddr`. */
    ipaddr: ipv4InterfaceAddress.optional(),
    /** static: IPv4 netmask when `ipaddr` has no prefix length, e.g. `255.255.255.0`. uci option `netmask`. */
    netmask: ipv4Netmask.optional(),
    /** static: IPv6 addresses with prefix length. uci list `ip6addr` [I]. */
    ip6addr: uniqueList(ipv6InterfaceAddress).optional(),
    /** static: IPv4 default gateway, inside the `ipaddr` subnet. uci option `gateway`; default none. */
    gateway: ipv4Address.optional(),
    /** static: IPv6 default gateway. uci option `ip6gw`; default none [I]. */
    ip6gw: ipv6Address.optional(),
    /** Metric of the interface's routes (default route included); mwan3 needs distinct metrics. uci option `metric`; default 0. */
    metric: z.number().int("must be an integer").min(0).max(2147483647).optional(),
    /** dhcp/dhcpv6/pppoe: use the DNS servers the peer offers. uci option `peerdns` (`1`/`0`); default true [I]. */
    peerdns: z.boolean().optional(),
    /** DNS servers. uci list `dns`; default none. */
    dns: uniqueList(z.union([ipv4Address, ipv6Address], { error: "must be an IPv4 or IPv6 address" })).optional(),
    /** Bring the interface up at boot. uci option `auto` (`1`/`0`); default true (false for `none`) [I]. */
    auto: z.boolean().optional(),
    /** Interface disabled. uci option `disabled` (`1`/`0`); default false [I]. */
    disabled: z.boolean().optional(),
    /** dhcp/dhcpv6/pppoe: install the peer's default route. uci option `defaultroute` (`1`/`0`); default true [I]. */
    defaultroute: z.boolean().optional(),
    /** MTU in bytes. uci option `mtu`; default the device's. */
    mtu: z.number().int("must be an integer").min(68).max(65535).optional(),
    /** MAC address to set on the device. uci option `macaddr`; default the device's. */
    macaddr: macAddress.optional(),
    /** static: length of the IPv6 prefix delegated to this interface, 0..64. uci option `ip6assign`; default none. */
    ip6assign: z.number().int("must be an integer").min(0).max(64).optional(),
    /** pppoe: user name. uci option `username`. */
    username: uciString.optional(),
    /** pppoe: password; secret. uci option `password`. */
    password: uciString.optional(),
    /** Further interface options by uci name, verbatim; undeclared options on the device show here as drift. */
    extraOptions: uciOptions.default({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    refuseMapped(v.extraOptions, OPTIONS, "NetworkInterface", ctx);
    if (MODEM.includes(v.proto)) {
      issue(
        "proto",
        `"${v.proto}" is an LTE modem protocol: declare the interface with ModemProfile (APN, PIN, cold boot)`,
      );
      return;
    }
    if (v.proto !== "none" && v.netdev === undefined) issue("netdev", `is required for proto ${v.proto}`);
    const staticOnly = {
      ipaddr: v.ipaddr,
      netmask: v.netmask,
      ip6addr: v.ip6addr,
      gateway: v.gateway,
      ip6gw: v.ip6gw,
      ip6assign: v.ip6assign,
    };
    if (v.proto !== "static") {
      for (const [f, x] of Object.entries(staticOnly))
        if (x !== undefined) issue(f, `is only used by proto static, not ${v.proto}`);
    } else {
      if (v.ipaddr === undefined && v.ip6addr === undefined) issue("ipaddr", "or ip6addr is required for proto static");
      if (v.ipaddr !== undefined && !v.ipaddr.includes("/") && v.netmask === undefined)
        issue("netmask", "is required when ipaddr has no prefix length");
      if (v.ipaddr?.includes("/") && v.netmask !== undefined)
        issue("netmask", "must not be set when ipaddr has a prefix length");
      if (v.gateway !== undefined && v.ipaddr === undefined) issue("gateway", "needs ipaddr");
      if (
        v.gateway !== undefined &&
        v.ipaddr !== undefined &&
        (v.ipaddr.includes("/") || v.netmask !== undefined) &&
        !ipv4InSubnet(v.gateway, v.ipaddr, v.netmask)
      ) {
        issue("gateway", `${v.gateway} is outside the subnet of ${v.ipaddr}${v.netmask ? ` ${v.netmask}` : ""}`);
      }
      if (v.ip6gw !== undefined && v.ip6addr === undefined) issue("ip6gw", "needs ip6addr");
    }
    if (!DYNAMIC.includes(v.proto)) {
      if (v.peerdns !== undefined) issue("peerdns", `is only used by proto ${DYNAMIC.join(", ")}`);
      if (v.defaultroute !== undefined) issue("defaultroute", `is only used by proto ${DYNAMIC.join(", ")}`);
    }
    if (v.proto !== "pppoe") {
      if (v.username !== undefined) issue("username", "is only used by proto pppoe");
      if (v.password !== undefined) issue("password", "is only used by proto pppoe");
    } else if ((v.username === undefined) !== (v.password === undefined)) {
      issue(
        v.username === undefined ? "username" : "password",
        "is required with the other (username and password go together)",
      );
    }
  });

export type NetworkInterfaceInputs = z.output<typeof schema>;

export const kind = uciKind({
  name: "openwrt-network-interface",
  docs: "https://openwrt.org/docs/guide-user/network/network_configuration",
  schema,
  package: "network",
  sectionType: "interface",
  section: { nameField: "name" },
  options: OPTIONS,
});
