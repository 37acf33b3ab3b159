/**
 * The IPv6 firewall menus `/ipv6/firewall/filter` and `/ipv6/firewall/mangle`: ordered lists (`add place-before=`,
 * `move`, §3.1) with the matchers of their IPv4 twins in menus.ts (§5.6). The reference lists only the IPv4 menus;
 * everything IPv6-specific here is [I]: IPv6-only address matchers, the reject types (ICMPv6 destination
 * unreachable codes: `icmp-no-route`, `icmp-admin-prohibited`, `icmp-not-neighbour`, `icmp-address-unreachable`,
 * `icmp-port-unreachable`, plus `tcp-reset`), and mangle without the IPv4-only `strip-ipv4-options`/`change-ttl`
 * (`change-hop-limit` instead). Standalone (no import from menus.ts, which spreads this array into MENUS).
 */
import type { MenuDef } from "./menus";
import type { PropDef } from "./props";

const s = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "string" }, ...extra });
const b = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "bool" }, ...extra });
const en = (name: string, values: string[], extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: { kind: "enum", values },
  ...extra,
});
const ro = (name: string, type: PropDef["type"] = { kind: "bool" }): PropDef => ({ name, type, readOnly: true });

const VERBS: MenuDef["verbs"] = ["add", "set", "unset", "remove", "get", "find", "print", "enable", "disable", "move"];
const COMMON_ACTIONS = [
  "accept",
  "add-dst-to-address-list",
  "add-src-to-address-list",
  "jump",
  "log",
  "passthrough",
  "return",
];

function props(actions: string[], extra: PropDef[]): PropDef[] {
  return [
    s("chain", { required: true, summary: true }),
    en("action", actions, { default: "accept", summary: true }),
    { name: "src-address", type: { kind: "addrMatch", family: 6 } },
    { name: "dst-address", type: { kind: "addrMatch", family: 6 } },
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
    s("connection-state"),
    ...extra,
    b("log", { default: false }),
    s("log-prefix", { type: { kind: "string", max: 31 }, default: "" }),
    s("comment", { summary: true }),
    b("disabled", { default: false }),
    ro("dynamic"),
    ro("invalid"),
    ro("bytes", { kind: "int", min: 0, max: Number.MAX_SAFE_INTEGER }),
    ro("packets", { kind: "int", min: 0, max: Number.MAX_SAFE_INTEGER }),
  ];
}

export const FIREWALL_MENUS: MenuDef[] = [
  {
    path: "/ipv6/firewall/filter",
    idSpace: "/ipv6/firewall/filter",
    ordered: true,
    verbs: VERBS,
    props: props(
      [...COMMON_ACTIONS, "drop", "fasttrack-connection", "reject", "tarpit"],
      [
        en("reject-with", [
          "icmp-no-route",
          "icmp-admin-prohibited",
          "icmp-not-neighbour",
          "icmp-address-unreachable",
          "icmp-port-unreachable",
          "tcp-reset",
        ]),
      ],
    ),
  },
  {
    path: "/ipv6/firewall/mangle",
    idSpace: "/ipv6/firewall/mangle",
    ordered: true,
    verbs: VERBS,
    props: props(
      [
        ...COMMON_ACTIONS,
        "change-dscp",
        "change-hop-limit",
        "change-mss",
        "drop",
        "mark-connection",
        "mark-packet",
        "mark-routing",
        "sniff-tzsp",
      ],
      [
        s("new-connection-mark"),
        s("new-packet-mark"),
        { name: "new-routing-mark", type: { kind: "ref", menu: "/routing/table" } },
        b("passthrough"),
      ],
    ),
  },
];
