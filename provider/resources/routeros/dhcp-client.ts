/**
 * `/ip/dhcp-client`: a DHCPv4 client on an interface (a DHCP uplink), found by the identity tag in `comment`; with
 * `adopt: true` an existing client is found by its `interface` (one client per interface). Docs:
 * https://help.mikrotik.com/docs/display/ROS/DHCP (section "DHCP Client"). Property names from RouterOS's own
 * schema (provider/routeros/catalogue.generated.ts); defaults from the manual's property table.
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, userComment } from "./fields";
import * as derived from "./generated/dhcp-client";

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Interface the client runs on (must exist), e.g. `ether1`; the natural key. Property `interface`. */
    interface: interfaceName,
    /**
     * Install a default route from the lease: `yes`, `no`, or `special-classless` (the classless routes and the
     * default); default `yes`. Property `add-default-route`.
     */
    addDefaultRoute: z.enum(["yes", "no", "special-classless"]).default("yes"),
    /** Distance of that default route, 0..255; default 1. Property `default-route-distance`. */
    defaultRouteDistance: z.number().int().min(0).max(255).default(1),
    /** Use the DNS servers of the lease; default true. Property `use-peer-dns`. */
    usePeerDns: z.boolean().default(true),
    /** Use the NTP servers of the lease; default true. Property `use-peer-ntp`. */
    usePeerNtp: z.boolean().default(true),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type DhcpClientInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-dhcp-client",
  docs: "https://help.mikrotik.com/docs/display/ROS/DHCP",
  schema,
  menu: "/ip/dhcp-client",
  identity: { by: "comment" },
  naturalKey: ["interface"],
  commentField: "comment",
  props: {
    ...derived.props,
    interface: prop.text("interface"),
    addDefaultRoute: prop.text("add-default-route"),
    defaultRouteDistance: prop.int("default-route-distance"),
    usePeerDns: prop.bool("use-peer-dns"),
    usePeerNtp: prop.bool("use-peer-ntp"),
    disabled: prop.bool("disabled"),
  },
  outputs: { status: "status", address: "address", gateway: "gateway" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
