/** The dynamic provider of `openwrt-bird-config`: the generic engine over the kind in provider/resources/openwrt/bird-config.ts. */
import { kind } from "../resources/openwrt/bird-config";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
