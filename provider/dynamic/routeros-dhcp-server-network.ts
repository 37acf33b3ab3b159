/** The dynamic provider of `routeros-dhcp-server-network`: the generic engine over the kind in provider/resources/routeros/dhcp-server-network.ts. */
import { kind } from "../resources/routeros/dhcp-server-network";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
