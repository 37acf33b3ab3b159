/** The dynamic provider of `routeros-bgp-instance`: the generic engine over the kind in provider/resources/routeros/bgp-instance.ts. */
import { kind } from "../resources/routeros/bgp-instance";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
