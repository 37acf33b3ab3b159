/**
 * `/system/script`: a named script, keyed by its unique `name`; the identity tag is kept in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/Scripting. The menu is not in routeros-cli.md: its property
 * names, defaults and policy list follow the manual and are [I] until checked on a device.
 *
 * The body is sent quoted and escaped (§3.3), never interpreted on the way, and must fit one exec line (the same
 * limit as netwatch scripts: MAX_SCRIPT_QUOTED_BYTES). A script runs when something calls it
 * (`/system/script/run`, a Scheduler's `onEvent`, netwatch); this kind only stores it.
 */
import { z } from "zod";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { routerosName, scriptText, userComment } from "./fields";
import * as derived from "./generated/script";

/** RouterOS 7 script policies [I: the manual's list]. */
export const POLICIES = [
  "ftp",
  "password",
  "policy",
  "read",
  "reboot",
  "romon",
  "sensitive",
  "sniff",
  "test",
  "write",
] as const;

/**
 * A policy set: a subset of POLICIES, order-free (normalised sorted, as it reads back). Default: every policy,
 * which is what RouterOS gives a script or job added without `policy=` [I].
 */
export const policySet = z
  .array(z.enum(POLICIES))
  .min(1, "must name at least one policy")
  .refine((xs) => new Set(xs).size === xs.length, "must not repeat a policy")
  .transform((xs) => [...xs].sort())
  .default([...POLICIES]);

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique script name on the device; the natural key (a rename replaces the script). Property `name`. */
    name: routerosName,
    /** The script body (line breaks allowed); default empty. Property `source`. */
    source: scriptText.default(""),
    /** What the script may do, e.g. `["read", "write", "test"]`; default all policies [I]. Property `policy`. */
    policy: policySet,
    /**
     * Let the script run with the policies of whoever calls it even when it has fewer; default false [I].
     * Property `dont-require-permissions`.
     */
    dontRequirePermissions: z.boolean().default(false),
    comment: userComment.optional(),
  })
  .strict();

export type ScriptInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-script",
  docs: "https://help.mikrotik.com/docs/display/ROS/Scripting",
  schema,
  menu: "/system/script",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    source: prop.text("source"),
    policy: prop.set("policy"),
    dontRequirePermissions: prop.bool("dont-require-permissions"),
  },
  outputs: { owner: "owner", runCount: "run-count" },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
