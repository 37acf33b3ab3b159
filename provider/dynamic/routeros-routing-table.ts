/** The dynamic provider of `routeros-routing-table`: the generic engine over the kind in provider/resources/routeros/routing-table.ts. */
import { kind } from "../resources/routeros/routing-table";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
