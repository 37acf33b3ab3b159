/** The dynamic provider of `routeros-routing-filter-rule`: the generic engine over the kind in provider/resources/routeros/routing-filter-rule.ts. */
import { kind } from "../resources/routeros/routing-filter-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
