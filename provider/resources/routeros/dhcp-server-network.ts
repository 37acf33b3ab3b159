/**
 * `/ip/dhcp-server/network`: the options a DHCPv4 server hands out for one subnet (gateway, DNS, domain), found by
 * the identity tag in `comment`; with `adopt: true` an existing entry is found by its `address` (one entry per
 * subnet). Docs: https://help.mikrotik.com/docs/display/ROS/DHCP (section "Networks"). Property names from
 * RouterOS's own schema (provider/routeros/catalogue.generated.ts).
 */
import { z } from "zod";
import { ipv4Address, ipv4Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { userComment } from "./fields";
import * as derived from "./generated/dhcp-server-network";

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** The subnet, e.g. `192.168.88.0/24` (no host bits); the natural key. Property `address`. */
    address: ipv4Prefix,
    /** Default gateways handed out, in order (usually the router's address); default none. Property `gateway`. */
    gateway: z.array(ipv4Address).optional(),
    /** DNS servers handed out, in order; default none (clients get the router's when it serves DNS [I]). Property `dns-server`. */
    dnsServer: z.array(ipv4Address).optional(),
    /** NTP servers handed out, in order; default none. Property `ntp-server`. */
    ntpServer: z.array(ipv4Address).optional(),
    /** DNS domain handed out (option 15), e.g. `lan.example`; default none. Property `domain`. */
    domain: z
      .string()
      .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/, "must be a domain name such as lan.example")
      .optional(),
    /** Prefix length handed out when it differs from the subnet's, 0..32; default none (the subnet's). Property `netmask`. */
    netmask: z.number().int().min(0).max(32).optional(),
    comment: userComment.optional(),
  })
  .strict();

export type DhcpServerNetworkInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-dhcp-server-network",
  docs: "https://help.mikrotik.com/docs/display/ROS/DHCP",
  schema,
  menu: "/ip/dhcp-server/network",
  identity: { by: "comment" },
  naturalKey: ["address"],
  commentField: "comment",
  props: {
    ...derived.props,
    address: prop.text("address"),
    gateway: prop.list("gateway"),
    dnsServer: prop.list("dns-server"),
    ntpServer: prop.list("ntp-server"),
    domain: prop.text("domain"),
    netmask: prop.int("netmask"),
  },
  replaceOn: [],
  deleteBeforeReplace: false,
});
