/** The dynamic provider of `routeros-nat-rule`: the generic engine over the kind in provider/resources/routeros/nat-rule.ts. */
import { kind } from "../resources/routeros/nat-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
