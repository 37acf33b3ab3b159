/** The dynamic provider of `openwrt-mwan3-rule`: the generic engine over the kind in provider/resources/openwrt/mwan3-rule.ts. */
import { kind } from "../resources/openwrt/mwan3-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
