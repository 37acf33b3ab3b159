/**
 * `/interface/pppoe-client`: a PPPoE uplink interface, keyed by its unique interface `name`; the identity tag is
 * kept in `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/PPPoE (routeros-cli.md §5.9).
 * The reference topology's uplink is `pppoe-gpon` on ether1; an existing client is taken over only with `adopt`.
 * Defaults not stated by the reference (marked [I]) follow the lab emulator's table and RouterOS's docs.
 * `password` is a secret: compared through a hash, masked in reads from 7.21 [I].
 *
 * Adopt (`adopt: true`): an existing item is found by `name` (the natural key of a named menu); destroy puts its
 * original values back (`adoptedDestroy` default "restore"; secrets are left as they are) and never removes it.
 */
import { z } from "zod";
import { freeText, interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, secretText, userComment } from "./fields";
import { pppAllow, pppProfile, pppUser, usePeerDns } from "./ppp-common";
import * as derived from "./generated/pppoe-client";

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique interface name, e.g. `pppoe-gpon`; the natural key (a rename replaces the client). Property `name`. */
    name: interfaceName,
    /** Ethernet-like interface the PPPoE session runs on, e.g. `ether1` (required). Property `interface`. */
    interface: interfaceName,
    /** PPP user name; default empty. Property `user`. */
    user: pppUser,
    /** Secret. Property `password`. */
    password: secretText.optional(),
    /** PPPoE service name to ask for; default empty (any). Property `service-name`. */
    serviceName: freeText.default(""),
    /** Access concentrator to use; default empty (any). Property `ac-name`. */
    acName: freeText.default(""),
    /** `/ppp/profile` applied; default `default` [I]. Property `profile`. */
    profile: pppProfile.default("default"),
    /** Add a default route via the session; default false [I]. Property `add-default-route`. */
    addDefaultRoute: z.boolean().default(false),
    /** Distance of that default route, 0..255; default 1 [I]. Property `default-route-distance`. */
    defaultRouteDistance: z.number().int().min(0).max(255).default(1),
    /** Property `use-peer-dns`: `no` (default [I]), `yes`, `exclusively`. */
    usePeerDns: usePeerDns.default("no"),
    /** Connect only when traffic needs the link; default false. Property `dial-on-demand`. */
    dialOnDemand: z.boolean().default(false),
    /** Seconds without LCP echo replies before the link is declared down; default 10 [I]. Property `keepalive-timeout`. */
    keepaliveTimeout: z.number().int().min(0).max(4294967295).default(10),
    /** Authentication protocols accepted (a set); device default (all) when unset. Property `allow`. */
    allow: pppAllow.optional(),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type PppoeClientInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-pppoe-client",
  docs: "https://help.mikrotik.com/docs/display/ROS/PPPoE",
  schema,
  menu: "/interface/pppoe-client",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    interface: prop.text("interface"),
    user: prop.text("user"),
    password: prop.text("password"),
    serviceName: prop.text("service-name"),
    acName: prop.text("ac-name"),
    profile: prop.text("profile"),
    addDefaultRoute: prop.bool("add-default-route"),
    defaultRouteDistance: prop.int("default-route-distance"),
    usePeerDns: prop.text("use-peer-dns"),
    dialOnDemand: prop.bool("dial-on-demand"),
    keepaliveTimeout: prop.int("keepalive-timeout"),
    allow: prop.set("allow"),
    disabled: prop.bool("disabled"),
  },
  outputs: { running: "running" },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: ["password"],
});
