/**
 * OpenWrt resources: uci sections (package/section/option/list verbatim) and BIRD2 configuration files; each input
 * is documented in provider/resources/openwrt/.
 */
import type { z } from "zod";
import type * as uciSection from "../provider/resources/openwrt/uci-section";
import type * as modemProfile from "../provider/resources/openwrt/modem-profile";
import type * as birdConfig from "../provider/resources/openwrt/bird-config";
import type * as birdDirect from "../provider/resources/openwrt/bird-direct";
import type * as birdStatic from "../provider/resources/openwrt/bird-static";
import type * as bgpSession from "../provider/resources/openwrt/bgp-session";
import type * as staticRoute from "../provider/resources/openwrt/static-route";
import type * as natRule from "../provider/resources/openwrt/nat-rule";
import type * as remoteFile from "../provider/resources/openwrt/remote-file";
import type * as service from "../provider/resources/openwrt/service";
import type * as firewallZone from "../provider/resources/openwrt/firewall-zone";
import type * as firewallForwarding from "../provider/resources/openwrt/firewall-forwarding";
import type * as firewallRule from "../provider/resources/openwrt/firewall-rule";
import type * as networkInterface from "../provider/resources/openwrt/network-interface";
import type * as networkDevice from "../provider/resources/openwrt/network-device";
import type * as mwan3Interface from "../provider/resources/openwrt/mwan3-interface";
import type * as mwan3Member from "../provider/resources/openwrt/mwan3-member";
import type * as mwan3Policy from "../provider/resources/openwrt/mwan3-policy";
import type * as mwan3Rule from "../provider/resources/openwrt/mwan3-rule";
import type * as networkRule from "../provider/resources/openwrt/network-rule";
import type * as dhcpPool from "../provider/resources/openwrt/dhcp-pool";
import type * as dhcpHost from "../provider/resources/openwrt/dhcp-host";
import type * as systemSettings from "../provider/resources/openwrt/system-settings";
import * as pulumi from "@pulumi/pulumi";
import { isConventionalSecretOption } from "../provider/resources/secret-names";
import { kindClass, type CommonArgs, type Inputs } from "./resource";
import uciSectionProvider = require("./stubs/openwrt-uci-section");
import modemProfileProvider = require("./stubs/openwrt-modem-profile");
import birdConfigProvider = require("./stubs/openwrt-bird-config");
import birdDirectProvider = require("./stubs/openwrt-bird-direct");
import birdStaticProvider = require("./stubs/openwrt-bird-static");
import bgpSessionProvider = require("./stubs/openwrt-bgp-session");
import staticRouteProvider = require("./stubs/openwrt-static-route");
import natRuleProvider = require("./stubs/openwrt-nat-rule");
import remoteFileProvider = require("./stubs/openwrt-remote-file");
import serviceProvider = require("./stubs/openwrt-service");
import firewallZoneProvider = require("./stubs/openwrt-firewall-zone");
import firewallForwardingProvider = require("./stubs/openwrt-firewall-forwarding");
import firewallRuleProvider = require("./stubs/openwrt-firewall-rule");
import networkInterfaceProvider = require("./stubs/openwrt-network-interface");
import networkDeviceProvider = require("./stubs/openwrt-network-device");
import mwan3InterfaceProvider = require("./stubs/openwrt-mwan3-interface");
import mwan3MemberProvider = require("./stubs/openwrt-mwan3-member");
import mwan3PolicyProvider = require("./stubs/openwrt-mwan3-policy");
import mwan3RuleProvider = require("./stubs/openwrt-mwan3-rule");
import networkRuleProvider = require("./stubs/openwrt-network-rule");
import dhcpPoolProvider = require("./stubs/openwrt-dhcp-pool");
import dhcpHostProvider = require("./stubs/openwrt-dhcp-host");
import systemSettingsProvider = require("./stubs/openwrt-system-settings");

export type UciSectionArgs = CommonArgs & Inputs<z.input<typeof uciSection.schema>>;

/**
 * A UciSection's args with `options` made a Pulumi secret when one of its options is secret (by convention,
 * provider/resources/secret-names.ts, or named in `secretOptions`): uci options are one input, so the whole map
 * is encrypted in state rather than a wifi `key` kept in plain text.
 */
export function uciSectionSecrets(args: UciSectionArgs): UciSectionArgs {
  if (args.options === undefined) return args;
  const options = pulumi.all([args.options, args.secretOptions ?? []]).apply(([o, extra]) => {
    const names = Object.keys(o ?? {});
    return names.some((n) => isConventionalSecretOption(n) || (extra as string[]).includes(n))
      ? pulumi.secret(o)
      : pulumi.output(o);
  });
  return { ...args, options: options as UciSectionArgs["options"] };
}

/**
 * A named uci section it owns, options included. Options secret by convention (`key`, `password`, `psk`…) or
 * named in `secretOptions` make `options` a secret. https://openwrt.org/docs/guide-user/base-system/uci
 */
export const UciSection = kindClass<UciSectionArgs>(uciSectionProvider, "openwrt:UciSection", [], uciSectionSecrets);
export type UciSection = InstanceType<typeof UciSection>;

