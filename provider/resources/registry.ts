/**
 * The one list of resource kinds (issue 13 item 7). Each kind is declared here once; everything else that
 * enumerates kinds is derived from it:
 * - `npm run kinds` (scripts/gen-kinds.ts) writes the SDK stubs `sdk/stubs/<platform>-<module>.ts`, the dynamic
 *   provider modules `provider/dynamic/<platform>-<module>.ts`, the SDK classes `sdk/<platform>.generated.ts` and
 *   the `observed` output schemas `provider/resources/observed.generated.ts` (tests/unit/sdk/kinds-generated.test.ts
 *   fails when a committed file differs from what it would write);
 * - docs/resources.md (scripts/gen-resources-doc.ts), the importer and `routerstack kinds --json`
 *   (provider/import/kinds.ts) read it.
 * The kind's own data (schema, secrets, docs URL, menus) stays in its module, provider/resources/<platform>/<module>.ts.
 * The stub path `sdk/stubs/<platform>-<module>` is in users' Pulumi state (`__provider`): never rename a module.
 */
import type { UntypedKind } from "./kind";

export interface KindEntry {
  platform: "routeros" | "openwrt";
  /** The SDK class (`routeros.StaticRoute`); also the Pulumi type `<platform>:<className>`, so it never changes. */
  className: string;
  /** The kind module under provider/resources/<platform>/ (without `.ts`); `<platform>-<module>` is the kind name. */
  module: string;
  /** One line for the SDK class doc and docs/resources.md: what the kind manages beyond its menus and docs URL. */
  summary: string;
  /**
   * An SDK function of sdk/<platform>-secrets.ts that makes inputs secret by their value (UciSection's `options`),
   * beyond the kind's `secrets`.
   */
  sdkSecretArgs?: string;
}

