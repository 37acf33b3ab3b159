/** The dynamic provider of `routeros-ppp-profile`: the generic engine over the kind in provider/resources/routeros/ppp-profile.ts. */
import { kind } from "../resources/routeros/ppp-profile";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
