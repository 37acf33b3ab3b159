/** The dynamic provider of `routeros-vlan`: the generic engine over the kind in provider/resources/routeros/vlan.ts. */
import { kind } from "../resources/routeros/vlan";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
