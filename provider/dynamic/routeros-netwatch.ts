/** The dynamic provider of `routeros-netwatch`: the generic engine over the kind in provider/resources/routeros/netwatch.ts. */
import { kind } from "../resources/routeros/netwatch";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
