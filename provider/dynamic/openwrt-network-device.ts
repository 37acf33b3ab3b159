/** The dynamic provider of `openwrt-network-device`: the generic engine over the kind in provider/resources/openwrt/network-device.ts. */
import { kind } from "../resources/openwrt/network-device";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
