/**
 * RouterOS 7 resources. Property names map verbatim to RouterOS menu properties (`dstAddress` → `dst-address`);
 * see docs of each input in provider/resources/routeros/.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type * as staticRoute from "../provider/resources/routeros/static-route";
import type * as bgpInstance from "../provider/resources/routeros/bgp-instance";
import type * as bgpSession from "../provider/resources/routeros/bgp-session";
import type * as natRule from "../provider/resources/routeros/nat-rule";
import { RouterstackResource, type CommonArgs, type Inputs } from "./resource";
import staticRouteProvider = require("./stubs/routeros-static-route");
import bgpInstanceProvider = require("./stubs/routeros-bgp-instance");
import bgpSessionProvider = require("./stubs/routeros-bgp-session");
import natRuleProvider = require("./stubs/routeros-nat-rule");

export type StaticRouteArgs = CommonArgs & Inputs<z.input<typeof staticRoute.schema>>;
/** `/ip/route` or `/ipv6/route` (by `dstAddress` family). https://help.mikrotik.com/docs/display/ROS/IP+Routing */
export class StaticRoute extends RouterstackResource {
  constructor(name: string, args: StaticRouteArgs, opts?: pulumi.CustomResourceOptions) {
    super(staticRouteProvider, "routeros:StaticRoute", name, args, opts);
  }
}

export type BgpInstanceArgs = CommonArgs & Inputs<z.input<typeof bgpInstance.schema>>;
/** `/routing/bgp/instance` (RouterOS 7.20+). https://help.mikrotik.com/docs/display/ROS/BGP */
export class BgpInstance extends RouterstackResource {
  /** The instance name on the device, for `BgpSession.instance`. */
  declare public readonly name: pulumi.Output<string>;
  constructor(name: string, args: BgpInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(bgpInstanceProvider, "routeros:BgpInstance", name, args, opts);
  }
}

export type BgpSessionArgs = CommonArgs & Inputs<z.input<typeof bgpSession.schema>>;
/** `/routing/bgp/connection`. https://help.mikrotik.com/docs/display/ROS/BGP */
export class BgpSession extends RouterstackResource {
  constructor(name: string, args: BgpSessionArgs, opts?: pulumi.CustomResourceOptions) {
    super(bgpSessionProvider, "routeros:BgpSession", name, args, opts);
  }
}

export type NatRuleArgs = CommonArgs & Inputs<z.input<typeof natRule.schema>>;
/** `/ip/firewall/nat`. https://help.mikrotik.com/docs/display/ROS/NAT */
export class NatRule extends RouterstackResource {
  constructor(name: string, args: NatRuleArgs, opts?: pulumi.CustomResourceOptions) {
    super(natRuleProvider, "routeros:NatRule", name, args, opts);
  }
}
