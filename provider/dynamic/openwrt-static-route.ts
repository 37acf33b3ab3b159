/** The dynamic provider of `openwrt-static-route`: the generic engine over the kind in provider/resources/openwrt/static-route.ts. */
import { kind } from "../resources/openwrt/static-route";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
