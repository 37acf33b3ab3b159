/** The dynamic provider of `routeros-interface-list`: the generic engine over the kind in provider/resources/routeros/interface-list.ts. */
import { kind } from "../resources/routeros/interface-list";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
