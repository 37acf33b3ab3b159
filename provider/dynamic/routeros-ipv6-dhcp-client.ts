/** The dynamic provider of `routeros-ipv6-dhcp-client`: the generic engine over the kind in provider/resources/routeros/ipv6-dhcp-client.ts. */
import { kind } from "../resources/routeros/ipv6-dhcp-client";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
