/**
 * Per-menu schemas: types, enums, defaults shown by `print detail`, read-only flags and references that must exist.
 * Which argument names exist per version comes from RouterOS's own catalogue (schema.ts); the types follow
 * routeros-cli.md §5 (RESTRAML 7.24 add args, DEEP enums); version gates of menus the catalogue does not cover
 * follow §7 (7.21 `show-sensitive`).
 */
import { MISC_MENUS } from "./menus-misc";
import type { PropDef, PropType, Stored } from "./props";
import type { Item } from "./state";
import { VPN_MENUS } from "./menus-vpn";
import { FIREWALL_MENUS } from "./menus-firewall";
import { SYSTEM_MENUS } from "./menus-system";
import { SITE_MENUS } from "./menus-site";

export type Verb = "add" | "set" | "unset" | "remove" | "get" | "find" | "print" | "enable" | "disable" | "move";

export const WRITE_VERBS: ReadonlySet<string> = new Set(["add", "set", "unset", "remove", "move", "enable", "disable"]);

/**
 * One emulated menu. Which arguments `add`/`set` accept on a version is not decided here but by RouterOS's catalogue
 * (schema.ts): a new menu needs only `path` spelled as its catalogue key (provider/routeros/catalogue.generated.ts;
 * a menu missing there is added to scripts/gen-routeros-catalogue.ts's list and regenerated), and then gets every
 * catalogue argument, typed from the catalogue's `desc` or stored as written. `props` add what the catalogue does
 * not say: types and validation, references that must exist, `required`, defaults shown by print, read-only and
 * computed properties. A writable PropDef the catalogue lacks on a version is absent there, so `since`/`until`
 * are needed only on menus the catalogue does not cover or to choose between two typings of one name.
 * tests/lab/routeros/catalogue-conformance.test.ts walks every menu of MENUS × every catalogue version.
 */
export interface MenuDef {
  /** Slash path, e.g. `/interface/bridge/port`: the catalogue key. */
  path: string;
  singleton?: boolean;
  props: PropDef[];
  verbs: Verb[];
  /** Ordered list: `add place-before=`, `move` (§5.6). */
  ordered?: boolean;
  /** Items of menus sharing an id space draw from one counter (interfaces; IPv4/IPv6 routes [I]). */
  idSpace: string;
  /** Items can be addressed by `name` instead of id. */
  named?: boolean;
  /** A read-only union of other menus (`/interface`). */
  viewOf?: string[];
  /** First version with the menu. */
  since?: string;
  /** Interface `type` of the menu's items when shown in `/interface`. */
  interfaceType?: string;
  /** Not configuration (excluded from dump()). */
  volatile?: boolean;
  /** Read-only values computed from the item (wireguard `public-key`). */
  compute?: (item: Item) => Record<string, Stored>;
  /** Properties no two items may share, and RouterOS's refusal (bridge port `interface`). */
  uniqueBy?: { props: string[]; error: string };
}

const s = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "string" }, ...extra });
const b = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "bool" }, ...extra });
const ro = (name: string, type: PropType = { kind: "bool" }, extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type,
  readOnly: true,
  ...extra,
});
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

const comment = s("comment", { summary: true });
const disabled = b("disabled", { default: false });
const LIST_VERBS: Verb[] = ["add", "set", "unset", "remove", "get", "find", "print", "enable", "disable"];

/** §5.1 */
function routeMenu(path: string, family: 4 | 6): MenuDef {
  return {
    path,
    idSpace: "route",
    verbs: LIST_VERBS,
    props: [
      {
        name: "dst-address",
        type: { kind: "dst", family },
        default: family === 4 ? "0.0.0.0/0" : "::/0",
        summary: true,
      },
      { name: "gateway", type: { kind: "gateway", family }, summary: true },
      int("distance", 1, 255, { default: 1, summary: true }),
      int("scope", 0, 255, { default: 30 }),
      int("target-scope", 0, 255, { default: 10 }),
      en("check-gateway", ["arp", "bfd", "bfd-multihop", "none", "ping"]),
      { name: "routing-table", type: { kind: "ref", menu: "/routing/table" }, default: "main", summary: true },
      iface("vrf-interface"),
      // `/ipv6/route pref-src` exists from 7.20 (RouterOS's catalogue; schema.ts gates it).
      { name: "pref-src", type: { kind: "ip", family } },
      { name: "blackhole", type: { kind: "flag" }, default: false },
      comment,
      disabled,
      ro("active"),
      ro("dynamic"),
      ro("static"),
      ro("inactive"),
      ro("connect"),
      ro("ecmp"),
      ro("hw-offloaded"),
      ro("immediate-gw", { kind: "string" }),
      ro("local-address", { kind: "string" }),
    ],
  };
}

