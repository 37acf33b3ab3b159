/** The dynamic provider of `routeros-bgp-session`: the generic engine over the kind in provider/resources/routeros/bgp-session.ts. */
import { kind } from "../resources/routeros/bgp-session";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
