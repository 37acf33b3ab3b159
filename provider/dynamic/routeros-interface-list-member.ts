/** The dynamic provider of `routeros-interface-list-member`: the generic engine over the kind in provider/resources/routeros/interface-list-member.ts. */
import { kind } from "../resources/routeros/interface-list-member";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
