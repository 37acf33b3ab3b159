/**
 * `/interface/l2tp-client`: an L2TP tunnel client interface, keyed by its unique interface `name`; the identity
 * tag is kept in `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/L2TP (routeros-cli.md §5.9).
 * Typical failover use: a tunnel to a hosted endpoint carrying the site's public addresses, forced out of a
 * specific uplink by a RoutingRule on its `connectTo` address. Defaults not stated by the reference are marked
 * [I]. `password` and `ipsecSecret` are secrets: compared through a hash, masked in reads from 7.21 [I].
 *
 * Adopt (`adopt: true`): an existing item is found by `name` (the natural key of a named menu); destroy puts its
 * original values back (`adoptedDestroy` default "restore"; secrets are left as they are) and never removes it.
 */
import { z } from "zod";
import { interfaceName, ipAddress } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, secretText, userComment } from "./fields";
import { pppAllow, pppProfile, pppUser, usePeerDns } from "./ppp-common";
import * as derived from "./generated/l2tp-client";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique interface name, e.g. `l2tp-backup`; the natural key (a rename replaces the client). Property `name`. */
    name: interfaceName,
    /** Server address (required). Property `connect-to`. */
    connectTo: ipAddress,
    /** PPP user name; default empty. Property `user`. */
    user: pppUser,
    /** Secret. Property `password`. */
    password: secretText.optional(),
    /** `/ppp/profile` applied; default `default-encryption` [I]. Property `profile`. */
    profile: pppProfile.default("default-encryption"),
    /** Add a default route via the tunnel; default false (§5.9). Property `add-default-route`. */
    addDefaultRoute: z.boolean().default(false),
    /** Distance of that default route, 0..255; default 1 [I]. Property `default-route-distance`. */
    defaultRouteDistance: z.number().int().min(0).max(255).default(1),
    /** Property `use-peer-dns`: `no` (default [I]), `yes`, `exclusively` (§5.9). */
    usePeerDns: usePeerDns.default("no"),
    /** IPsec for the tunnel: `no` (default), `yes`, `required` [I: values and default]. Property `use-ipsec`. */
    useIpsec: z.enum(["no", "yes", "required"]).default("no"),
    /** Secret: IPsec pre-shared key, needed when `useIpsec` is not `no`. Property `ipsec-secret`. */
    ipsecSecret: secretText.optional(),
    /** Authentication protocols accepted (a set); device default (all) when unset. Property `allow`. */
    allow: pppAllow.optional(),
    /** Seconds without replies before the link is declared down; default 60 [I]. Property `keepalive-timeout`. */
    keepaliveTimeout: z.number().int().min(0).max(4294967295).default(60),
    /** Connect only when traffic needs the link; default false. Property `dial-on-demand`. */
    dialOnDemand: z.boolean().default(false),
    /** Local address the tunnel is sourced from. Property `src-address`. */
    srcAddress: ipAddress.optional(),
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.useIpsec !== "no" && r.ipsecSecret === undefined) {
      ctx.addIssue({ code: "custom", path: ["ipsecSecret"], message: `is required when useIpsec is ${r.useIpsec}` });
    }
    if (r.srcAddress !== undefined && r.srcAddress.includes(":") !== r.connectTo.includes(":")) {
      ctx.addIssue({
        code: "custom",
        path: ["srcAddress"],
        message: "must be of the same address family as connectTo",
      });
    }
  });

export type L2tpClientInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-l2tp-client",
  docs: "https://help.mikrotik.com/docs/display/ROS/L2TP",
  schema,
  menu: "/interface/l2tp-client",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    connectTo: prop.text("connect-to"),
    user: prop.text("user"),
    password: prop.text("password"),
    profile: prop.text("profile"),
    addDefaultRoute: prop.bool("add-default-route"),
    defaultRouteDistance: prop.int("default-route-distance"),
    usePeerDns: prop.text("use-peer-dns"),
    useIpsec: prop.text("use-ipsec"),
    ipsecSecret: prop.text("ipsec-secret"),
    allow: prop.set("allow"),
    keepaliveTimeout: prop.int("keepalive-timeout"),
    dialOnDemand: prop.bool("dial-on-demand"),
    srcAddress: prop.text("src-address"),
    disabled: prop.bool("disabled"),
  },
  outputs: { running: "running" },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: ["password", "ipsecSecret"],
});
