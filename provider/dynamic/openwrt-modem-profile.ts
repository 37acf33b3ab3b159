/** The dynamic provider of `openwrt-modem-profile`: the generic engine over the kind in provider/resources/openwrt/modem-profile.ts. */
import { kind } from "../resources/openwrt/modem-profile";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
