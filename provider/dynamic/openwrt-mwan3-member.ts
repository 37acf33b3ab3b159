/** The dynamic provider of `openwrt-mwan3-member`: the generic engine over the kind in provider/resources/openwrt/mwan3-member.ts. */
import { kind } from "../resources/openwrt/mwan3-member";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
