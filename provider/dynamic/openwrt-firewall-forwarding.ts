/** The dynamic provider of `openwrt-firewall-forwarding`: the generic engine over the kind in provider/resources/openwrt/firewall-forwarding.ts. */
import { kind } from "../resources/openwrt/firewall-forwarding";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
