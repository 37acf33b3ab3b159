/**
 * `/ip/address` and `/ipv6/address`: an address on an interface; the family (and so the menu) follows
 * `address`, as for StaticRoute. Found by the identity tag in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/IP+Addressing (routeros-cli.md §2.2, T5–T9: `address`,
 * `interface`, `network`, `comment`, `disabled`). The interface must exist (T8: `input does not match any value of
 * interface`); the same address twice on one interface is refused (§4.1 `failure: already have such address`).
 * RouterOS derives IPv4 `network` from the address (output `network`); the derived `network` input overrides it
 * (a point-to-point /32 whose network is the peer). IPv6-only properties (`advertise`, `eui-64`, `no-dad`) are
 * derived inputs, left at their device defaults unless declared; on `/ip/address` they are refused before any write.
 * A change of family moves the item.
 */
import { z } from "zod";
import { interfaceName, ipv4Address, ipv6Address } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, userComment } from "./fields";
import * as derived from "./generated/ip-address";

/** `ip/len` with the host bits kept (the router's own address in the subnet), normalised. */
const interfaceAddress = z.string().transform((s, ctx) => {
  const [ip, len, ...extra] = s.split("/");
  const n = len !== undefined && /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (extra.length === 0) {
    const v4 = ipv4Address.safeParse(ip);
    if (v4.success && n <= 32) return `${v4.data}/${n}`;
    const v6 = ipv6Address.safeParse(ip);
    if (v6.success && n <= 128) return `${v6.data}/${n}`;
  }
  ctx.addIssue({
    code: "custom",
    message: "must be an address with its prefix length, such as 192.0.2.1/29 or 2001:db8:6::1/64",
  });
  return z.NEVER;
});

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** The address and prefix length, e.g. `198.51.100.2/30`, `2001:db8:6::1/64`. Property `address`. */
    address: interfaceAddress,
    /** Interface the address is on (must exist), e.g. `vlan6`. Property `interface`. */
    interface: interfaceName,
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type IpAddressInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-ip-address",
  docs: "https://help.mikrotik.com/docs/display/ROS/IP+Addressing",
  schema,
  menu: (i) => (i.address.includes(":") ? "/ipv6/address" : "/ip/address"),
  importMenus: ["/ip/address", "/ipv6/address"],
  identity: { by: "comment" },
  // The same address may sit on two interfaces; both together name the item.
  naturalKey: ["address", "interface"],
  commentField: "comment",
  props: {
    ...derived.props,
    address: prop.text("address"),
    interface: prop.text("interface"),
    disabled: prop.bool("disabled"),
  },
  outputs: { network: "network", actualInterface: "actual-interface", invalid: "invalid" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
