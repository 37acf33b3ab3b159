/** The dynamic provider of `openwrt-nat-rule`: the generic engine over the kind in provider/resources/openwrt/nat-rule.ts. */
import { kind } from "../resources/openwrt/nat-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
