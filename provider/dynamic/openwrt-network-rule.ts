/** The dynamic provider of `openwrt-network-rule`: the generic engine over the kind in provider/resources/openwrt/network-rule.ts. */
import { kind } from "../resources/openwrt/network-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
