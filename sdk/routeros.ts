/**
 * RouterOS 7 resources. Input names map to RouterOS menu properties verbatim (`dstAddress` → `dst-address`,
 * `localRole` → `local.role`); each input is documented in provider/resources/routeros/.
 */
import type { z } from "zod";
import type * as staticRoute from "../provider/resources/routeros/static-route";
import type * as bgpInstance from "../provider/resources/routeros/bgp-instance";
import type * as bgpSession from "../provider/resources/routeros/bgp-session";
import type * as natRule from "../provider/resources/routeros/nat-rule";
import type * as routingTable from "../provider/resources/routeros/routing-table";
import type * as routingRule from "../provider/resources/routeros/routing-rule";
import type * as addressListEntry from "../provider/resources/routeros/address-list-entry";
import type * as netwatch from "../provider/resources/routeros/netwatch";
import type * as modemProfile from "../provider/resources/routeros/modem-profile";
import type * as pppoeClient from "../provider/resources/routeros/pppoe-client";
import type * as l2tpClient from "../provider/resources/routeros/l2tp-client";
import type * as pppProfile from "../provider/resources/routeros/ppp-profile";
import type * as ipAddress from "../provider/resources/routeros/ip-address";
import type * as vlan from "../provider/resources/routeros/vlan";
import type * as interfaceListMember from "../provider/resources/routeros/interface-list-member";
import type * as item from "../provider/resources/routeros/item";
import type * as wireguardInterface from "../provider/resources/routeros/wireguard-interface";
import type * as wireguardPeer from "../provider/resources/routeros/wireguard-peer";
import type * as vrf from "../provider/resources/routeros/vrf";
import type * as bgpTemplate from "../provider/resources/routeros/bgp-template";
import type * as routingFilterRule from "../provider/resources/routeros/routing-filter-rule";
import type * as firewallRule from "../provider/resources/routeros/firewall-rule";
import type * as script from "../provider/resources/routeros/script";
import type * as scheduler from "../provider/resources/routeros/scheduler";
import type * as interfaceList from "../provider/resources/routeros/interface-list";
import type * as bridge from "../provider/resources/routeros/bridge";
import type * as bridgePort from "../provider/resources/routeros/bridge-port";
import type * as ipPool from "../provider/resources/routeros/ip-pool";
import type * as dhcpClient from "../provider/resources/routeros/dhcp-client";
import type * as dhcpServer from "../provider/resources/routeros/dhcp-server";
import type * as dhcpServerNetwork from "../provider/resources/routeros/dhcp-server-network";
import type * as dns from "../provider/resources/routeros/dns";
import type * as systemIdentity from "../provider/resources/routeros/system-identity";
import type * as ethernet from "../provider/resources/routeros/ethernet";
import type * as rawRule from "../provider/resources/routeros/raw-rule";
import type * as service from "../provider/resources/routeros/service";
import type * as bridgeVlan from "../provider/resources/routeros/bridge-vlan";
import type * as ipv6DhcpClient from "../provider/resources/routeros/ipv6-dhcp-client";
import type * as ipv6Nd from "../provider/resources/routeros/ipv6-nd";
import { kindClass, type CommonArgs, type Inputs } from "./resource";
import staticRouteProvider = require("./stubs/routeros-static-route");
import bgpInstanceProvider = require("./stubs/routeros-bgp-instance");
import bgpSessionProvider = require("./stubs/routeros-bgp-session");
import natRuleProvider = require("./stubs/routeros-nat-rule");
import routingTableProvider = require("./stubs/routeros-routing-table");
import routingRuleProvider = require("./stubs/routeros-routing-rule");
import addressListEntryProvider = require("./stubs/routeros-address-list-entry");
import netwatchProvider = require("./stubs/routeros-netwatch");
import modemProfileProvider = require("./stubs/routeros-modem-profile");
import pppoeClientProvider = require("./stubs/routeros-pppoe-client");
import l2tpClientProvider = require("./stubs/routeros-l2tp-client");
import pppProfileProvider = require("./stubs/routeros-ppp-profile");
import ipAddressProvider = require("./stubs/routeros-ip-address");
import vlanProvider = require("./stubs/routeros-vlan");
import interfaceListMemberProvider = require("./stubs/routeros-interface-list-member");
import itemProvider = require("./stubs/routeros-item");
import wireguardInterfaceProvider = require("./stubs/routeros-wireguard-interface");
import wireguardPeerProvider = require("./stubs/routeros-wireguard-peer");
import vrfProvider = require("./stubs/routeros-vrf");
import bgpTemplateProvider = require("./stubs/routeros-bgp-template");
import routingFilterRuleProvider = require("./stubs/routeros-routing-filter-rule");
import firewallRuleProvider = require("./stubs/routeros-firewall-rule");
import scriptProvider = require("./stubs/routeros-script");
import schedulerProvider = require("./stubs/routeros-scheduler");
import interfaceListProvider = require("./stubs/routeros-interface-list");
import bridgeProvider = require("./stubs/routeros-bridge");
import bridgePortProvider = require("./stubs/routeros-bridge-port");
import ipPoolProvider = require("./stubs/routeros-ip-pool");
import dhcpClientProvider = require("./stubs/routeros-dhcp-client");
import dhcpServerProvider = require("./stubs/routeros-dhcp-server");
import dhcpServerNetworkProvider = require("./stubs/routeros-dhcp-server-network");
import dnsProvider = require("./stubs/routeros-dns");
import systemIdentityProvider = require("./stubs/routeros-system-identity");
import ethernetProvider = require("./stubs/routeros-ethernet");
import rawRuleProvider = require("./stubs/routeros-raw-rule");
import serviceProvider = require("./stubs/routeros-service");
import bridgeVlanProvider = require("./stubs/routeros-bridge-vlan");
import ipv6DhcpClientProvider = require("./stubs/routeros-ipv6-dhcp-client");
import ipv6NdProvider = require("./stubs/routeros-ipv6-nd");

