/** The dynamic provider of `openwrt-dhcp-pool`: the generic engine over the kind in provider/resources/openwrt/dhcp-pool.ts. */
import { kind } from "../resources/openwrt/dhcp-pool";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
