/** The dynamic provider of `routeros-pppoe-client`: the generic engine over the kind in provider/resources/routeros/pppoe-client.ts. */
import { kind } from "../resources/routeros/pppoe-client";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
