/** The dynamic provider of `openwrt-mwan3-interface`: the generic engine over the kind in provider/resources/openwrt/mwan3-interface.ts. */
import { kind } from "../resources/openwrt/mwan3-interface";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
