/**
 * `/ipv6/nd`: router advertisements on one interface (SLAAC on a LAN), found by the identity tag in `comment`; with
 * `adopt: true` an existing entry is found by its `interface`. RouterOS ships a default entry for `interface=all`;
 * an entry for a named interface takes precedence on it. Docs:
 * https://help.mikrotik.com/docs/display/ROS/IPv6+Neighbor+Discovery. Property names from RouterOS's own schema
 * (provider/routeros/catalogue.generated.ts); defaults from the manual's property table.
 */
import { z } from "zod";
import { durationSeconds, interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, userComment } from "./fields";
import * as derived from "./generated/ipv6-nd";

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Interface advertised on (must exist), e.g. `bridge`; the natural key. Property `interface`. */
    interface: interfaceName,
    /** Advertise DNS servers (RDNSS): `yes` (the router's `/ip/dns` servers), `no`, `self` (the router); default `yes`. Property `advertise-dns`. */
    advertiseDns: z.enum(["yes", "no", "self"]).default("yes"),
    /** Include the router's MAC (source link-layer option); default true. Property `advertise-mac-address`. */
    advertiseMacAddress: z.boolean().default(true),
    /** M flag: hosts get addresses from DHCPv6; default false. Property `managed-address-configuration`. */
    managedAddressConfiguration: z.boolean().default(false),
    /** O flag: hosts get other settings (DNS) from DHCPv6; default false. Property `other-configuration`. */
    otherConfiguration: z.boolean().default(false),
    /** Router lifetime in seconds (or `"30m"`), 0..9000 (0: not a default router); default 1800. Property `ra-lifetime`. */
    raLifetime: durationSeconds
      .refine((s) => s <= 9000, "must be at most 9000 seconds (2h30m)")
      .default(1800)
      .meta({ unit: "seconds" }),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type Ipv6NdInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-ipv6-nd",
  docs: "https://help.mikrotik.com/docs/display/ROS/IPv6+Neighbor+Discovery",
  schema,
  menu: "/ipv6/nd",
  identity: { by: "comment" },
  naturalKey: ["interface"],
  commentField: "comment",
  props: {
    ...derived.props,
    interface: prop.text("interface"),
    advertiseDns: prop.text("advertise-dns"),
    advertiseMacAddress: prop.bool("advertise-mac-address"),
    managedAddressConfiguration: prop.bool("managed-address-configuration"),
    otherConfiguration: prop.bool("other-configuration"),
    raLifetime: prop.duration("ra-lifetime"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: [],
  deleteBeforeReplace: false,
});
