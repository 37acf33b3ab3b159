/**
 * `/routing/bgp/instance` (RouterOS 7.20+): a BGP instance, keyed by its unique `name`; the identity tag is kept
 * in `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/BGP (routeros-cli.md §5.4).
 * Before 7.20 the menu does not exist (instances are inferred from `router-id`): this kind fails there with an error
 * saying so, and BgpSession/BgpTemplate take `routerId` instead (bgp-common.ts).
 *
 * Adopt (`adopt: true`): an existing item is found by `name` (the natural key of a named menu); destroy puts its
 * original values back (`adoptedDestroy` default "restore"; secrets are left as they are) and never removes it.
 */
import { z } from "zod";
import { asNumber } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { requireBgpInstanceModel } from "../../routeros/version";
import { routerId } from "./bgp-common";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/bgp-instance";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique instance name on the device; the natural key (a rename replaces the instance). */
    name: routerosName,
    /** Local AS number. Property `as`. */
    as: asNumber,
    /** Router id: an IPv4 address or a `/routing/id` name; device default `main`. Property `router-id`. */
    routerId: routerId.default("main"),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type BgpInstanceInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-bgp-instance",
  docs: "https://help.mikrotik.com/docs/display/ROS/BGP",
  schema,
  menu: "/routing/bgp/instance",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    as: prop.int("as"),
    routerId: prop.text("router-id"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  requires: requireBgpInstanceModel,
});
