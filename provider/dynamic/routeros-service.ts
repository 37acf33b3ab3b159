/** The dynamic provider of `routeros-service`: the generic engine over the kind in provider/resources/routeros/service.ts. */
import { kind } from "../resources/routeros/service";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
