/**
 * `/interface/list/member`: one interface in an interface list (used by firewall `in-interface-list`/
 * `out-interface-list`, e.g. defconf's `WAN` and `LAN`), found by the identity tag in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Interface+Lists. routeros-cli.md does not describe this menu:
 * its properties, the built-in lists and the duplicate error are [I]. The list must exist (defconf's `LAN`/`WAN`
 * or one made by hand); the built-in lists `all`, `none`, `dynamic`, `static` are computed by RouterOS and take
 * no members.
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/interface-list-member";

const BUILTIN_LISTS = ["all", "none", "dynamic", "static"];

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Interface list (must exist), e.g. `WAN`. Property `list`. */
    list: routerosName.refine(
      (l) => !BUILTIN_LISTS.includes(l),
      `must not be a built-in list (${BUILTIN_LISTS.join(", ")})`,
    ),
    /** Member interface (must exist), e.g. `l2tp-backup`. Property `interface`. */
    interface: interfaceName,
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type InterfaceListMemberInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-interface-list-member",
  docs: "https://help.mikrotik.com/docs/display/ROS/Interface+Lists",
  schema,
  menu: "/interface/list/member",
  identity: { by: "comment" },
  naturalKey: ["list", "interface"],
  commentField: "comment",
  props: {
    ...derived.props,
    list: prop.text("list"),
    interface: prop.text("interface"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: [],
  deleteBeforeReplace: false,
});
