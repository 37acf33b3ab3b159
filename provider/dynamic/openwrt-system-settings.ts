/** The dynamic provider of `openwrt-system-settings`: the generic engine over the kind in provider/resources/openwrt/system-settings.ts. */
import { kind } from "../resources/openwrt/system-settings";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
