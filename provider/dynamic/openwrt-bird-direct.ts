/** The dynamic provider of `openwrt-bird-direct`: the generic engine over the kind in provider/resources/openwrt/bird-direct.ts. */
import { kind } from "../resources/openwrt/bird-direct";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
