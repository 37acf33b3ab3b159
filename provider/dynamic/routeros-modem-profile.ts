/** The dynamic provider of `routeros-modem-profile`: the generic engine over the kind in provider/resources/routeros/modem-profile.ts. */
import { kind } from "../resources/routeros/modem-profile";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
