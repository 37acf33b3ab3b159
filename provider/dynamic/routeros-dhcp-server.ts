/** The dynamic provider of `routeros-dhcp-server`: the generic engine over the kind in provider/resources/routeros/dhcp-server.ts. */
import { kind } from "../resources/routeros/dhcp-server";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
