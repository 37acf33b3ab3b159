/**
 * `/ppp/profile`: a PPP profile (addresses, scripts and link options applied to the PPP sessions that name it,
 * e.g. a PppoeClient's or L2tpClient's `profile`), keyed by its unique `name`; the identity tag is kept in
 * `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/PPP+AAA. routeros-cli.md does not describe this
 * menu: property names, values and defaults follow MikroTik's docs and are [I] until captured from a device.
 *
 * The built-in `default` and `default-encryption` profiles exist on every device and cannot be removed [I]: declaring
 * one of them needs `adopt: true` (like any existing profile); destroy then puts back the values it had when it was
 * adopted instead of removing it (menu-engine.ts `adoptedDestroy`). `on-up`/`on-down` scripts run when a session using the profile comes up or goes down;
 * their bodies are sent quoted and escaped (routeros-cli.md §3.3), never interpreted on the way.
 */
import { z } from "zod";
import { ipv4Address } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { routerosName, scriptText, userComment } from "./fields";
import * as derived from "./generated/ppp-profile";

/** Dotted digits must be an address; anything else is taken as an `/ip/pool` name. */
const addressOrPool = z.string().transform((s, ctx) => {
  if (/^[0-9.]+$/.test(s)) {
    const r = ipv4Address.safeParse(s);
    if (r.success) return r.data;
  } else if (routerosName.safeParse(s).success) return s;
  ctx.addIssue({ code: "custom", message: "must be an IPv4 address such as 192.0.2.1 or an /ip/pool name" });
  return z.NEVER;
});

/** The `yes|no|default` settings; `default` takes the value from the service's default profile [I]. */
const triState = z.enum(["yes", "no", "default"]);

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique profile name, e.g. `l2tp-backup`; the natural key (a rename replaces the profile). Property `name`. */
    name: routerosName,
    /** Local end's address: an IPv4 address or an `/ip/pool` name; unset = none. Property `local-address`. */
    localAddress: addressOrPool.optional(),
    /** Remote end's address: an IPv4 address or an `/ip/pool` name; unset = none. Property `remote-address`. */
    remoteAddress: addressOrPool.optional(),
    /** Script run when a session using the profile comes up; default empty (none). Property `on-up`. */
    onUp: scriptText.default(""),
    /** Script run when such a session goes down; default empty (none). Property `on-down`. */
    onDown: scriptText.default(""),
    /** Property `use-encryption`: `yes`, `no`, `required`, `default` (default [I]). */
    useEncryption: z.enum(["yes", "no", "required", "default"]).default("default"),
    /** Clamp the TCP MSS to the link's MTU: `yes`, `no`, `default` (default [I]). Property `change-tcp-mss`. */
    changeTcpMss: triState.default("default"),
    /** Allow only one session per user: `yes`, `no`, `default` (default [I]). Property `only-one`. */
    onlyOne: triState.default("default"),
    /** DNS servers handed to the peer (IPv4, at most 2 [I]); unset = none. Property `dns-server`. */
    dnsServer: z
      .array(ipv4Address)
      .min(1, "must list at least one server")
      .max(2, "must list at most 2 servers")
      .optional(),
    comment: userComment.optional(),
  })
  .strict();

export type PppProfileInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-ppp-profile",
  docs: "https://help.mikrotik.com/docs/display/ROS/PPP+AAA",
  schema,
  menu: "/ppp/profile",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    localAddress: prop.text("local-address"),
    remoteAddress: prop.text("remote-address"),
    onUp: prop.text("on-up"),
    onDown: prop.text("on-down"),
    useEncryption: prop.text("use-encryption"),
    changeTcpMss: prop.text("change-tcp-mss"),
    onlyOne: prop.text("only-one"),
    dnsServer: prop.list("dns-server"),
  },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
});
