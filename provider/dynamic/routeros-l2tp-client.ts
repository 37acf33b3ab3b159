/** The dynamic provider of `routeros-l2tp-client`: the generic engine over the kind in provider/resources/routeros/l2tp-client.ts. */
import { kind } from "../resources/routeros/l2tp-client";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
