/**
 * `/ipv6/dhcp-client`: a DHCPv6 client on an interface (prefix delegation from the ISP over the uplink), found by
 * the identity tag in `comment`; with `adopt: true` an existing client is found by its `interface`. Docs:
 * https://help.mikrotik.com/docs/display/ROS/DHCP (section "DHCPv6 Client"). Property names from RouterOS's own
 * schema (provider/routeros/catalogue.generated.ts); defaults from the manual's property table.
 */
import { z } from "zod";
import { interfaceName, ipv6Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
import * as derived from "./generated/ipv6-dhcp-client";

export const schema = z
  .object({
    // Every other add/set argument of the menu, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Interface the client runs on (must exist), e.g. `pppoe-gpon`; the natural key. Property `interface`. */
    interface: interfaceName,
    /** What to ask for, a set of `info`, `address`, `prefix`; at least one. Property `request`. */
    request: z
      .array(z.enum(["info", "address", "prefix"]))
      .min(1, "must ask for at least one of info, address, prefix")
      .transform((xs) => [...new Set(xs)].sort()),
    /** `/ipv6/pool` the delegated prefix goes into (needed with `prefix`), e.g. `gpon-pd`. Property `pool-name`. */
    poolName: routerosName.optional(),
    /** Prefix length of the pool's pieces handed to LANs, 0..128; default 64. Property `pool-prefix-length`. */
    poolPrefixLength: z.number().int().min(0).max(128).default(64),
    /** Prefix size hint sent to the server, e.g. `::/56`; default `::/0` (no hint). Property `prefix-hint`. */
    prefixHint: ipv6Prefix.default("::/0"),
    /** Install a default route via the server; default false. Property `add-default-route`. */
    addDefaultRoute: z.boolean().default(false),
    /** Use the DNS servers the server gives; default true. Property `use-peer-dns`. */
    usePeerDns: z.boolean().default(true),
    /** Two-message exchange (rapid commit); default true. Property `rapid-commit`. */
    rapidCommit: z.boolean().default(true),
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.request.includes("prefix") && c.poolName === undefined)
      ctx.addIssue({ code: "custom", path: ["poolName"], message: "is required when request includes prefix" });
  });

export type Ipv6DhcpClientInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-ipv6-dhcp-client",
  docs: "https://help.mikrotik.com/docs/display/ROS/DHCP",
  schema,
  menu: "/ipv6/dhcp-client",
  identity: { by: "comment" },
  naturalKey: ["interface"],
  commentField: "comment",
  props: {
    ...derived.props,
    interface: prop.text("interface"),
    request: prop.set("request"),
    poolName: prop.text("pool-name"),
    poolPrefixLength: prop.int("pool-prefix-length"),
    prefixHint: prop.text("prefix-hint"),
    addDefaultRoute: prop.bool("add-default-route"),
    usePeerDns: prop.bool("use-peer-dns"),
    rapidCommit: prop.bool("rapid-commit"),
    disabled: prop.bool("disabled"),
  },
  outputs: { status: "status", prefix: "prefix" },
  replaceOn: [],
  deleteBeforeReplace: false,
});
