/**
 * Emulator menus for the failover-site kinds of issue 13 item 6: bridge ports, IP pools, the DHCPv4 client and
 * server, DNS. Argument names follow RouterOS's own `/console/inspect` schema (provider/routeros/catalogue.generated.ts);
 * defaults follow the property tables of MikroTik's manual pages cited per menu, and are [I] until captured from
 * a CHR. Error wordings for duplicates are [I]. Only type imports from ./menus, so that menus.ts can spread this
 * array without a circular import at load time.
 */
import type { MenuDef, Verb } from "./menus";
import type { PropDef, Stored } from "./props";
import { rt } from "./errors";
import { formatIp, formatPrefix, parseIp, parsePrefix } from "./ipaddr";

const LIST_VERBS: Verb[] = ["add", "set", "unset", "remove", "get", "find", "print", "enable", "disable"];
const SINGLETON_VERBS: Verb[] = ["set", "get", "print"];

const s = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "string" }, ...extra });
const b = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "bool" }, ...extra });
const int = (name: string, min: number, max: number, extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: { kind: "int", min, max },
  ...extra,
});
const en = (name: string, values: string[], extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: { kind: "enum", values },
  ...extra,
});
const iface = (name: string, extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: { kind: "interface" },
  ...extra,
});
const ro = (name: string, extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: { kind: "string" },
  readOnly: true,
  ...extra,
});
const dur = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "duration" }, ...extra });
const comment = s("comment", { summary: true });
const disabled = b("disabled", { default: false });

function invalid(prop: string): Error {
  return rt(`invalid value for argument ${prop}`);
}

/** A comma list of IPv4 addresses (`dns-server`, `gateway` of a DHCP network; `/ip/dns` `servers` takes IPv6 too). */
function ipList(family?: 4 | 6) {
  return (text: string, prop: string): Stored =>
    (text === "" ? [] : text.split(",")).map((x) => {
      const ip = parseIp(x, family);
      if (!ip) throw invalid(prop);
      return formatIp(ip);
    });
}

/** `/ip/service` `address`: prefixes (an address alone is a /32 or /128) [I: how RouterOS prints a lone address]. */
function prefixList(text: string, prop: string): Stored {
  return (text === "" ? [] : text.split(",")).map((x) => {
    const pre = parsePrefix(x.includes("/") ? x : `${x}/${x.includes(":") ? 128 : 32}`);
    if (!pre) throw invalid(prop);
    return formatPrefix(pre);
  });
}

/** `/ip/pool` `ranges`: `a-b` or `a` (prefixes are accepted by RouterOS too; the lab does not take them [I]). */
function poolRanges(text: string, prop: string): Stored {
  return (text === "" ? [] : text.split(",")).map((r) => {
    const [first, last, ...rest] = r.split("-");
    const a = parseIp(first, 4);
    const z = last === undefined ? a : parseIp(last, 4);
    if (!a || !z || rest.length > 0) throw invalid(prop);
    return last === undefined ? formatIp(a) : `${formatIp(a)}-${formatIp(z)}`;
  });
}

/**
 * `/ip/firewall/raw` and `/ipv6/firewall/raw` (https://help.mikrotik.com/docs/display/ROS/Filter, "RAW"): ordered
 * like filter, before connection tracking, so no connection matchers; chains `prerouting` and `output`, actions
 * from RouterOS's own schema (catalogue.generated.ts), `notrack` among them.
 */
