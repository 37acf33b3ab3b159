/** The dynamic provider of `openwrt-bird-static`: the generic engine over the kind in provider/resources/openwrt/bird-static.ts. */
import { kind } from "../resources/openwrt/bird-static";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