export type StaticRouteArgs = CommonArgs & Inputs<z.input<typeof staticRoute.schema>>;
/** `/ip/route` or `/ipv6/route` (by `dstAddress` family). https://help.mikrotik.com/docs/display/ROS/IP+Routing */
export const StaticRoute = kindClass<StaticRouteArgs>(staticRouteProvider, "routeros:StaticRoute");
export type StaticRoute = InstanceType<typeof StaticRoute>;

export type BgpInstanceArgs = CommonArgs & Inputs<z.input<typeof bgpInstance.schema>>;
/** `/routing/bgp/instance` (RouterOS 7.20+). https://help.mikrotik.com/docs/display/ROS/BGP */
export const BgpInstance = kindClass<BgpInstanceArgs>(bgpInstanceProvider, "routeros:BgpInstance");
export type BgpInstance = InstanceType<typeof BgpInstance>;

export type BgpSessionArgs = CommonArgs & Inputs<z.input<typeof bgpSession.schema>>;
/** `/routing/bgp/connection` (7.20+: `instance`; 7.16–7.19: optional `routerId`). https://help.mikrotik.com/docs/display/ROS/BGP */
export const BgpSession = kindClass<BgpSessionArgs>(bgpSessionProvider, "routeros:BgpSession");
export type BgpSession = InstanceType<typeof BgpSession>;

export type NatRuleArgs = CommonArgs & Inputs<z.input<typeof natRule.schema>>;
/** `/ip/firewall/nat`. https://help.mikrotik.com/docs/display/ROS/NAT */
export const NatRule = kindClass<NatRuleArgs>(natRuleProvider, "routeros:NatRule");
export type NatRule = InstanceType<typeof NatRule>;

export type RoutingTableArgs = CommonArgs & Inputs<z.input<typeof routingTable.schema>>;
/** `/routing/table` (keyed by name; `fib` changes replace). https://help.mikrotik.com/docs/display/ROS/Policy+Routing */
export const RoutingTable = kindClass<RoutingTableArgs>(routingTableProvider, "routeros:RoutingTable");
export type RoutingTable = InstanceType<typeof RoutingTable>;

export type RoutingRuleArgs = CommonArgs & Inputs<z.input<typeof routingRule.schema>>;
/** `/routing/rule`, with declared `order` among the stack's rules. https://help.mikrotik.com/docs/display/ROS/Policy+Routing */
export const RoutingRule = kindClass<RoutingRuleArgs>(routingRuleProvider, "routeros:RoutingRule");
export type RoutingRule = InstanceType<typeof RoutingRule>;

export type AddressListEntryArgs = CommonArgs & Inputs<z.input<typeof addressListEntry.schema>>;
/** `/ip/firewall/address-list` (static entries). https://help.mikrotik.com/docs/display/ROS/Address-lists */
export const AddressListEntry = kindClass<AddressListEntryArgs>(addressListEntryProvider, "routeros:AddressListEntry");
export type AddressListEntry = InstanceType<typeof AddressListEntry>;

export type NetwatchArgs = CommonArgs & Inputs<z.input<typeof netwatch.schema>>;
/** `/tool/netwatch` (durations in seconds, millisecond resolution). https://help.mikrotik.com/docs/display/ROS/Netwatch */
export const Netwatch = kindClass<NetwatchArgs>(netwatchProvider, "routeros:Netwatch");
export type Netwatch = InstanceType<typeof Netwatch>;

