/** The dynamic provider of `routeros-bridge-port`: the generic engine over the kind in provider/resources/routeros/bridge-port.ts. */
import { kind } from "../resources/routeros/bridge-port";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
