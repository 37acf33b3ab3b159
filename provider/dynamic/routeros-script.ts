/** The dynamic provider of `routeros-script`: the generic engine over the kind in provider/resources/routeros/script.ts. */
import { kind } from "../resources/routeros/script";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
