/**
 * `/ip/vrf`: a VRF and the interfaces it owns, keyed by its unique `name`; the identity tag is kept in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Virtual+Routing+and+Forwarding (routeros-cli.md §5.12).
 *
 * Routes of the VRF live in the routing table of the same name (`routing-table=<vrf>`, gateways `x@<vrf>`), and
 * connected routes of its interfaces land there automatically [D DOC-VRF]. The menu is ordered and "entry order
 * decides which VRF claims an interface" [D DOC-VRF]: this kind appends a new VRF at the end and does not manage
 * that order, so list each interface in one VRF only (a second VRF listing it would lose it to the first). The
 * built-in `main` VRF (`interfaces=all`) is not managed.
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/vrf";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique VRF name, also the name of its routing table; the natural key (a rename replaces). Not `main`. Property `name`. */
    name: routerosName.refine((n) => n !== "main", "must not be main (the built-in VRF)"),
    /**
     * Interfaces the VRF owns (at least one; they must exist); a set, sorted and de-duplicated, e.g.
     * `["wg-transit"]`. Property `interfaces`.
     */
    interfaces: z
      .array(interfaceName)
      .min(1, "must list at least one interface")
      .refine(
        (xs) => !xs.some((x) => x === "all" || x === "none"),
        "must list interface names (all/none are not managed)",
      )
      .transform((xs) => [...new Set(xs)].sort()),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type VrfInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-vrf",
  docs: "https://help.mikrotik.com/docs/display/ROS/Virtual+Routing+and+Forwarding",
  schema,
  menu: "/ip/vrf",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    interfaces: prop.set("interfaces"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
