/** The dynamic provider of `openwrt-bgp-session`: the generic engine over the kind in provider/resources/openwrt/bgp-session.ts. */
import { kind } from "../resources/openwrt/bgp-session";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
