/** The dynamic provider of `routeros-ethernet`: the generic engine over the kind in provider/resources/routeros/ethernet.ts. */
import { kind } from "../resources/routeros/ethernet";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
