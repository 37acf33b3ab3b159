/** The dynamic provider of `routeros-wireguard-interface`: the generic engine over the kind in provider/resources/routeros/wireguard-interface.ts. */
import { kind } from "../resources/routeros/wireguard-interface";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
