/**
 * `RouterOsItem`: one item of any RouterOS menu with the properties you give, for menus routerstack has no typed
 * kind for (`/ip/dns/static`, `/ip/firewall/address-list`, `/system/note`…). Docs: the menu's page under
 * https://help.mikrotik.com/docs/display/ROS (CLI verbs: https://help.mikrotik.com/docs/x/xgEF, routeros-cli.md §3).
 *
 * - Identity: the tag in `comment` (identity-tag.ts); with `name`, the item is found by its unique name and is ours
 *   when it carries the tag (another owner's item of that name needs `adopt`). Adopting writes the tag into its
 *   comment; destroy then puts the declared properties and the comment back as they were and keeps the item.
 *   Without `name` there is no natural key: `adopt` cannot find an untagged item (it creates one).
 * - Only the declared properties are read back and compared; other properties of the item are not drift.
 *   Values are compared in the declared form: a device `true` equals `true` or `"yes"`, `00:00:30` equals `"30s"`.
 * - A property removed from `properties` is unset (`!prop`); menus without `unset` (address-list, lte/apn,
 *   §3.1) refuse that and the update fails with the device's message — replace the resource instead.
 * - `singleton: true` (`/system/note`, `/ip/dns`): `set` only, no comment, no `name`. Choice: destroy puts back
 *   the values the declared properties had before the first write (kept in the resource id); a property that
 *   was unset before keeps our value [I: whether singletons accept `!prop` is not in the reference], and a
 *   property first added by a later update is left as set. Two resources on one singleton fight: nothing on the
 *   device can tell them apart.
 * - Presence flags (`fib`, `blackhole`) cannot be expressed: `prop=yes` is refused (§3.1).
 * - Values are not treated as secrets here (they show in outputs and the preview; a singleton's earlier values are
 *   kept in the secret output `adoptionRecord`, not in the id): use a typed kind for passwords.
 */
import { z } from "zod";
import { LONE_SURROGATE } from "../common";
import { quote } from "../../routeros/codec";
import { ItemDriver, type ItemInputs } from "../../routeros/item-driver";
import type { ResourceKind } from "../kind";
import { routerosName, userComment } from "./fields";

/** Slash-separated lowercase words: `/ip/dns/static`, `/routing/bgp/template`. */
const MENU = /^(\/[a-z][a-z0-9-]*)+$/;
/** RouterOS property names: `dst-address`, `local.role`, `output.default-originate`. */
const PROPERTY = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;
/** One quoted value must leave room on the 4 KB exec line (§1.3) for the command and the envelope. */
const MAX_QUOTED_BYTES = 3000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const text = z
  .string()
  .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no unpaired surrogate)")
  .refine((s) => !CONTROL.test(s), "must not contain control characters other than tab and line breaks")
  .refine(
    (s) => quote(s).text.length <= MAX_QUOTED_BYTES,
    `is too long: at most ${MAX_QUOTED_BYTES} bytes once quoted for the RouterOS command line`,
  );

const listItem = z
  .string()
  .min(1, "must not be empty")
  .refine((s) => !s.includes(","), "must not contain a comma (RouterOS lists are comma-separated)")
  // eslint-disable-next-line no-control-regex
  .refine((s) => !LONE_SURROGATE.test(s) && !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

const value = z.union([text, z.number().finite("must be a finite number"), z.boolean(), z.array(listItem)], {
  error: "must be a string, a number, a boolean or a list of strings",
});

export const schema = z
  .object({
    /** Menu path, slash-separated lowercase words, e.g. `/ip/dns/static`. A change replaces the item. */
    menu: z.string().regex(MENU, "must be a menu path of slash-separated lowercase words, such as /ip/dns/static"),
    /**
     * RouterOS property name (verbatim, e.g. `address`, `match-subdomain`) → value: text, a number, a boolean
     * (`yes`/`no` on the device) or a list (comma-joined). Every value goes quoted through the codec. Not
     * `comment`/`name` (use the inputs of those names) on list menus. Default none.
     */
    properties: z.record(z.string(), value).default({}),
    /** `set` the menu's only item instead of adding one (e.g. `/ip/dns`, `/system/note`). Default false. */
    singleton: z.boolean().default(false),
    /** Unique `name` of the item in named menus (`/routing/table`): found by it; a rename replaces. */
    name: routerosName.optional(),
    /** Your own comment, stored after the identity tag in `comment`. Not for singletons. */
    comment: userComment.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    // Checked here rather than as the record's key schema so the error names the property and says why.
    for (const p of Object.keys(r.properties)) {
      if (!PROPERTY.test(p))
        ctx.addIssue({
          code: "custom",
          path: ["properties", p],
          message: "is not a property name: property names are lowercase words joined by - or ., such as dst-address",
        });
    }
    if (r.singleton) {
      if (Object.keys(r.properties).length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["properties"],
          message: "must set at least one property of a singleton menu",
        });
      for (const f of ["name", "comment"] as const) {
        if (r[f] !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [f],
            message: `is not used with singleton: true (a singleton has no ${f} to find it by); put it in properties`,
          });
      }
      return;
    }
    for (const p of ["comment", "name"]) {
      if (p in r.properties)
        ctx.addIssue({
          code: "custom",
          path: ["properties", p],
          message: `must not be set here: use the ${p} input (comment carries the identity tag)`,
        });
    }
  });

export type RouterOsItemInputs = z.output<typeof schema>;

export const kind: ResourceKind<ItemInputs> = {
  name: "routeros-item",
  platform: "routeros",
  schema: schema as unknown as z.ZodType<ItemInputs>,
  replaceOn: ["menu", "singleton", "name"],
  // Named menus refuse a second item of the same name.
  deleteBeforeReplace: true,
  secrets: [],
  docs: "https://help.mikrotik.com/docs/x/xgEF",
  adoption: {
    naturalKey: ["name"],
    onDestroy: "restore",
    note: "`name` (named menus; a singleton is always taken over and restored): destroy puts the declared properties and comment back",
  },
  driver: new ItemDriver(),
};
