/** The dynamic provider of `openwrt-firewall-rule`: the generic engine over the kind in provider/resources/openwrt/firewall-rule.ts. */
import { kind } from "../resources/openwrt/firewall-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