export const KINDS: readonly KindEntry[] = [
  {
    platform: "routeros",
    className: "StaticRoute",
    module: "static-route",
    summary: "A route; the menu follows the `dstAddress` family.",
  },
  {
    platform: "routeros",
    className: "BgpInstance",
    module: "bgp-instance",
    summary: "A BGP instance (RouterOS 7.20+).",
  },
  {
    platform: "routeros",
    className: "BgpSession",
    module: "bgp-session",
    summary: "A BGP connection (7.20+: `instance`; 7.16–7.19: optional `routerId`).",
  },
  {
    platform: "routeros",
    className: "NatRule",
    module: "nat-rule",
    summary: "A NAT rule.",
  },
  {
    platform: "routeros",
    className: "RoutingTable",
    module: "routing-table",
    summary: "A routing table, keyed by name; `fib` changes replace.",
  },
  {
    platform: "routeros",
    className: "RoutingRule",
    module: "routing-rule",
    summary: "A policy routing rule, with declared `order` among the stack's rules.",
  },
  {
    platform: "routeros",
    className: "AddressListEntry",
    module: "address-list-entry",
    summary: "A static address-list entry.",
  },
  {
    platform: "routeros",
    className: "Netwatch",
    module: "netwatch",
    summary: "A netwatch probe (durations in seconds, millisecond resolution).",
  },
  {
    platform: "routeros",
    className: "ModemProfile",
    module: "modem-profile",
    summary: "An LTE APN profile.",
  },
  {
    platform: "routeros",
    className: "PppoeClient",
    module: "pppoe-client",
    summary: "A PPPoE client interface.",
  },
  {
    platform: "routeros",
    className: "L2tpClient",
    module: "l2tp-client",
    summary: "An L2TP client interface.",
  },
  {
    platform: "routeros",
    className: "PppProfile",
    module: "ppp-profile",
    summary: "A PPP profile, keyed by name; the built-in `default`/`default-encryption` need adopt.",
  },
  {
    platform: "routeros",
    className: "IpAddress",
    module: "ip-address",
    summary: "An interface address; the menu follows the `address` family.",
  },
  {
    platform: "routeros",
    className: "Vlan",
    module: "vlan",
    summary: "A VLAN interface, keyed by name.",
  },
  {
    platform: "routeros",
    className: "InterfaceListMember",
    module: "interface-list-member",
    summary: "A member of an interface list.",
  },
  {
    platform: "routeros",
    className: "RouterOsItem",
    module: "item",
    summary: "Any menu item with the properties given (`singleton: true` sets a singleton menu).",
  },
  {
    platform: "routeros",
    className: "WireguardInterface",
    module: "wireguard-interface",
    summary: "A WireGuard interface; `observed.publicKey` is its public key.",
  },
  {
    platform: "routeros",
    className: "WireguardPeer",
    module: "wireguard-peer",
    summary: "A WireGuard peer.",
  },
  {
    platform: "routeros",
    className: "Vrf",
    module: "vrf",
    summary: "A VRF (appended; order among VRFs not managed).",
  },
  {
    platform: "routeros",
    className: "BgpTemplate",
    module: "bgp-template",
    summary: "A BGP template (`routerId` only on 7.16–7.19).",
  },
  {
    platform: "routeros",
    className: "RoutingFilterRule",
    module: "routing-filter-rule",
    summary: "A routing filter rule, with declared `order` among the stack's rules of the same chain.",
  },
  {
    platform: "routeros",
    className: "FirewallRule",
    module: "firewall-rule",
    summary: "A filter or mangle rule; the menu follows `table` and the family; with declared `order`.",
  },
  {
    platform: "routeros",
    className: "Script",
    module: "script",
    summary: "A script, keyed by name.",
  },
  {
    platform: "routeros",
    className: "Scheduler",
    module: "scheduler",
    summary: "A scheduler entry, keyed by name; `interval` in seconds.",
  },
  {
    platform: "routeros",
    className: "InterfaceList",
    module: "interface-list",
    summary: "An interface list, keyed by name (not the built-in lists).",
  },
  {
    platform: "routeros",
    className: "Bridge",
    module: "bridge",
    summary: "A bridge, keyed by name.",
  },
  {
    platform: "routeros",
    className: "BridgePort",
    module: "bridge-port",
    summary: "A bridge port; adopt finds an existing port by `interface`.",
  },
  {
    platform: "routeros",
    className: "IpPool",
    module: "ip-pool",
    summary: "An address pool, keyed by name; `ranges` in order.",
  },
  {
    platform: "routeros",
    className: "DhcpClient",
    module: "dhcp-client",
    summary: "A DHCPv4 client; adopt finds an existing client by `interface`.",
  },
  {
    platform: "routeros",
    className: "DhcpServer",
    module: "dhcp-server",
    summary: "A DHCP server, keyed by name; `leaseTime` in seconds.",
  },
  {
    platform: "routeros",
    className: "DhcpServerNetwork",
    module: "dhcp-server-network",
    summary: "A DHCP server network; adopt finds an existing entry by `address`.",
  },
  {
    platform: "routeros",
    className: "Dns",
    module: "dns",
    summary: "The DNS settings, a singleton: set in place; the values before are restored on destroy.",
  },
  {
    platform: "routeros",
    className: "SystemIdentity",
    module: "system-identity",
    summary: "The router's identity, a singleton: set in place; the name before is restored on destroy.",
  },
  {
    platform: "routeros",
    className: "Ethernet",
    module: "ethernet",
    summary:
      "An Ethernet port found by `defaultName`, set in place; its values are restored on destroy, never removed.",
  },
  {
    platform: "routeros",
    className: "RawRule",
    module: "raw-rule",
    summary: "A raw firewall rule; the menu follows the family; with declared `order`.",
  },
  {
    platform: "routeros",
    className: "Service",
    module: "service",
    summary: "An IP service found by `name`, set in place; its values are restored on destroy, never removed.",
  },
  {
    platform: "routeros",
    className: "BridgeVlan",
    module: "bridge-vlan",
    summary: "A bridge VLAN entry; adopt finds an entry by `bridge` and `vlanIds`.",
  },
  {
    platform: "routeros",
    className: "Ipv6DhcpClient",
    module: "ipv6-dhcp-client",
    summary: "A DHCPv6 client; adopt finds a client by `interface`.",
  },
  {
    platform: "routeros",
    className: "Ipv6Nd",
    module: "ipv6-nd",
    summary: "Router advertisements on one interface; adopt finds an entry by `interface`.",
  },
  {
    platform: "openwrt",
    className: "ModemProfile",
    module: "modem-profile",
    summary: "`network.<name>` for a qmi/mbim/ncm modem, plus the cold-boot init script.",
  },
  {
    platform: "openwrt",
    className: "BirdConfig",
    module: "bird-config",
    summary: "The main /etc/bird.conf: router id, device and kernel protocols, include of /etc/bird.d.",
  },
  {
    platform: "openwrt",
    className: "BirdDirect",
    module: "bird-direct",
    summary: "A BIRD2 `protocol direct` in /etc/bird.d.",
  },
  {
    platform: "openwrt",
    className: "BirdStatic",
    module: "bird-static",
    summary: "A BIRD2 `protocol static` in /etc/bird.d.",
  },
  {
    platform: "openwrt",
    className: "BgpSession",
    module: "bgp-session",
    summary: "A BIRD2 `protocol bgp` in /etc/bird.d, with ipv4/ipv6 channels and typed filters.",
  },
  {
    platform: "openwrt",
    className: "StaticRoute",
    module: "static-route",
    summary: "A netifd static route `network.<name>` (type `route` or `route6` from the target's family).",
  },
  {
    platform: "openwrt",
    className: "NatRule",
    module: "nat-rule",
    summary: "An fw4 `redirect` (port forward, DNAT/SNAT) or `nat` (SNAT/MASQUERADE/ACCEPT) section in `firewall`.",
  },
  {
    platform: "openwrt",
    className: "RemoteFile",
    module: "remote-file",
    summary: "A file written atomically with mode and owner; adopted files are restored on destroy.",
  },
  {
    platform: "openwrt",
    className: "Service",
    module: "service",
    summary: "`/etc/init.d/<name>`: enabled at boot, running, reloaded when `reloadOn` changes.",
  },
  {
    platform: "openwrt",
    className: "FirewallZone",
    module: "firewall-zone",
    summary: "An fw4 zone `firewall.<name>` (policies, masq/masq6, networks).",
  },
  {
    platform: "openwrt",
    className: "FirewallForwarding",
    module: "firewall-forwarding",
    summary: "An fw4 `forwarding` from zone `src` to zone `dest`.",
  },
  {
    platform: "openwrt",
    className: "FirewallRule",
    module: "firewall-rule",
    summary: "An fw4 `rule` (match → ACCEPT/REJECT/DROP/MARK/NOTRACK).",
  },
  {
    platform: "openwrt",
    className: "NetworkInterface",
    module: "network-interface",
    summary: "A netifd interface `network.<name>` (static, dhcp, dhcpv6, pppoe, none).",
  },
  {
    platform: "openwrt",
    className: "NetworkDevice",
    module: "network-device",
    summary: "A netifd `device` section (bridge, VLAN, macvlan, or settings of an existing device).",
  },
  {
    platform: "openwrt",
    className: "Mwan3Interface",
    module: "mwan3-interface",
    summary: "mwan3 tracking of one interface `mwan3.<name>` (track_ip, reliability, up/down).",
  },
  {
    platform: "openwrt",
    className: "Mwan3Member",
    module: "mwan3-member",
    summary: "A mwan3 member: interface, metric, weight.",
  },
  {
    platform: "openwrt",
    className: "Mwan3Policy",
    module: "mwan3-policy",
    summary: "A mwan3 policy: `use_member` list and `last_resort`.",
  },
  {
    platform: "openwrt",
    className: "Mwan3Rule",
    module: "mwan3-rule",
    summary: "A mwan3 rule: traffic match, sticky, `use_policy`.",
  },
  {
    platform: "openwrt",
    className: "NetworkRule",
    module: "network-rule",
    summary:
      "A netifd policy-routing rule `network.<name>` (`rule`/`rule6`): match src, dest, mark, in/out → lookup table, action or goto.",
  },
  {
    platform: "openwrt",
    className: "DhcpPool",
    module: "dhcp-pool",
    summary: "The DHCP/RA service of one interface, `dhcp.<name>` of type `dhcp` (dnsmasq pool, odhcpd RA/DHCPv6).",
  },
  {
    platform: "openwrt",
    className: "DhcpHost",
    module: "dhcp-host",
    summary: "A static DHCP lease `dhcp.<name>` of type `host` (mac/duid → ip, host name).",
  },
  {
    platform: "openwrt",
    className: "SystemSettings",
    module: "system-settings",
    summary:
      "The router's one `system` section (hostname, time zone, logging), managed in place and restored on destroy.",
  },
  {
    platform: "openwrt",
    className: "UciSection",
    module: "uci-section",
    summary:
      "A named uci section it owns, options included. Options secret by convention (`key`, `password`, `psk`…) or named in `secretOptions` make `options` a secret.",
    sdkSecretArgs: "uciSectionSecrets",
  },
];

/** The kind name, also the module name under provider/dynamic/ and sdk/stubs/: `routeros-static-route`. */
export function kindName(e: KindEntry): string {
  return `${e.platform}-${e.module}`;
}

/** The kind data of an entry (its module's `kind`). Throws when the module exports none or names another kind. */
export function loadKind(e: KindEntry): UntypedKind {
  // Required on demand: the kind modules pull in their engines, which the SDK and the stubs never load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kind = (require(`./${e.platform}/${e.module}`) as { kind?: UntypedKind }).kind;
  if (!kind || kind.name !== kindName(e) || kind.platform !== e.platform) {
    throw new Error(`provider/resources/${e.platform}/${e.module}: no exported kind named ${kindName(e)}`);
  }
  return kind;
}
