/**
 * `/interface/list`: a named interface list (the `WAN`/`LAN` of defconf; firewall `in-interface-list=` and
 * `/interface/list/member` refer to it), keyed by its unique `name`; the identity tag is kept in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Interface+Lists. Arguments (`name`, `include`, `exclude`,
 * `comment`; no `disabled`) from RouterOS's own schema (provider/routeros/catalogue.generated.ts). The built-in
 * lists `all`, `none`, `dynamic`, `static` are computed by RouterOS and cannot be declared; defconf's `WAN`/`LAN`
 * exist on most routers and are taken over with `adopt: true` (restored, never removed, on destroy).
 */
import { z } from "zod";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { routerosName, userComment } from "./fields";
import * as derived from "./generated/interface-list";

export const BUILTIN_LISTS = ["all", "none", "dynamic", "static"];

const listName = routerosName;

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /**
     * Unique list name, e.g. `WAN`; the natural key (a rename replaces the list). Not a built-in list
     * (`all`, `none`, `dynamic`, `static`). Property `name`.
     */
    name: listName.refine(
      (n) => !BUILTIN_LISTS.includes(n),
      `must not be a built-in list (${BUILTIN_LISTS.join(", ")})`,
    ),
    /** Lists whose members are members of this one too, in order; default none. Property `include`. */
    include: z.array(listName).optional(),
    /** Lists whose members are taken out of this one, in order; default none. Property `exclude`. */
    exclude: z.array(listName).optional(),
    comment: userComment.optional(),
  })
  .strict();

export type InterfaceListInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-interface-list",
  docs: "https://help.mikrotik.com/docs/display/ROS/Interface+Lists",
  schema,
  menu: "/interface/list",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    include: prop.list("include"),
    exclude: prop.list("exclude"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
