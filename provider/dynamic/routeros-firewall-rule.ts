/** The dynamic provider of `routeros-firewall-rule`: the generic engine over the kind in provider/resources/routeros/firewall-rule.ts. */
import { kind } from "../resources/routeros/firewall-rule";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