function rawMenu(family: 4 | 6): MenuDef {
  const path = family === 4 ? "/ip/firewall/raw" : "/ipv6/firewall/raw";
  return {
    path,
    idSpace: path,
    ordered: true,
    verbs: [...LIST_VERBS, "move"],
    props: [
      s("chain", { required: true, summary: true }),
      en(
        "action",
        [
          "accept",
          "add-dst-to-address-list",
          "add-src-to-address-list",
          "drop",
          "jump",
          "log",
          "notrack",
          "passthrough",
          "return",
        ],
        { default: "accept", summary: true },
      ),
      s("jump-target"),
      { name: "src-address", type: { kind: "addrMatch", family } },
      { name: "dst-address", type: { kind: "addrMatch", family } },
      s("src-address-list"),
      s("dst-address-list"),
      { name: "protocol", type: { kind: "protocol" } },
      { name: "src-port", type: { kind: "ports" } },
      { name: "dst-port", type: { kind: "ports" } },
      { name: "in-interface", type: { kind: "interface", negatable: true } },
      { name: "out-interface", type: { kind: "interface", negatable: true } },
      s("in-interface-list"),
      s("out-interface-list"),
      b("log", { default: false }),
      s("log-prefix", { type: { kind: "string", max: 31 }, default: "" }),
      comment,
      disabled,
      ro("dynamic", { type: { kind: "bool" } }),
      ro("invalid", { type: { kind: "bool" } }),
    ],
  };
}

/**
 * A comma list of interface names (bridge VLAN `tagged`/`untagged`). RouterOS refuses names that are not
 * interfaces; the lab does not check (a custom type sees no other configuration) [I].
 */
function interfaceNames(text: string, prop: string): Stored {
  const parts = text === "" ? [] : text.split(",");
  for (const p of parts) if (!/^[A-Za-z0-9][A-Za-z0-9._@:-]*$/.test(p)) throw invalid(prop);
  return parts;
}

/** `vlan-ids`: a comma list of 1..4094 [I: whether RouterOS prints ranges back as given]. */
function vlanIds(text: string, prop: string): Stored {
  const parts = text === "" ? [] : text.split(",");
  for (const p of parts) if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 4094) throw invalid(prop);
  return parts;
}

const FRAME_TYPES = ["admit-all", "admit-only-untagged-and-priority-tagged", "admit-only-vlan-tagged"];

