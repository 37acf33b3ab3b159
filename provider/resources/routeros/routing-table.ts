/**
 * `/routing/table`: a routing table for policy routing, keyed by its unique `name`; the identity tag is kept in
 * `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/Policy+Routing (routeros-cli.md §5.2, §7).
 * In RouterOS 7 a table must exist before routes (`routing-table=`), rules (`table=`) or mangle
 * (`new-routing-mark=`) use it; at most 4096 tables [D DOC-PBR]. The built-in `main` table is dynamic and is not
 * managed here.
 *
 * Adopt (`adopt: true`): an existing item is found by `name` (the natural key of a named menu); destroy puts its
 * original values back (`adoptedDestroy` default "restore"; secrets are left as they are) and never removes it.
 */
import { z } from "zod";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/routing-table";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique table name on the device; the natural key (a rename replaces the table). Not `main` (built in). */
    name: routerosName.refine((n) => n !== "main", "must not be main (the built-in table)"),
    /**
     * Property `fib`, a presence flag: the table's routes are pushed to the forwarding table, which policy routing
     * needs. Default false (a table for route lookups only). Changing it replaces the table: Terraform's RouterOS
     * provider treats `fib` as ForceNew (routeros-cli.md §5.2 [TF]); whether `set … !fib` clears it in place is [I].
     * The replace removes the table before adding it again (names are unique), so routes and rules naming it are
     * briefly without their table; whether RouterOS refuses to remove a table in use is [I].
     */
    fib: z.boolean().default(false),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type RoutingTableInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-routing-table",
  docs: "https://help.mikrotik.com/docs/display/ROS/Policy+Routing",
  schema,
  menu: "/routing/table",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    fib: prop.flag("fib"),
    disabled: prop.bool("disabled"),
  },
  outputs: { invalid: "invalid" },
  replaceOn: ["name", "fib"],
  deleteBeforeReplace: true,
});