/** §5.6: the matchers shared by nat, filter and mangle. */
// `connection-state` and `connection-nat-state` are not NAT arguments on any catalogued version (RouterOS's own
// /console/inspect, provider/routeros/catalogue.generated.ts): NAT sees only a connection's first packet.
const CONNECTION_STATE = [s("connection-state"), s("connection-nat-state")];

function firewallProps(actions: string[], extra: PropDef[]): PropDef[] {
  return [
    s("chain", { required: true, summary: true }),
    en("action", actions, { default: "accept", summary: true }),
    // The IPv4 menus take IPv4 matchers only (the IPv6 twins are in menus-firewall.ts) [I: error wording].
    { name: "src-address", type: { kind: "addrMatch", family: 4 } },
    { name: "dst-address", type: { kind: "addrMatch", family: 4 } },
    s("src-address-list"),
    s("dst-address-list"),
    { name: "protocol", type: { kind: "protocol" } },
    { name: "src-port", type: { kind: "ports" } },
    { name: "dst-port", type: { kind: "ports" } },
    { name: "port", type: { kind: "ports" } },
    { name: "in-interface", type: { kind: "interface", negatable: true } },
    { name: "out-interface", type: { kind: "interface", negatable: true } },
    s("in-interface-list"),
    s("out-interface-list"),
    s("connection-mark"),
    s("routing-mark"),
    s("packet-mark"),
    s("ipsec-policy"),
    ...extra,
    b("log", { default: false }),
    s("log-prefix", { type: { kind: "string", max: 31 }, default: "" }),
    comment,
    disabled,
    ro("dynamic"),
    ro("invalid"),
    // Counters are volatile: shown by print, never part of dump() [I: always 0 here, the lab forwards nothing].
    ro("bytes", { kind: "int", min: 0, max: Number.MAX_SAFE_INTEGER }),
    ro("packets", { kind: "int", min: 0, max: Number.MAX_SAFE_INTEGER }),
  ];
}

const COMMON_ACTIONS = [
  "accept",
  "add-dst-to-address-list",
  "add-src-to-address-list",
  "jump",
  "log",
  "passthrough",
  "return",
];

const BGP_ROLES = [
  "ebgp",
  "ebgp-customer",
  "ebgp-peer",
  "ebgp-provider",
  "ebgp-rs",
  "ebgp-rs-client",
  "ibgp",
  "ibgp-rr",
];
const REDISTRIBUTE = [
  "connected",
  "static",
  "rip",
  "ospf",
  "isis",
  "bgp",
  "vpn",
  "dhcp",
  "fantasy",
  "modem",
  "bgp-mpls-vpn",
  "slaac",
];
const AFI = ["ip", "ipv6", "l2vpn", "l2vpn-cisco", "vpnv4", "vpnv6", "evpn"];

/** §5.4: properties shared by BGP connection and template. */
function bgpCommon(): PropDef[] {
  return [
    int("as", 0, 4294967295),
    { name: "hold-time", type: { kind: "duration", min: 3, max: 3600, infinity: true } },
    { name: "keepalive-time", type: { kind: "duration", min: 1, max: 3600 } },
    en("nexthop-choice", ["default", "force-self", "propagate"]),
    b("multihop"),
    b("use-bfd"),
    // `afi` from 7.19; 7.16 calls it `address-families` (RouterOS's catalogue; schema.ts gates both).
    { name: "afi", type: { kind: "enumList", values: AFI } },
    s("input.filter"),
    s("output.filter-chain"),
    { name: "output.redistribute", type: { kind: "enumList", values: REDISTRIBUTE } },
    en("output.default-originate", ["always", "if-installed", "never"]),
    // §5.4: an address-list name; RouterOS does not require the list to exist [I].
    s("output.network"),
    { name: "routing-table", type: { kind: "ref", menu: "/routing/table" } },
    { name: "vrf", type: { kind: "ref", menu: "/ip/vrf", builtins: ["main"] } },
    { name: "router-id", type: { kind: "routerId" }, until: "7.20" },
    { name: "cluster-id", type: { kind: "ip", family: 4 }, until: "7.20" },
    comment,
    disabled,
  ];
}