export type ModemProfileArgs = CommonArgs & Inputs<z.input<typeof modemProfile.schema>>;
/** `/interface/lte/apn`. `password` is a secret. https://help.mikrotik.com/docs/display/ROS/LTE */
export const ModemProfile = kindClass<ModemProfileArgs>(modemProfileProvider, "routeros:ModemProfile", ["password"]);
export type ModemProfile = InstanceType<typeof ModemProfile>;

export type PppoeClientArgs = CommonArgs & Inputs<z.input<typeof pppoeClient.schema>>;
/** `/interface/pppoe-client`. `password` is a secret. https://help.mikrotik.com/docs/display/ROS/PPPoE */
export const PppoeClient = kindClass<PppoeClientArgs>(pppoeClientProvider, "routeros:PppoeClient", ["password"]);
export type PppoeClient = InstanceType<typeof PppoeClient>;

export type L2tpClientArgs = CommonArgs & Inputs<z.input<typeof l2tpClient.schema>>;
/** `/interface/l2tp-client`. `password` and `ipsecSecret` are secrets. https://help.mikrotik.com/docs/display/ROS/L2TP */
export const L2tpClient = kindClass<L2tpClientArgs>(l2tpClientProvider, "routeros:L2tpClient", [
  "password",
  "ipsecSecret",
]);
export type L2tpClient = InstanceType<typeof L2tpClient>;

export type PppProfileArgs = CommonArgs & Inputs<z.input<typeof pppProfile.schema>>;
/** `/ppp/profile` (keyed by name; built-in `default`/`default-encryption` need adopt). https://help.mikrotik.com/docs/display/ROS/PPP+AAA */
export const PppProfile = kindClass<PppProfileArgs>(pppProfileProvider, "routeros:PppProfile");
export type PppProfile = InstanceType<typeof PppProfile>;

export type IpAddressArgs = CommonArgs & Inputs<z.input<typeof ipAddress.schema>>;
/** `/ip/address` or `/ipv6/address` (by `address` family). https://help.mikrotik.com/docs/display/ROS/IP+Addressing */
export const IpAddress = kindClass<IpAddressArgs>(ipAddressProvider, "routeros:IpAddress");
export type IpAddress = InstanceType<typeof IpAddress>;

export type VlanArgs = CommonArgs & Inputs<z.input<typeof vlan.schema>>;
/** `/interface/vlan` (keyed by name). https://help.mikrotik.com/docs/display/ROS/VLAN */
export const Vlan = kindClass<VlanArgs>(vlanProvider, "routeros:Vlan");
export type Vlan = InstanceType<typeof Vlan>;

export type InterfaceListMemberArgs = CommonArgs & Inputs<z.input<typeof interfaceListMember.schema>>;
/** `/interface/list/member`. https://help.mikrotik.com/docs/display/ROS/Interface+Lists */
export const InterfaceListMember = kindClass<InterfaceListMemberArgs>(
  interfaceListMemberProvider,
  "routeros:InterfaceListMember",
);
export type InterfaceListMember = InstanceType<typeof InterfaceListMember>;

export type RouterOsItemArgs = CommonArgs & Inputs<z.input<typeof item.schema>>;
/** Any menu item with the properties given (`singleton: true` sets a singleton menu). https://help.mikrotik.com/docs/x/xgEF */
export const RouterOsItem = kindClass<RouterOsItemArgs>(itemProvider, "routeros:RouterOsItem");
export type RouterOsItem = InstanceType<typeof RouterOsItem>;

export type WireguardInterfaceArgs = CommonArgs & Inputs<z.input<typeof wireguardInterface.schema>>;
/** `/interface/wireguard`. `privateKey` is a secret; `observed.publicKey` is the public key. https://help.mikrotik.com/docs/display/ROS/WireGuard */
export const WireguardInterface = kindClass<WireguardInterfaceArgs>(
  wireguardInterfaceProvider,
  "routeros:WireguardInterface",
  ["privateKey"],
);
export type WireguardInterface = InstanceType<typeof WireguardInterface>;

export type WireguardPeerArgs = CommonArgs & Inputs<z.input<typeof wireguardPeer.schema>>;
/** `/interface/wireguard/peers`. `presharedKey` is a secret. https://help.mikrotik.com/docs/display/ROS/WireGuard */
export const WireguardPeer = kindClass<WireguardPeerArgs>(wireguardPeerProvider, "routeros:WireguardPeer", [
  "presharedKey",
]);
export type WireguardPeer = InstanceType<typeof WireguardPeer>;

