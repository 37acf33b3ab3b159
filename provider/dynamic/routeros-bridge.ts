/** The dynamic provider of `routeros-bridge`: the generic engine over the kind in provider/resources/routeros/bridge.ts. */
import { kind } from "../resources/routeros/bridge";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
