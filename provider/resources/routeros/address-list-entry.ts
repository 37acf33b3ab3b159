/**
 * `/ip/firewall/address-list`: one static entry of a firewall address list, found by the identity tag in
 * `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/Address-lists (routeros-cli.md §5.10).
 *
 * - `list` + `address` must be unique on the device (`failure: already have such entry`, §4.1): an entry an admin
 *   already made for the same pair makes create fail with that device error (it carries no identity tag, so
 *   `adopt` cannot find it).
 * - `timeout` is not an input: an entry with a timeout is dynamic — RouterOS counts it down and removes it
 *   (§5.10: "timeout (→ dynamic entry)", the captured `D … timeout=4m52s` [V NTC]) — so it is not configuration a
 *   stack can converge (a refresh would see the remaining time as drift, then the entry as gone); dynamic
 *   address-list entries are not ours to track (§2.4).
 * - The menu has no `unset` (§3.1 [S]); no input of this kind ever needs one (`comment` always carries the tag,
 *   `disabled` has a default), so every change is made in place.
 * - IPv4 only; IPv6 lists live in `/ipv6/firewall/address-list`, not covered by the reference.
 *
 * Adopt (`adopt: true`): an existing untagged item is found by its natural key `list` + `address` (unique on the
 * device, §4.1); destroy puts its original values back (`adoptedDestroy` default "restore") and never removes it.
 */
import { z } from "zod";
import { Validator } from "ip-num";
import { ipv4Address, ipv4Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/address-list-entry";

/** A DNS name: dot-separated labels of letters, digits and `-`, whose last label is not all digits. */
const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

const ipToNumber = (s: string) => s.split(".").reduce((n, o) => n * 256 + Number(o), 0);

/**
 * `address`: an IPv4 address, prefix (`/32` is written as the bare address [I: RouterOS's own display of `/32`]),
 * range `a-b` (a ≤ b), or a DNS name RouterOS resolves and keeps refreshed (§5.10).
 */
const entryAddress = z.string().transform((s, ctx) => {
  if (ipv4Address.safeParse(s).success) return ipv4Address.parse(s);
  if (s.includes("/")) {
    const p = ipv4Prefix.safeParse(s);
    if (p.success) return p.data.endsWith("/32") ? p.data.slice(0, -3) : p.data;
  } else if (s.includes("-") && /^[0-9.]+-[0-9.]+$/.test(s)) {
    const [a, b] = s.split("-");
    if (Validator.isValidIPv4String(a)[0] && Validator.isValidIPv4String(b)[0]) {
      const [x, y] = [ipv4Address.parse(a), ipv4Address.parse(b)];
      if (ipToNumber(x) <= ipToNumber(y)) return `${x}-${y}`;
      ctx.addIssue({ code: "custom", message: "range must go from the lower to the higher address" });
      return z.NEVER;
    }
  } else if (DNS_NAME.test(s) && !/^[0-9.]+$/.test(s) && !/\.[0-9]+$/.test(s)) {
    return s;
  }
  ctx.addIssue({ code: "custom", message: "must be an IPv4 address, prefix (no host bits), range a-b, or DNS name" });
  return z.NEVER;
});

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Address list name (created implicitly by its first entry). Property `list`. */
    list: routerosName,
    /** Property `address`. */
    address: entryAddress,
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type AddressListEntryInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-address-list-entry",
  docs: "https://help.mikrotik.com/docs/display/ROS/Address-lists",
  schema,
  menu: "/ip/firewall/address-list",
  identity: { by: "comment" },
  naturalKey: ["list", "address"],
  commentField: "comment",
  notInputs: {
    timeout: "an entry with a timeout is dynamic: RouterOS counts it down and removes it (see above)",
    dynamic: "dynamic entries are not configuration a stack converges (routeros-cli.md §2.4)",
  },
  props: {
    ...derived.props,
    list: prop.text("list"),
    address: prop.text("address"),
    disabled: prop.bool("disabled"),
  },
  outputs: { dynamic: "dynamic" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
