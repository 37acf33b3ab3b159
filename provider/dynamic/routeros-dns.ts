/** The dynamic provider of `routeros-dns`: the generic engine over the kind in provider/resources/routeros/dns.ts. */
import { kind } from "../resources/routeros/dns";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
