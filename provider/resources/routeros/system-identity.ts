/**
 * `/system/identity`: the router's name (shown in the prompt, Winbox, LLDP/MNDP), a singleton menu: routerstack only
 * ever `set`s it. Create records the name before (kept as the secret output `adoptionRecord`); destroy sets it back.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Identity. Property `name` from RouterOS's own schema
 * (provider/routeros/catalogue.generated.ts; `set` only). A fresh RouterOS is named `MikroTik`.
 */
import { z } from "zod";
import { freeText } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";

export const schema = z
  .object({
    /** The router's name, 1..64 characters [I: RouterOS's limit], e.g. `crs-site-a`. Property `name`. */
    name: freeText.pipe(z.string().min(1, "must not be empty").max(64, "must be at most 64 characters")),
  })
  .strict();

export type SystemIdentityInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-system-identity",
  docs: "https://help.mikrotik.com/docs/display/ROS/Identity",
  schema,
  menu: "/system/identity",
  identity: { by: "singleton" },
  props: { name: prop.text("name") },
  replaceOn: [],
  deleteBeforeReplace: false,
});
