/**
 * `/ip/dhcp-server`: a DHCPv4 server on an interface, keyed by its unique `name`; the identity tag is kept in
 * `comment`. Its subnets' options are `/ip/dhcp-server/network` entries (routeros.DhcpServerNetwork). Docs:
 * https://help.mikrotik.com/docs/display/ROS/DHCP (section "DHCP Server"). Property names from RouterOS's own
 * schema (provider/routeros/catalogue.generated.ts); defaults from the manual's property table.
 */
import { z } from "zod";
import { durationSeconds, interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/dhcp-server";

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique server name, e.g. `dhcp-lan`; the natural key (a rename replaces the server). Property `name`. */
    name: routerosName,
    /** Interface it serves (must exist), e.g. `bridge`. Property `interface`. */
    interface: interfaceName,
    /**
     * `/ip/pool` name to lease from, or `static-only` (only static leases); default `static-only`. Property
     * `address-pool`.
     */
    addressPool: routerosName.default("static-only"),
    /** Lease time in seconds (or `"30m"`, `"1d"`), 1 s or more; default 1800 (30m). Property `lease-time`. */
    leaseTime: durationSeconds
      .refine((s) => s >= 1, "must be at least 1 second")
      .default(1800)
      .meta({ unit: "seconds" }),
    /**
     * Answer clients whose request is not for this server: `yes`, `no`, `after-2sec-delay`, `after-10sec-delay`;
     * default `yes`. Property `authoritative`.
     */
    authoritative: z.enum(["yes", "no", "after-2sec-delay", "after-10sec-delay"]).default("yes"),
    /** Add an ARP entry per lease (for `arp=reply-only` interfaces); default false. Property `add-arp`. */
    addArp: z.boolean().default(false),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type DhcpServerInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-dhcp-server",
  docs: "https://help.mikrotik.com/docs/display/ROS/DHCP",
  schema,
  menu: "/ip/dhcp-server",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    interface: prop.text("interface"),
    addressPool: prop.text("address-pool"),
    leaseTime: prop.duration("lease-time"),
    authoritative: prop.text("authoritative"),
    addArp: prop.bool("add-arp"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
