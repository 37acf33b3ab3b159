/**
 * `/interface/lte/apn`: an LTE APN profile, keyed by its unique `name`; the identity tag is kept in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/LTE (routeros-cli.md §5.7). The profile takes effect once the
 * modem lists it: `/interface/lte set lte1 apn-profiles=<name>` (not managed here).
 *
 * The menu has no `unset` and no `disable`/`enable` (§3.1 [S RESTRAML 7.24]), so an optional input without a
 * device default (`apn`, `user`, `password`, `ipType`) cannot be removed in place: any change of one of them
 * replaces the profile (remove, then add; names are unique). Whether RouterOS lets a profile that an LTE interface
 * still lists be removed is [I]. The built-in `default` profile is not managed (it cannot be removed).
 * `password` is a secret: compared through a hash, and masked in reads from 7.21 [I].
 *
 * Adopt (`adopt: true`): an existing item is found by `name` (the natural key of a named menu); destroy puts its
 * original values back (`adoptedDestroy` default "restore"; secrets are left as they are) and never removes it.
 */
import { z } from "zod";
import { freeText } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { routerosName, secretText, userComment } from "./fields";
import * as derived from "./generated/modem-profile";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique profile name on the device; the natural key (a rename replaces). Not `default` (built in). */
    name: routerosName.refine((n) => n !== "default", "must not be default (the built-in profile)"),
    /** Access point name, e.g. `internet`; unset = none (the network's). Property `apn`. Changing it replaces. */
    apn: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "must be an APN of letters, digits, . _ - (at most 100)")
      .optional(),
    /** Property `authentication`: `none` (default), `pap`, `chap`. */
    authentication: z.enum(["none", "pap", "chap"]).default("none"),
    /** Property `user`. Changing or removing it replaces the profile. */
    user: freeText.min(1, "must not be empty").optional(),
    /** Secret. Property `password`. Changing or removing it replaces the profile. */
    password: secretText.optional(),
    /**
     * Property `ip-type`; device default when unset. The reference lists `auto|ipv4|ipv6` (7.21 completion [S DEEP])
     * but `ipv4|ipv4-ipv6|ipv6` in the docs [D]; all four are accepted here and the device rejects what its version
     * does not know. Changing or removing it replaces the profile.
     */
    ipType: z.enum(["auto", "ipv4", "ipv4-ipv6", "ipv6"]).optional(),
    /** Use the DNS servers the network sends; default true. Property `use-peer-dns`. */
    usePeerDns: z.boolean().default(true),
    /** Add a default route via the LTE interface; default true [I: default not in the reference]. Property `add-default-route`. */
    addDefaultRoute: z.boolean().default(true),
    /** Distance of that default route, 1..255; default 2 (behind wired routes, §5.7). Property `default-route-distance`. */
    defaultRouteDistance: z.number().int().min(1).max(255).default(2),
    comment: userComment.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.authentication !== "none" && r.user === undefined) {
      ctx.addIssue({ code: "custom", path: ["user"], message: `is required for authentication ${r.authentication}` });
    }
  });

export type ModemProfileInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-modem-profile",
  docs: "https://help.mikrotik.com/docs/display/ROS/LTE",
  schema,
  menu: "/interface/lte/apn",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    apn: prop.text("apn"),
    authentication: prop.text("authentication"),
    user: prop.text("user"),
    password: prop.text("password"),
    ipType: prop.text("ip-type"),
    usePeerDns: prop.bool("use-peer-dns"),
    addDefaultRoute: prop.bool("add-default-route"),
    defaultRouteDistance: prop.int("default-route-distance"),
  },
  // No `unset` on this menu (§3.1): the optional inputs without a device default replace instead of unsetting.
  replaceOn: ["name", "apn", "user", "password", "ipType"],
  deleteBeforeReplace: true,
  secrets: ["password"],
});
