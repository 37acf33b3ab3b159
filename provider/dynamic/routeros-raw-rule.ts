/** The dynamic provider of `routeros-raw-rule`: the generic engine over the kind in provider/resources/routeros/raw-rule.ts. */
import { kind } from "../resources/routeros/raw-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
