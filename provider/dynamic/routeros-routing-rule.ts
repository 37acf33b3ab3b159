/** The dynamic provider of `routeros-routing-rule`: the generic engine over the kind in provider/resources/routeros/routing-rule.ts. */
import { kind } from "../resources/routeros/routing-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
