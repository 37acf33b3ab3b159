/** The dynamic provider of `openwrt-firewall-zone`: the generic engine over the kind in provider/resources/openwrt/firewall-zone.ts. */
import { kind } from "../resources/openwrt/firewall-zone";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