export type ModemProfileArgs = CommonArgs & Inputs<z.input<typeof modemProfile.schema>>;
/** `network.<name>` for a qmi/mbim/ncm modem, plus the cold-boot init script. `password` and `pincode` are secrets. */
export const ModemProfile = kindClass<ModemProfileArgs>(modemProfileProvider, "openwrt:ModemProfile", [
  "password",
  "pincode",
]);
export type ModemProfile = InstanceType<typeof ModemProfile>;

export type BirdConfigArgs = CommonArgs & Inputs<z.input<typeof birdConfig.schema>>;
/** The main /etc/bird.conf: router id, device and kernel protocols, include of /etc/bird.d. https://bird.network.cz/?get_doc&v=20 */
export const BirdConfig = kindClass<BirdConfigArgs>(birdConfigProvider, "openwrt:BirdConfig");
export type BirdConfig = InstanceType<typeof BirdConfig>;

export type BirdDirectArgs = CommonArgs & Inputs<z.input<typeof birdDirect.schema>>;
/** A BIRD2 `protocol direct` in /etc/bird.d. */
export const BirdDirect = kindClass<BirdDirectArgs>(birdDirectProvider, "openwrt:BirdDirect");
export type BirdDirect = InstanceType<typeof BirdDirect>;

export type BirdStaticArgs = CommonArgs & Inputs<z.input<typeof birdStatic.schema>>;
/** A BIRD2 `protocol static` in /etc/bird.d. */
export const BirdStatic = kindClass<BirdStaticArgs>(birdStaticProvider, "openwrt:BirdStatic");
export type BirdStatic = InstanceType<typeof BirdStatic>;

export type BgpSessionArgs = CommonArgs & Inputs<z.input<typeof bgpSession.schema>>;
/** A BIRD2 `protocol bgp` in /etc/bird.d, with ipv4/ipv6 channels and typed filters. */
export const BgpSession = kindClass<BgpSessionArgs>(bgpSessionProvider, "openwrt:BgpSession");
export type BgpSession = InstanceType<typeof BgpSession>;

export type StaticRouteArgs = CommonArgs & Inputs<z.input<typeof staticRoute.schema>>;
/** A netifd static route `network.<name>` (type `route` or `route6` from the target's family). https://openwrt.org/docs/guide-user/network/routing/routes_configuration */
export const StaticRoute = kindClass<StaticRouteArgs>(staticRouteProvider, "openwrt:StaticRoute");
export type StaticRoute = InstanceType<typeof StaticRoute>;

export type NatRuleArgs = CommonArgs & Inputs<z.input<typeof natRule.schema>>;
/** An fw4 `redirect` (port forward, DNAT/SNAT) or `nat` (SNAT/MASQUERADE/ACCEPT) section in `firewall`. https://openwrt.org/docs/guide-user/firewall/firewall_configuration */
export const NatRule = kindClass<NatRuleArgs>(natRuleProvider, "openwrt:NatRule");
export type NatRule = InstanceType<typeof NatRule>;

export type RemoteFileArgs = CommonArgs & Inputs<z.input<typeof remoteFile.schema>>;
/** A file written atomically with mode and owner; `content` is a secret; adopted files are restored on destroy. https://openwrt.org/docs/guide-user/base-system/start */
export const RemoteFile = kindClass<RemoteFileArgs>(remoteFileProvider, "openwrt:RemoteFile", ["content"]);
export type RemoteFile = InstanceType<typeof RemoteFile>;

export type ServiceArgs = CommonArgs & Inputs<z.input<typeof service.schema>>;
/** `/etc/init.d/<name>`: enabled at boot, running, reloaded when `reloadOn` changes. https://openwrt.org/docs/guide-user/base-system/managing_services */
export const Service = kindClass<ServiceArgs>(serviceProvider, "openwrt:Service");
export type Service = InstanceType<typeof Service>;

export type FirewallZoneArgs = CommonArgs & Inputs<z.input<typeof firewallZone.schema>>;
/** An fw4 zone `firewall.<name>` (policies, masq/masq6, networks). https://openwrt.org/docs/guide-user/firewall/firewall_configuration */
export const FirewallZone = kindClass<FirewallZoneArgs>(firewallZoneProvider, "openwrt:FirewallZone");
export type FirewallZone = InstanceType<typeof FirewallZone>;

export type FirewallForwardingArgs = CommonArgs & Inputs<z.input<typeof firewallForwarding.schema>>;
/** An fw4 `forwarding` from zone `src` to zone `dest`. https://openwrt.org/docs/guide-user/firewall/firewall_configuration */
export const FirewallForwarding = kindClass<FirewallForwardingArgs>(
  firewallForwardingProvider,
  "openwrt:FirewallForwarding",
);
export type FirewallForwarding = InstanceType<typeof FirewallForwarding>;

