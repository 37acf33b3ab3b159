/** The dynamic provider of `openwrt-dhcp-host`: the generic engine over the kind in provider/resources/openwrt/dhcp-host.ts. */
import { kind } from "../resources/openwrt/dhcp-host";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
