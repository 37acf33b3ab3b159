/** The dynamic provider of `routeros-ip-pool`: the generic engine over the kind in provider/resources/routeros/ip-pool.ts. */
import { kind } from "../resources/routeros/ip-pool";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
