/**
 * `/interface/ethernet`: a physical Ethernet port. Ports are RouterOS's own (nobody adds or removes them), so the
 * kind configures one in place: it is found by its `default-name` (`ether1`, `sfp-sfpplus1`), which never changes,
 * and destroy sets the values recorded at create back (its name, MTU, comment…) and never removes it. Docs:
 * https://help.mikrotik.com/docs/display/ROS/Ethernet. Property names from RouterOS's own schema
 * (provider/routeros/catalogue.generated.ts; `set` only); defaults from the manual's property table.
 * Renaming a port renames it everywhere RouterOS refers to it (bridge ports, addresses, VLANs follow).
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, userComment } from "./fields";
import { macAddress } from "./bridge";
import * as derived from "./generated/ethernet";

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** The port's factory name, e.g. `ether1`; how it is found (a change moves the resource to another port). Property `default-name`. */
    defaultName: interfaceName,
    /** The port's name, e.g. `ether1-gpon`; default: left as it is (the device's). Property `name`. */
    name: interfaceName.optional(),
    /** Layer-3 MTU in bytes, 68..9000 [I: the upper bound depends on the port's `l2mtu`]; default 1500. Property `mtu`. */
    mtu: z.number().int().min(68).max(9000).default(1500),
    /** ARP mode: `enabled`, `disabled`, `reply-only`, `proxy-arp`, `local-proxy-arp`; default `enabled`. Property `arp`. */
    arp: z.enum(["enabled", "disabled", "reply-only", "proxy-arp", "local-proxy-arp"]).default("enabled"),
    /** The MAC the port uses (a MAC clone towards an ISP); default: left as it is (the port's own). Property `mac-address`. */
    macAddress: macAddress.optional(),
    /** The port's comment, verbatim (no identity tag: the port is not routerstack's). Property `comment`. */
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type EthernetInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-ethernet",
  docs: "https://help.mikrotik.com/docs/display/ROS/Ethernet",
  schema,
  menu: "/interface/ethernet",
  identity: { by: "existing" },
  naturalKey: ["defaultName"],
  props: {
    ...derived.props,
    defaultName: prop.text("default-name"),
    name: prop.text("name"),
    mtu: prop.int("mtu"),
    arp: prop.text("arp"),
    macAddress: prop.text("mac-address"),
    comment: prop.text("comment"),
    disabled: prop.bool("disabled"),
  },
  outputs: { running: "running", origMacAddress: "orig-mac-address" },
  deviceOwnedWhenUnset: ["name", "macAddress"],
  replaceOn: ["defaultName"],
  // The old port gets its name back before the new one takes it.
  deleteBeforeReplace: true,
});
