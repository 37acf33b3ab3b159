/** The dynamic provider of `routeros-ip-address`: the generic engine over the kind in provider/resources/routeros/ip-address.ts. */
import { kind } from "../resources/routeros/ip-address";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
