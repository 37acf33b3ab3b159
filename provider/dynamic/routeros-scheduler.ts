/** The dynamic provider of `routeros-scheduler`: the generic engine over the kind in provider/resources/routeros/scheduler.ts. */
import { kind } from "../resources/routeros/scheduler";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
