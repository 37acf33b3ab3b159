/** The dynamic provider of `routeros-system-identity`: the generic engine over the kind in provider/resources/routeros/system-identity.ts. */
import { kind } from "../resources/routeros/system-identity";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
