/** The dynamic provider of `routeros-address-list-entry`: the generic engine over the kind in provider/resources/routeros/address-list-entry.ts. */
import { kind } from "../resources/routeros/address-list-entry";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
