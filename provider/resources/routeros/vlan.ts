/**
 * `/interface/vlan`: an 802.1Q VLAN interface on a parent interface, keyed by its unique interface `name`; the
 * identity tag is kept in `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/VLAN. routeros-cli.md lists
 * the menu only in passing (the reference topology's `vlan6`): `vlan-id` range and `mtu` default are [I].
 * Interface names are unique across all interface menus (`failure: already have interface with such name`).
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, userComment } from "./fields";
import * as derived from "./generated/vlan";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique interface name, e.g. `vlan6`; the natural key (a rename replaces the VLAN). Property `name`. */
    name: interfaceName,
    /** VLAN id, 1..4094 (4095 is reserved by 802.1Q). Property `vlan-id`. */
    vlanId: z.number().int().min(1).max(4094),
    /** Parent interface (must exist), e.g. `bridge` or `ether2`. Property `interface`. */
    interface: interfaceName,
    /** Layer-3 MTU in bytes, 68..9000 [I: upper bound depends on the parent's L2 MTU]; default 1500. Property `mtu`. */
    mtu: z.number().int().min(68).max(9000).default(1500),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type VlanInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-vlan",
  docs: "https://help.mikrotik.com/docs/display/ROS/VLAN",
  schema,
  menu: "/interface/vlan",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    vlanId: prop.int("vlan-id"),
    interface: prop.text("interface"),
    mtu: prop.int("mtu"),
    disabled: prop.bool("disabled"),
  },
  outputs: { running: "running" },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
