/**
 * RouterOS 7 resources. Input names map to RouterOS menu properties verbatim (`dstAddress` → `dst-address`,
 * `localRole` → `local.role`); each input is documented in provider/resources/routeros/.
 */
import type { z } from "zod";
import type * as staticRoute from "../provider/resources/routeros/static-route";
import type * as bgpInstance from "../provider/resources/routeros/bgp-instance";
import type * as bgpSession from "../provider/resources/routeros/bgp-session";
import type * as natRule from "../provider/resources/routeros/nat-rule";
import { kindClass, type CommonArgs, type Inputs } from "./resource";
import staticRouteProvider = require("./stubs/routeros-static-route");
import bgpInstanceProvider = require("./stubs/routeros-bgp-instance");
import bgpSessionProvider = require("./stubs/routeros-bgp-session");
import natRuleProvider = require("./stubs/routeros-nat-rule");

export type StaticRouteArgs = CommonArgs & Inputs<z.input<typeof staticRoute.schema>>;
/** `/ip/route` or `/ipv6/route` (by `dstAddress` family). https://help.mikrotik.com/docs/display/ROS/IP+Routing */
export const StaticRoute = kindClass<StaticRouteArgs>(staticRouteProvider, "routeros:StaticRoute");
export type StaticRoute = InstanceType<typeof StaticRoute>;

export type BgpInstanceArgs = CommonArgs & Inputs<z.input<typeof bgpInstance.schema>>;
/** `/routing/bgp/instance` (RouterOS 7.20+). https://help.mikrotik.com/docs/display/ROS/BGP */
export const BgpInstance = kindClass<BgpInstanceArgs>(bgpInstanceProvider, "routeros:BgpInstance");
export type BgpInstance = InstanceType<typeof BgpInstance>;

export type BgpSessionArgs = CommonArgs & Inputs<z.input<typeof bgpSession.schema>>;
/** `/routing/bgp/connection` (RouterOS 7.20+ model). https://help.mikrotik.com/docs/display/ROS/BGP */
export const BgpSession = kindClass<BgpSessionArgs>(bgpSessionProvider, "routeros:BgpSession");
export type BgpSession = InstanceType<typeof BgpSession>;

export type NatRuleArgs = CommonArgs & Inputs<z.input<typeof natRule.schema>>;
/** `/ip/firewall/nat`. https://help.mikrotik.com/docs/display/ROS/NAT */
export const NatRule = kindClass<NatRuleArgs>(natRuleProvider, "routeros:NatRule");
export type NatRule = InstanceType<typeof NatRule>;