export const MENUS: MenuDef[] = [
  {
    path: "/interface/ethernet",
    idSpace: "interface",
    named: true,
    interfaceType: "ether",
    // `unset` is in RouterOS's own /console/inspect of every crawled version (provider/routeros/catalogue.ts).
    verbs: ["set", "unset", "get", "find", "print", "enable", "disable"],
    props: [
      s("name", { required: true, summary: true }),
      int("mtu", 68, 9000, { default: 1500 }),
      // Ethernet manual, property table [I: defaults]; the port's own MAC is a fixed value (startingConfig.ts).
      en("arp", ["disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only"], { default: "enabled" }),
      s("mac-address"),
      ro("orig-mac-address", { kind: "string" }),
      comment,
      disabled,
      ro("default-name", { kind: "string" }),
      ro("running"),
    ],
  },
  {
    path: "/interface/bridge",
    idSpace: "interface",
    named: true,
    interfaceType: "bridge",
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      int("mtu", 68, 9000, { default: 1500 }),
      en("protocol-mode", ["none", "rstp", "stp", "mstp"], { default: "rstp" }),
      b("vlan-filtering", { default: false }),
      // Bridging and Switching manual, bridge settings [I: defaults from its table].
      int("pvid", 1, 4094, { default: 1 }),
      en("frame-types", ["admit-all", "admit-only-untagged-and-priority-tagged", "admit-only-vlan-tagged"], {
        default: "admit-all",
      }),
      b("ingress-filtering", { default: true }),
      b("igmp-snooping", { default: false }),
      b("auto-mac", { default: true }),
      s("admin-mac"),
      comment,
      disabled,
      ro("running"),
    ],
  },
  {
    path: "/interface/vlan",
    idSpace: "interface",
    named: true,
    interfaceType: "vlan",
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      int("vlan-id", 1, 4095, { required: true, summary: true }),
      iface("interface", { required: true, summary: true }),
      int("mtu", 68, 9000, { default: 1500 }),
      // RouterOS's own /console/inspect (catalogue.generated.ts) lists `arp` for add/set on every version [S].
      en("arp", ["disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only"], { default: "enabled" }),
      comment,
      disabled,
      ro("running"),
    ],
  },
  {
    path: "/interface/pppoe-client",
    idSpace: "interface",
    named: true,
    interfaceType: "pppoe-out",
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      iface("interface", { required: true, summary: true }),
      s("user", { default: "" }),
      s("password", { sensitive: true }),
      s("service-name", { default: "" }),
      s("ac-name", { default: "" }),
      s("profile", { default: "default" }),
      b("add-default-route", { default: false }),
      int("default-route-distance", 0, 255, { default: 1 }),
      en("use-peer-dns", ["no", "yes", "exclusively"], { default: "no" }),
      b("dial-on-demand", { default: false }),
      int("keepalive-timeout", 0, 4294967295, { default: 10 }),
      s("max-mtu", { default: "auto" }),
      s("max-mru", { default: "auto" }),
      { name: "allow", type: { kind: "enumList", values: ["pap", "chap", "mschap1", "mschap2"] } },
      s("host-uniq"),
      comment,
      disabled,
      ro("running"),
    ],
  },
  {
    // §5.9. Defaults the reference does not state follow RouterOS's docs [I].
    path: "/interface/l2tp-client",
    idSpace: "interface",
    named: true,
    interfaceType: "l2tp-out",
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      // Required [I]: the reference lists `connect-to (IP[@vrf])` without saying; a client without a server is useless.
      { name: "connect-to", type: { kind: "ip" }, required: true, summary: true },
      s("user", { default: "" }),
      s("password", { sensitive: true }),
      s("profile", { default: "default-encryption" }),
      b("add-default-route", { default: false }),
      int("default-route-distance", 0, 255, { default: 1 }),
      en("use-peer-dns", ["no", "yes", "exclusively"], { default: "no" }),
      en("use-ipsec", ["no", "yes", "required"], { default: "no" }),
      s("ipsec-secret", { sensitive: true }),
      { name: "allow", type: { kind: "enumList", values: ["pap", "chap", "mschap1", "mschap2"] } },
      int("keepalive-timeout", 0, 4294967295, { default: 60 }),
      b("dial-on-demand", { default: false }),
      s("max-mtu", { default: "1450" }),
      s("max-mru", { default: "1450" }),
      { name: "src-address", type: { kind: "ip" } },
      comment,
      disabled,
      ro("running"),
    ],
  },
  {
    // §5.7: no `unset`, no `disable`/`enable`, no `disabled` [S]. The built-in `default` profile is flagged `*`.
    path: "/interface/lte/apn",
    idSpace: "/interface/lte/apn",
    named: true,
    verbs: ["add", "set", "remove", "get", "find", "print"],
    props: [
      s("name", { required: true, summary: true }),
      s("apn", { summary: true }),
      en("authentication", ["none", "pap", "chap"], { default: "none" }),
      s("user"),
      s("password", { sensitive: true }),
      // §5.7: the docs list ipv4|ipv4-ipv6|ipv6; the 7.21 completion shows auto|ipv4|ipv6 [S DEEP]. Which
      // version switched is [I]; the lab switches at 7.21, where the completion was captured.
      en("ip-type", ["ipv4", "ipv4-ipv6", "ipv6"], { until: "7.21" }),
      en("ip-type", ["auto", "ipv4", "ipv6"], { since: "7.21" }),
      b("use-peer-dns", { default: true }),
      b("use-network-apn", { default: true }),
      // Default [I]: not in the reference; the captured built-in profile shows add-default-route=yes [V NTC].
      b("add-default-route", { default: true }),
      int("default-route-distance", 0, 255, { default: 2 }),
      iface("ipv6-interface"),
      comment,
      ro("default"),
    ],
  },
  {
    path: "/interface",
    idSpace: "interface",
    named: true,
    viewOf: [
      "/interface/ethernet",
      "/interface/bridge",
      "/interface/vlan",
      "/interface/pppoe-client",
      "/interface/l2tp-client",
      "/interface/wireguard",
    ],
    verbs: ["set", "get", "find", "print", "enable", "disable"],
    props: [
      s("name", { required: true, summary: true }),
      comment,
      disabled,
      ro("type", { kind: "string" }, { summary: true }),
      ro("running"),
      ro("dynamic"),
      ro("slave"),
    ],
  },
  {
    path: "/ip/address",
    idSpace: "/ip/address",
    verbs: LIST_VERBS,
    props: [
      { name: "address", type: { kind: "ifaddr", family: 4 }, required: true, summary: true },
      { name: "network", type: { kind: "ip", family: 4 }, summary: true },
      iface("interface", { required: true, summary: true }),
      comment,
      disabled,
      ro("actual-interface", { kind: "string" }),
      ro("dynamic"),
      ro("invalid"),
    ],
  },
  {
    path: "/ipv6/address",
    idSpace: "/ipv6/address",
    verbs: LIST_VERBS,
    props: [
      { name: "address", type: { kind: "ifaddr", family: 6 }, required: true, summary: true },
      iface("interface", { required: true, summary: true }),
      b("advertise", { default: true }),
      b("eui-64", { default: false }),
      b("no-dad", { default: false }),
      comment,
      disabled,
      ro("actual-interface", { kind: "string" }),
      ro("dynamic"),
      ro("invalid"),
      ro("link-local"),
    ],
  },
  routeMenu("/ip/route", 4),
  routeMenu("/ipv6/route", 6),
  {
    path: "/routing/table",
    idSpace: "/routing/table",
    named: true,
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      { name: "fib", type: { kind: "flag" }, default: false, summary: true },
      comment,
      disabled,
      ro("dynamic"),
      ro("invalid"),
    ],
  },
  {
    // §5.3. Ordered: the 7.16–7.23 inspect schemas list `place-before` on add and `move`. The 7.23 schema also lists
    // `chain`, `realm`, `vrf` on add (§5.3 says 7.24); the lab does not offer them yet.
    path: "/routing/rule",
    idSpace: "/routing/rule",
    ordered: true,
    verbs: [...LIST_VERBS, "move"],
    props: [
      { name: "src-address", type: { kind: "dst" }, summary: true },
      { name: "dst-address", type: { kind: "dst" }, summary: true },
      // v7 routing marks are routing tables (§5.6 mangle `new-routing-mark=<existing routing table>`) [I for rules].
      { name: "routing-mark", type: { kind: "ref", menu: "/routing/table" } },
      iface("interface"),
      // Default [I]: not in the reference.
      en("action", ["drop", "lookup", "lookup-only-in-table", "unreachable"], { default: "lookup", summary: true }),
      { name: "table", type: { kind: "ref", menu: "/routing/table" }, summary: true },
      int("min-prefix", 0, 128),
      comment,
      disabled,
      ro("invalid"),
    ],
  },
  {
    path: "/ip/vrf",
    idSpace: "/ip/vrf",
    named: true,
    ordered: true,
    verbs: [...LIST_VERBS, "move"],
    props: [
      s("name", { required: true, summary: true }),
      s("interfaces", { required: true, summary: true }),
      comment,
      disabled,
    ],
  },
  {
    path: "/routing/bgp/instance",
    idSpace: "/routing/bgp/instance",
    since: "7.20",
    named: true,
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      int("as", 0, 4294967295, { summary: true }),
      { name: "router-id", type: { kind: "routerId" }, default: "main" },
      { name: "vrf", type: { kind: "ref", menu: "/ip/vrf", builtins: ["main"] } },
      { name: "routing-table", type: { kind: "ref", menu: "/routing/table" } },
      { name: "cluster-id", type: { kind: "ip", family: 4 } },
      b("ignore-as-path-len"),
      comment,
      disabled,
    ],
  },
  {
    path: "/routing/bgp/template",
    idSpace: "/routing/bgp/template",
    named: true,
    verbs: LIST_VERBS,
    props: [s("name", { required: true, summary: true }), ...bgpCommon()],
  },
  {
    path: "/routing/bgp/connection",
    idSpace: "/routing/bgp/connection",
    named: true,
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      {
        name: "instance",
        type: { kind: "ref", menu: "/routing/bgp/instance" },
        required: true,
        since: "7.20",
        summary: true,
      },
      { name: "remote.address", type: { kind: "addrMatch" }, summary: true },
      int("remote.as", 0, 4294967295, { summary: true }),
      int("remote.port", 1, 65535),
      int("remote.ttl", 1, 255),
      { name: "local.address", type: { kind: "ip" } },
      int("local.port", 1, 65535),
      int("local.ttl", 1, 255),
      en("local.role", BGP_ROLES, { summary: true }),
      { name: "templates", type: { kind: "refList", menu: "/routing/bgp/template" }, default: ["default"] },
      b("connect"),
      b("listen"),
      s("tcp-md5-key", { type: { kind: "string", max: 80 }, sensitive: true }),
      ...bgpCommon(),
    ],
  },
  {
    path: "/ip/firewall/nat",
    idSpace: "/ip/firewall/nat",
    ordered: true,
    verbs: [...LIST_VERBS, "move"],
    props: firewallProps(
      [...COMMON_ACTIONS, "dst-nat", "endpoint-independent-nat", "masquerade", "netmap", "redirect", "same", "src-nat"],
      [s("to-addresses"), { name: "to-ports", type: { kind: "ports" } }],
    ),
  },
  {
    path: "/ip/firewall/filter",
    idSpace: "/ip/firewall/filter",
    ordered: true,
    verbs: [...LIST_VERBS, "move"],
    props: firewallProps(
      [...COMMON_ACTIONS, "drop", "fasttrack-connection", "reject", "tarpit"],
      [
        ...CONNECTION_STATE,
        en("reject-with", [
          "icmp-admin-prohibited",
          "icmp-host-prohibited",
          "icmp-host-unreachable",
          "icmp-net-prohibited",
          "icmp-network-unreachable",
          "icmp-port-unreachable",
          "icmp-protocol-unreachable",
          "tcp-reset",
        ]),
      ],
    ),
  },
  {
    path: "/ip/firewall/mangle",
    idSpace: "/ip/firewall/mangle",
    ordered: true,
    verbs: [...LIST_VERBS, "move"],
    props: firewallProps(
      [
        ...COMMON_ACTIONS,
        "change-dscp",
        "change-mss",
        "change-ttl",
        "drop",
        "mark-connection",
        "mark-packet",
        "mark-routing",
        "route",
        "sniff-tzsp",
        "strip-ipv4-options",
      ],
      [
        ...CONNECTION_STATE,
        s("new-connection-mark"),
        s("new-packet-mark"),
        // v7 requires the routing table to exist (§5.6, DOC-MANGLE).
        { name: "new-routing-mark", type: { kind: "ref", menu: "/routing/table" } },
        b("passthrough"),
      ],
    ),
  },
  {
    path: "/ip/firewall/address-list",
    idSpace: "/ip/firewall/address-list",
    // §3.1: no `unset` on address-list.
    verbs: ["add", "set", "remove", "get", "find", "print", "enable", "disable"],
    props: [
      s("list", { required: true, summary: true }),
      s("address", { required: true, summary: true }),
      { name: "timeout", type: { kind: "duration" } },
      comment,
      disabled,
      ro("dynamic"),
    ],
  },
  {
    // §5.8 (DOC-NETWATCH, DEEP). Durations are stored in seconds, sub-second allowed (`thr-avg` 100ms).
    path: "/tool/netwatch",
    idSpace: "/tool/netwatch",
    named: true,
    verbs: LIST_VERBS,
    props: [
      // Required [I]: a check without a host is meaningless; the reference does not say.
      s("host", { required: true, summary: true }),
      en("type", ["icmp", "tcp-conn", "http-get", "https-get", "dns", "simple"], { default: "simple", summary: true }),
      { name: "interval", type: { kind: "duration" }, default: 10 },
      { name: "timeout", type: { kind: "duration" }, default: 3 },
      { name: "start-delay", type: { kind: "duration" }, default: 3 },
      { name: "startup-delay", type: { kind: "duration" }, default: 300 },
      s("up-script", { default: "" }),
      s("down-script", { default: "" }),
      s("test-script", { default: "" }),
      { name: "src-address", type: { kind: "ip" } },
      int("packet-count", 1, 10000, { default: 10 }),
      { name: "packet-interval", type: { kind: "duration" }, default: 0.05 },
      int("packet-size", 28, 65535),
      { name: "thr-loss-percent", type: { kind: "percent" }, default: 85 },
      int("thr-loss-count", 0, 4294967295),
      { name: "thr-avg", type: { kind: "duration" }, default: 0.1 },
      { name: "thr-max", type: { kind: "duration" }, default: 1 },
      { name: "thr-stdev", type: { kind: "duration" }, default: 0.25 },
      { name: "thr-jitter", type: { kind: "duration" }, default: 1 },
      int("ttl", 1, 255, { default: 255 }),
      int("port", 1, 65535, { default: 80 }),
      s("name"),
      comment,
      disabled,
      ro("status", { kind: "string" }, { summary: true }),
    ],
  },
  ...FIREWALL_MENUS,
  {
    path: "/system/note",
    idSpace: "/system/note",
    singleton: true,
    verbs: ["set", "get", "print"],
    props: [s("note", { default: "" }), b("show-at-login", { default: true })],
  },
  {
    path: "/system/identity",
    idSpace: "/system/identity",
    singleton: true,
    verbs: ["set", "get", "print"],
    props: [s("name", { default: "MikroTik" })],
  },
  {
    // The device clock: what an explicit scheduler start is computed from. Read-only here (the lab's clock is UTC).
    path: "/system/clock",
    idSpace: "/system/clock",
    singleton: true,
    volatile: true,
    verbs: ["get", "print"],
    props: ["date", "time", "time-zone-name", "gmt-offset"].map((n) => ro(n, { kind: "string" })),
  },
  {
    path: "/system/resource",
    idSpace: "/system/resource",
    singleton: true,
    volatile: true,
    verbs: ["get", "print"],
    props: [
      "uptime",
      "version",
      "build-time",
      "factory-software",
      "free-memory",
      "total-memory",
      "cpu",
      "cpu-count",
      "cpu-frequency",
      "cpu-load",
      "free-hdd-space",
      "total-hdd-space",
      "architecture-name",
      "board-name",
      "platform",
    ].map((n) => ro(n, n === "uptime" ? { kind: "duration" } : { kind: "string" })),
  },
  ...MISC_MENUS,
  ...VPN_MENUS,
  ...SYSTEM_MENUS,
  ...SITE_MENUS,
];

export function menuByPath(path: string): MenuDef | undefined {
  return MENUS.find((m) => m.path === path);
}
