/**
 * `/interface/bridge/port`: one interface in a bridge, found by the identity tag in `comment`; with `adopt: true`
 * an existing port entry is found by its `interface` (an interface is a port of at most one bridge). Docs:
 * https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching. Property names from RouterOS's own schema
 * (provider/routeros/catalogue.generated.ts); defaults from the manual's port property table.
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, userComment } from "./fields";
import { FRAME_TYPES } from "./bridge";
import * as derived from "./generated/bridge-port";

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** The bridge (must exist), e.g. `bridge`. Property `bridge`. */
    bridge: interfaceName,
    /** The port's interface (must exist, in no other bridge), e.g. `ether2`; the natural key. Property `interface`. */
    interface: interfaceName,
    /** VLAN id given to untagged ingress frames with `vlanFiltering`, 1..4094; default 1. Property `pvid`. */
    pvid: z.number().int().min(1).max(4094).default(1),
    /** Which frames the port admits with `vlanFiltering`; default `admit-all`. Property `frame-types`. */
    frameTypes: z.enum(FRAME_TYPES).default("admit-all"),
    /** Drop ingress frames of VLANs the port is not a member of; default true (RouterOS 7 manual). Property `ingress-filtering`. */
    ingressFiltering: z.boolean().default(true),
    /** Hardware offload where the switch chip allows it; default true. Property `hw`. */
    hw: z.boolean().default(true),
    /** STP edge port: `auto`, `yes`, `no`, `yes-discover`, `no-discover`; default `auto`. Property `edge`. */
    edge: z.enum(["auto", "yes", "no", "yes-discover", "no-discover"]).default("auto"),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type BridgePortInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-bridge-port",
  docs: "https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching",
  schema,
  menu: "/interface/bridge/port",
  identity: { by: "comment" },
  naturalKey: ["interface"],
  commentField: "comment",
  props: {
    ...derived.props,
    bridge: prop.text("bridge"),
    interface: prop.text("interface"),
    pvid: prop.int("pvid"),
    frameTypes: prop.text("frame-types"),
    ingressFiltering: prop.bool("ingress-filtering"),
    hw: prop.bool("hw"),
    edge: prop.text("edge"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: [],
  deleteBeforeReplace: false,
});