export type FirewallRuleArgs = CommonArgs & Inputs<z.input<typeof firewallRule.schema>>;
/** An fw4 `rule` (match → ACCEPT/REJECT/DROP/MARK/NOTRACK). https://openwrt.org/docs/guide-user/firewall/firewall_configuration */
export const FirewallRule = kindClass<FirewallRuleArgs>(firewallRuleProvider, "openwrt:FirewallRule");
export type FirewallRule = InstanceType<typeof FirewallRule>;

export type NetworkInterfaceArgs = CommonArgs & Inputs<z.input<typeof networkInterface.schema>>;
/** A netifd interface `network.<name>` (static, dhcp, dhcpv6, pppoe, none). `password` is a secret. https://openwrt.org/docs/guide-user/network/network_configuration */
export const NetworkInterface = kindClass<NetworkInterfaceArgs>(networkInterfaceProvider, "openwrt:NetworkInterface", [
  "password",
]);
export type NetworkInterface = InstanceType<typeof NetworkInterface>;

export type NetworkDeviceArgs = CommonArgs & Inputs<z.input<typeof networkDevice.schema>>;
/** A netifd `device` section (bridge, VLAN, macvlan, or settings of an existing device). https://openwrt.org/docs/guide-user/network/network_configuration */
export const NetworkDevice = kindClass<NetworkDeviceArgs>(networkDeviceProvider, "openwrt:NetworkDevice");
export type NetworkDevice = InstanceType<typeof NetworkDevice>;

export type Mwan3InterfaceArgs = CommonArgs & Inputs<z.input<typeof mwan3Interface.schema>>;
/** mwan3 tracking of one interface `mwan3.<name>` (track_ip, reliability, up/down). https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3 */
export const Mwan3Interface = kindClass<Mwan3InterfaceArgs>(mwan3InterfaceProvider, "openwrt:Mwan3Interface");
export type Mwan3Interface = InstanceType<typeof Mwan3Interface>;

export type Mwan3MemberArgs = CommonArgs & Inputs<z.input<typeof mwan3Member.schema>>;
/** A mwan3 member: interface, metric, weight. https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3 */
export const Mwan3Member = kindClass<Mwan3MemberArgs>(mwan3MemberProvider, "openwrt:Mwan3Member");
export type Mwan3Member = InstanceType<typeof Mwan3Member>;

export type Mwan3PolicyArgs = CommonArgs & Inputs<z.input<typeof mwan3Policy.schema>>;
/** A mwan3 policy: `use_member` list and `last_resort`. https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3 */
export const Mwan3Policy = kindClass<Mwan3PolicyArgs>(mwan3PolicyProvider, "openwrt:Mwan3Policy");
export type Mwan3Policy = InstanceType<typeof Mwan3Policy>;

export type Mwan3RuleArgs = CommonArgs & Inputs<z.input<typeof mwan3Rule.schema>>;
/** A mwan3 rule: traffic match, sticky, `use_policy`. https://openwrt.org/docs/guide-user/network/wan/multiwan/mwan3 */
export const Mwan3Rule = kindClass<Mwan3RuleArgs>(mwan3RuleProvider, "openwrt:Mwan3Rule");
export type Mwan3Rule = InstanceType<typeof Mwan3Rule>;

export type NetworkRuleArgs = CommonArgs & Inputs<z.input<typeof networkRule.schema>>;
/** A netifd policy-routing rule `network.<name>` (`rule`/`rule6`): match src, dest, mark, in/out → lookup table, action or goto. https://openwrt.org/docs/guide-user/network/routing/ip_rules */
export const NetworkRule = kindClass<NetworkRuleArgs>(networkRuleProvider, "openwrt:NetworkRule");
export type NetworkRule = InstanceType<typeof NetworkRule>;

export type DhcpPoolArgs = CommonArgs & Inputs<z.input<typeof dhcpPool.schema>>;
/** The DHCP/RA service of one interface, `dhcp.<name>` of type `dhcp` (dnsmasq pool, odhcpd RA/DHCPv6). https://openwrt.org/docs/guide-user/base-system/dhcp */
export const DhcpPool = kindClass<DhcpPoolArgs>(dhcpPoolProvider, "openwrt:DhcpPool");
export type DhcpPool = InstanceType<typeof DhcpPool>;

export type DhcpHostArgs = CommonArgs & Inputs<z.input<typeof dhcpHost.schema>>;
/** A static DHCP lease `dhcp.<name>` of type `host` (mac/duid → ip, host name). https://openwrt.org/docs/guide-user/base-system/dhcp */
export const DhcpHost = kindClass<DhcpHostArgs>(dhcpHostProvider, "openwrt:DhcpHost");
export type DhcpHost = InstanceType<typeof DhcpHost>;

export type SystemSettingsArgs = CommonArgs & Inputs<z.input<typeof systemSettings.schema>>;
/** The router's one `system` section (hostname, time zone, logging), managed in place and restored on destroy. https://openwrt.org/docs/guide-user/base-system/system_configuration */
export const SystemSettings = kindClass<SystemSettingsArgs>(systemSettingsProvider, "openwrt:SystemSettings");
export type SystemSettings = InstanceType<typeof SystemSettings>;
