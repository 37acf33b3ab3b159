/** The dynamic provider of `openwrt-remote-file`: the generic engine over the kind in provider/resources/openwrt/remote-file.ts. */
import { kind } from "../resources/openwrt/remote-file";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
