/** The dynamic provider of `routeros-bgp-template`: the generic engine over the kind in provider/resources/routeros/bgp-template.ts. */
import { kind } from "../resources/routeros/bgp-template";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