export type VrfArgs = CommonArgs & Inputs<z.input<typeof vrf.schema>>;
/** `/ip/vrf` (appended; order among VRFs not managed). https://help.mikrotik.com/docs/display/ROS/Virtual+Routing+and+Forwarding */
export const Vrf = kindClass<VrfArgs>(vrfProvider, "routeros:Vrf");
export type Vrf = InstanceType<typeof Vrf>;

export type BgpTemplateArgs = CommonArgs & Inputs<z.input<typeof bgpTemplate.schema>>;
/** `/routing/bgp/template` (`routerId` only on 7.16–7.19). https://help.mikrotik.com/docs/display/ROS/BGP */
export const BgpTemplate = kindClass<BgpTemplateArgs>(bgpTemplateProvider, "routeros:BgpTemplate");
export type BgpTemplate = InstanceType<typeof BgpTemplate>;

export type RoutingFilterRuleArgs = CommonArgs & Inputs<z.input<typeof routingFilterRule.schema>>;
/** `/routing/filter/rule`, with declared `order` among the stack's rules of the same chain. https://help.mikrotik.com/docs/display/ROS/Route+Selection+and+Filters */
export const RoutingFilterRule = kindClass<RoutingFilterRuleArgs>(
  routingFilterRuleProvider,
  "routeros:RoutingFilterRule",
);
export type RoutingFilterRule = InstanceType<typeof RoutingFilterRule>;

export type FirewallRuleArgs = CommonArgs & Inputs<z.input<typeof firewallRule.schema>>;
/** `/ip/firewall/filter|mangle` or `/ipv6/firewall/filter|mangle` (by `table` and family), with declared `order`. https://help.mikrotik.com/docs/display/ROS/Filter */
export const FirewallRule = kindClass<FirewallRuleArgs>(firewallRuleProvider, "routeros:FirewallRule");
export type FirewallRule = InstanceType<typeof FirewallRule>;

export type ScriptArgs = CommonArgs & Inputs<z.input<typeof script.schema>>;
/** `/system/script` (keyed by name). https://help.mikrotik.com/docs/display/ROS/Scripting */
export const Script = kindClass<ScriptArgs>(scriptProvider, "routeros:Script");
export type Script = InstanceType<typeof Script>;

export type SchedulerArgs = CommonArgs & Inputs<z.input<typeof scheduler.schema>>;
/** `/system/scheduler` (keyed by name; `interval` in seconds). https://help.mikrotik.com/docs/display/ROS/Scheduler */
export const Scheduler = kindClass<SchedulerArgs>(schedulerProvider, "routeros:Scheduler");
export type Scheduler = InstanceType<typeof Scheduler>;

export type InterfaceListArgs = CommonArgs & Inputs<z.input<typeof interfaceList.schema>>;
/** `/interface/list` (keyed by name; not the built-in lists). https://help.mikrotik.com/docs/display/ROS/Interface+Lists */
export const InterfaceList = kindClass<InterfaceListArgs>(interfaceListProvider, "routeros:InterfaceList");
export type InterfaceList = InstanceType<typeof InterfaceList>;

export type BridgeArgs = CommonArgs & Inputs<z.input<typeof bridge.schema>>;
/** `/interface/bridge` (keyed by name). https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching */
export const Bridge = kindClass<BridgeArgs>(bridgeProvider, "routeros:Bridge");
export type Bridge = InstanceType<typeof Bridge>;

export type BridgePortArgs = CommonArgs & Inputs<z.input<typeof bridgePort.schema>>;
/** `/interface/bridge/port` (adopt finds an existing port by `interface`). https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching */
export const BridgePort = kindClass<BridgePortArgs>(bridgePortProvider, "routeros:BridgePort");
export type BridgePort = InstanceType<typeof BridgePort>;

export type IpPoolArgs = CommonArgs & Inputs<z.input<typeof ipPool.schema>>;
/** `/ip/pool` (keyed by name; `ranges` in order). https://help.mikrotik.com/docs/display/ROS/IP+Pools */
export const IpPool = kindClass<IpPoolArgs>(ipPoolProvider, "routeros:IpPool");
export type IpPool = InstanceType<typeof IpPool>;

export type DhcpClientArgs = CommonArgs & Inputs<z.input<typeof dhcpClient.schema>>;
/** `/ip/dhcp-client` (adopt finds an existing client by `interface`). https://help.mikrotik.com/docs/display/ROS/DHCP */
export const DhcpClient = kindClass<DhcpClientArgs>(dhcpClientProvider, "routeros:DhcpClient");
export type DhcpClient = InstanceType<typeof DhcpClient>;

