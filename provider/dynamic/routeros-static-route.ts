/** The dynamic provider of `routeros-static-route`: the generic engine over the kind in provider/resources/routeros/static-route.ts. */
import { kind } from "../resources/routeros/static-route";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
