/** The dynamic provider of `routeros-dhcp-client`: the generic engine over the kind in provider/resources/routeros/dhcp-client.ts. */
import { kind } from "../resources/routeros/dhcp-client";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
