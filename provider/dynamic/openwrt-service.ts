/** The dynamic provider of `openwrt-service`: the generic engine over the kind in provider/resources/openwrt/service.ts. */
import { kind } from "../resources/openwrt/service";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
