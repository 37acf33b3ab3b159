/** The dynamic provider of `openwrt-mwan3-policy`: the generic engine over the kind in provider/resources/openwrt/mwan3-policy.ts. */
import { kind } from "../resources/openwrt/mwan3-policy";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
