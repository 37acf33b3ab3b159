/** The dynamic provider of `openwrt-network-interface`: the generic engine over the kind in provider/resources/openwrt/network-interface.ts. */
import { kind } from "../resources/openwrt/network-interface";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
