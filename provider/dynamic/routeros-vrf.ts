/** The dynamic provider of `routeros-vrf`: the generic engine over the kind in provider/resources/routeros/vrf.ts. */
import { kind } from "../resources/routeros/vrf";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
