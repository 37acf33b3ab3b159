/** The dynamic provider of `openwrt-uci-section`: the generic engine over the kind in provider/resources/openwrt/uci-section.ts. */
import { kind } from "../resources/openwrt/uci-section";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
