/** The dynamic provider of `routeros-item`: the generic engine over the kind in provider/resources/routeros/item.ts. */
import { kind } from "../resources/routeros/item";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
