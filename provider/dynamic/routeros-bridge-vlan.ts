/** The dynamic provider of `routeros-bridge-vlan`: the generic engine over the kind in provider/resources/routeros/bridge-vlan.ts. */
import { kind } from "../resources/routeros/bridge-vlan";
import { makeProvider } from "./provider-factory";

export = makeProvider(kind);
