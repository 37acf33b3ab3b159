/** The dynamic provider of `routeros-wireguard-peer`: the generic engine over the kind in provider/resources/routeros/wireguard-peer.ts. */
import { kind } from "../resources/routeros/wireguard-peer";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