export type DhcpServerArgs = CommonArgs & Inputs<z.input<typeof dhcpServer.schema>>;
/** `/ip/dhcp-server` (keyed by name; `leaseTime` in seconds). https://help.mikrotik.com/docs/display/ROS/DHCP */
export const DhcpServer = kindClass<DhcpServerArgs>(dhcpServerProvider, "routeros:DhcpServer");
export type DhcpServer = InstanceType<typeof DhcpServer>;

export type DhcpServerNetworkArgs = CommonArgs & Inputs<z.input<typeof dhcpServerNetwork.schema>>;
/** `/ip/dhcp-server/network` (adopt finds an existing entry by `address`). https://help.mikrotik.com/docs/display/ROS/DHCP */
export const DhcpServerNetwork = kindClass<DhcpServerNetworkArgs>(
  dhcpServerNetworkProvider,
  "routeros:DhcpServerNetwork",
);
export type DhcpServerNetwork = InstanceType<typeof DhcpServerNetwork>;

export type DnsArgs = CommonArgs & Inputs<z.input<typeof dns.schema>>;
/** `/ip/dns` (a singleton: set in place; the values before are restored on destroy). https://help.mikrotik.com/docs/display/ROS/DNS */
export const Dns = kindClass<DnsArgs>(dnsProvider, "routeros:Dns");
export type Dns = InstanceType<typeof Dns>;

export type SystemIdentityArgs = CommonArgs & Inputs<z.input<typeof systemIdentity.schema>>;
/** `/system/identity` (a singleton: set in place; the name before is restored on destroy). https://help.mikrotik.com/docs/display/ROS/Identity */
export const SystemIdentity = kindClass<SystemIdentityArgs>(systemIdentityProvider, "routeros:SystemIdentity");
export type SystemIdentity = InstanceType<typeof SystemIdentity>;

export type EthernetArgs = CommonArgs & Inputs<z.input<typeof ethernet.schema>>;
/** `/interface/ethernet` (a port found by `defaultName`, set in place; its values are restored on destroy, never removed). https://help.mikrotik.com/docs/display/ROS/Ethernet */
export const Ethernet = kindClass<EthernetArgs>(ethernetProvider, "routeros:Ethernet");
export type Ethernet = InstanceType<typeof Ethernet>;

export type RawRuleArgs = CommonArgs & Inputs<z.input<typeof rawRule.schema>>;
/** `/ip/firewall/raw` or `/ipv6/firewall/raw` (by family), with declared `order`. https://help.mikrotik.com/docs/display/ROS/Filter */
export const RawRule = kindClass<RawRuleArgs>(rawRuleProvider, "routeros:RawRule");
export type RawRule = InstanceType<typeof RawRule>;

export type ServiceArgs = CommonArgs & Inputs<z.input<typeof service.schema>>;
/** `/ip/service` (a service found by `name`, set in place; its values are restored on destroy, never removed). https://help.mikrotik.com/docs/display/ROS/Services */
export const Service = kindClass<ServiceArgs>(serviceProvider, "routeros:Service");
export type Service = InstanceType<typeof Service>;

export type BridgeVlanArgs = CommonArgs & Inputs<z.input<typeof bridgeVlan.schema>>;
/** `/interface/bridge/vlan` (adopt finds an entry by `bridge` and `vlanIds`). https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching */
export const BridgeVlan = kindClass<BridgeVlanArgs>(bridgeVlanProvider, "routeros:BridgeVlan");
export type BridgeVlan = InstanceType<typeof BridgeVlan>;

export type Ipv6DhcpClientArgs = CommonArgs & Inputs<z.input<typeof ipv6DhcpClient.schema>>;
/** `/ipv6/dhcp-client` (adopt finds a client by `interface`). https://help.mikrotik.com/docs/display/ROS/DHCP */
export const Ipv6DhcpClient = kindClass<Ipv6DhcpClientArgs>(ipv6DhcpClientProvider, "routeros:Ipv6DhcpClient");
export type Ipv6DhcpClient = InstanceType<typeof Ipv6DhcpClient>;

export type Ipv6NdArgs = CommonArgs & Inputs<z.input<typeof ipv6Nd.schema>>;
/** `/ipv6/nd` (router advertisements per interface; adopt finds an entry by `interface`). https://help.mikrotik.com/docs/display/ROS/IPv6+Neighbor+Discovery */
export const Ipv6Nd = kindClass<Ipv6NdArgs>(ipv6NdProvider, "routeros:Ipv6Nd");
export type Ipv6Nd = InstanceType<typeof Ipv6Nd>;
