/** The dynamic provider of `routeros-ipv6-nd`: the generic engine over the kind in provider/resources/routeros/ipv6-nd.ts. */
import { kind } from "../resources/routeros/ipv6-nd";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