export const SITE_MENUS: MenuDef[] = [
  {
    // https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching (Bridge VLAN Filtering).
    path: "/interface/bridge/vlan",
    idSpace: "/interface/bridge/vlan",
    verbs: LIST_VERBS,
    props: [
      { name: "bridge", type: { kind: "ref", menu: "/interface/bridge" }, required: true, summary: true },
      { name: "vlan-ids", type: { kind: "custom", coerce: vlanIds }, required: true, summary: true },
      { name: "tagged", type: { kind: "custom", coerce: interfaceNames }, summary: true },
      { name: "untagged", type: { kind: "custom", coerce: interfaceNames }, summary: true },
      comment,
      disabled,
      ro("current-tagged"),
      ro("current-untagged"),
      ro("dynamic", { type: { kind: "bool" } }),
    ],
  },
  {
    // https://help.mikrotik.com/docs/display/ROS/DHCP (DHCPv6 Client). One client per interface [I: wording].
    path: "/ipv6/dhcp-client",
    idSpace: "/ipv6/dhcp-client",
    verbs: LIST_VERBS,
    uniqueBy: { props: ["interface"], error: "failure: dhcpv6-client on that interface already exists" },
    props: [
      iface("interface", { required: true, summary: true }),
      { name: "request", type: { kind: "enumList", values: ["info", "address", "prefix"] }, required: true },
      s("pool-name"),
      int("pool-prefix-length", 0, 128, { default: 64 }),
      { name: "prefix-hint", type: { kind: "dst", family: 6 }, default: "::/0" },
      b("add-default-route", { default: false }),
      b("use-peer-dns", { default: true }),
      b("rapid-commit", { default: true }),
      comment,
      disabled,
      ro("status", { default: "searching...", summary: true }),
      ro("prefix"),
      ro("dynamic", { type: { kind: "bool" } }),
    ],
  },
  {
    // https://help.mikrotik.com/docs/display/ROS/IPv6+Neighbor+Discovery. RouterOS ships `interface=all` (flag
    // `*`, SITE_BUILTINS); one entry per interface [I: wording].
    path: "/ipv6/nd",
    idSpace: "/ipv6/nd",
    verbs: LIST_VERBS,
    uniqueBy: { props: ["interface"], error: "failure: already have such entry" },
    // The shipped entry prints `default=yes` (RouterOS's schema lists `default` as print-only).
    compute: (item) => ({ default: item.builtin === true }),
    props: [
      iface("interface", { required: true, summary: true }),
      en("advertise-dns", ["yes", "no", "self"], { default: "yes" }),
      b("advertise-mac-address", { default: true }),
      b("managed-address-configuration", { default: false }),
      b("other-configuration", { default: false }),
      dur("ra-lifetime", { default: 1800, type: { kind: "duration", min: 0, max: 9000 } }),
      comment,
      disabled,
      ro("default", { type: { kind: "bool" } }),
      ro("invalid", { type: { kind: "bool" } }),
    ],
  },
  {
    // https://help.mikrotik.com/docs/display/ROS/Services: the router's own services, one item each (starting
    // state in SITE_BUILTINS); only `set` (RouterOS's /console/inspect lists no add/remove; `unset` only on 7.16).
    path: "/ip/service",
    idSpace: "/ip/service",
    named: true,
    verbs: ["set", "get", "find", "print", "enable", "disable"],
    props: [
      // Read-only on RouterOS (print-only in its schema): RouterOS names the services it ships (SITE_BUILTINS).
      ro("name", { type: { kind: "string" }, summary: true }),
      int("port", 1, 65535, { summary: true }),
      { name: "address", type: { kind: "custom", coerce: prefixList }, default: [] },
      int("max-sessions", 1, 1000, { default: 20 }),
      { name: "vrf", type: { kind: "ref", menu: "/ip/vrf", builtins: ["main"] }, default: "main" },
      s("certificate", { default: "none" }),
      en("tls-version", ["any", "only-1.2"], { default: "any" }),
      disabled,
      ro("invalid", { type: { kind: "bool" } }),
    ],
  },
  rawMenu(4),
  rawMenu(6),
  {
    // https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching (Port Settings). An interface is a port
    // of at most one bridge [I: wording].
    path: "/interface/bridge/port",
    idSpace: "/interface/bridge/port",
    verbs: LIST_VERBS,
    uniqueBy: { props: ["interface"], error: "failure: device already added as bridge port" },
    props: [
      { name: "bridge", type: { kind: "ref", menu: "/interface/bridge" }, required: true, summary: true },
      iface("interface", { required: true, summary: true }),
      int("pvid", 1, 4094, { default: 1 }),
      en("frame-types", FRAME_TYPES, { default: "admit-all" }),
      b("ingress-filtering", { default: true }),
      b("hw", { default: true }),
      en("edge", ["auto", "yes", "no", "yes-discover", "no-discover"], { default: "auto" }),
      en("learn", ["auto", "yes", "no"], { default: "auto" }),
      s("horizon", { default: "none" }),
      comment,
      disabled,
      ro("dynamic", { type: { kind: "bool" } }),
      ro("inactive", { type: { kind: "bool" } }),
    ],
  },
  {
    // https://help.mikrotik.com/docs/display/ROS/IP+Pools
    path: "/ip/pool",
    idSpace: "/ip/pool",
    named: true,
    verbs: ["add", "set", "unset", "remove", "get", "find", "print"],
    props: [
      s("name", { required: true, summary: true }),
      { name: "ranges", type: { kind: "custom", coerce: poolRanges }, required: true, summary: true },
      { name: "next-pool", type: { kind: "ref", menu: "/ip/pool", builtins: ["none"] } },
      comment,
    ],
  },
  {
    // https://help.mikrotik.com/docs/display/ROS/DHCP (DHCP Client). One client per interface [I: wording].
    path: "/ip/dhcp-client",
    idSpace: "/ip/dhcp-client",
    verbs: LIST_VERBS,
    uniqueBy: { props: ["interface"], error: "failure: dhcp-client on that interface already exists" },
    props: [
      iface("interface", { required: true, summary: true }),
      en("add-default-route", ["yes", "no", "special-classless"], { default: "yes" }),
      int("default-route-distance", 0, 255, { default: 1 }),
      b("use-peer-dns", { default: true }),
      b("use-peer-ntp", { default: true }),
      s("script", { default: "" }),
      comment,
      disabled,
      // No DHCP server in the lab: a client keeps searching [I].
      ro("status", { default: "searching...", summary: true }),
      ro("address"),
      ro("gateway"),
      ro("dynamic", { type: { kind: "bool" } }),
      ro("invalid", { type: { kind: "bool" } }),
    ],
  },
  {
    // https://help.mikrotik.com/docs/display/ROS/DHCP (DHCP Server).
    path: "/ip/dhcp-server",
    idSpace: "/ip/dhcp-server",
    named: true,
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      iface("interface", { required: true, summary: true }),
      {
        name: "address-pool",
        type: { kind: "ref", menu: "/ip/pool", builtins: ["static-only"] },
        default: "static-only",
      },
      dur("lease-time", { default: 1800, type: { kind: "duration", min: 1 } }),
      en("authoritative", ["yes", "no", "after-2sec-delay", "after-10sec-delay"], { default: "yes" }),
      b("add-arp", { default: false }),
      s("lease-script", { default: "" }),
      comment,
      disabled,
      ro("dynamic", { type: { kind: "bool" } }),
      ro("invalid", { type: { kind: "bool" } }),
    ],
  },
  {
    // https://help.mikrotik.com/docs/display/ROS/DHCP (Networks). One entry per subnet [I: wording].
    path: "/ip/dhcp-server/network",
    idSpace: "/ip/dhcp-server/network",
    verbs: ["add", "set", "unset", "remove", "get", "find", "print"],
    uniqueBy: { props: ["address"], error: "failure: already have such entry" },
    props: [
      { name: "address", type: { kind: "dst", family: 4 }, required: true, summary: true },
      { name: "gateway", type: { kind: "custom", coerce: ipList(4) }, summary: true },
      { name: "dns-server", type: { kind: "custom", coerce: ipList(4) } },
      { name: "ntp-server", type: { kind: "custom", coerce: ipList(4) } },
      s("domain"),
      int("netmask", 0, 32),
      comment,
      ro("dynamic", { type: { kind: "bool" } }),
    ],
  },
  {
    // https://help.mikrotik.com/docs/display/ROS/DNS (Properties). A singleton: `set` only; these are the
    // defaults a fresh RouterOS 7 shows [I: from the manual's table].
    path: "/ip/dns",
    idSpace: "/ip/dns",
    singleton: true,
    verbs: SINGLETON_VERBS,
    props: [
      { name: "servers", type: { kind: "custom", coerce: ipList() }, default: [] },
      b("allow-remote-requests", { default: false }),
      int("cache-size", 64, 4294967295, { default: 2048 }),
      dur("cache-max-ttl", { default: 604800 }),
      int("max-udp-packet-size", 50, 65507, { default: 4096 }),
      dur("query-server-timeout", { default: 2 }),
      dur("query-total-timeout", { default: 10 }),
      int("max-concurrent-queries", 0, 4294967295, { default: 100 }),
      int("max-concurrent-tcp-sessions", 0, 4294967295, { default: 20 }),
      s("use-doh-server", { default: "" }),
      b("verify-doh-cert", { default: false }),
      ro("dynamic-servers", { default: "" }),
      ro("cache-used", { type: { kind: "int", min: 0, max: 4294967295 }, default: 0 }),
    ],
  },
];

/**
 * Items RouterOS ships in these menus (path → stored props), inserted as built-ins by startingConfig.ts: the
 * services with their default ports (Services manual, "Properties"/service list). Which ship disabled is [I]: all
 * enabled here except `www-ssl`, which has no certificate on a fresh router.
 */
export const SITE_BUILTINS: [string, Record<string, Stored>][] = [
  ["/ip/service", { name: "telnet", port: 23 }],
  ["/ip/service", { name: "ftp", port: 21 }],
  ["/ip/service", { name: "www", port: 80 }],
  ["/ip/service", { name: "ssh", port: 22 }],
  ["/ip/service", { name: "www-ssl", port: 443, disabled: true }],
  ["/ip/service", { name: "api", port: 8728 }],
  ["/ip/service", { name: "winbox", port: 8291 }],
  ["/ip/service", { name: "api-ssl", port: 8729 }],
  // IPv6 Neighbor Discovery manual: the default entry advertises on all interfaces.
  ["/ipv6/nd", { interface: "all" }],
];
