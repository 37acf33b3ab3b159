/**
 * `/interface/wireguard/peers`: one peer of a WireGuard interface, found by the identity tag in `comment`.
 * Docs: https://help.mikrotik.com/docs/display/ROS/WireGuard (routeros-cli.md §5.11).
 *
 * Identity is the comment tag, not `name`: peer names are optional and whether RouterOS keeps them unique is not
 * documented [I]; `name` is managed as a plain property. Peers form an ordered list (§5 intro) but WireGuard
 * routes by `allowed-address` (most specific prefix), not by list order, so a new peer is simply appended.
 * `presharedKey` is a secret (compared through a hash; masked in reads from 7.21 [I]). The interface must exist
 * (a WireguardInterface, created first).
 */
import { z } from "zod";
import { durationSeconds, interfaceName, ipAddress, ipv4Prefix, ipv6Prefix } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, routerosName, userComment } from "./fields";
import { wireguardKey } from "./wireguard-interface";
import * as derived from "./generated/wireguard-peer";

/** A DNS name: dot-separated labels, the last one not all digits (so a mistyped IPv4 address is not taken for one). */
const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

const endpoint = z.string().transform((s, ctx) => {
  const ip = ipAddress.safeParse(s);
  if (ip.success) return ip.data;
  if (DNS_NAME.test(s)) return s;
  ctx.addIssue({ code: "custom", message: "must be an IPv4 or IPv6 address or a DNS name" });
  return z.NEVER;
});

const prefix = z.union([ipv4Prefix, ipv6Prefix], {
  error: "must be an IPv4 or IPv6 prefix such as 192.0.2.0/30 (no host bits set)",
});

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** The WireGuard interface the peer belongs to. Property `interface`. */
    interface: interfaceName,
    /** The peer's public key (base64, `wg pubkey`). Property `public-key`. */
    publicKey: wireguardKey,
    /** Where to reach the peer: IPv4/IPv6 address or DNS name; unset = the peer connects to us. Property `endpoint-address`. */
    endpointAddress: endpoint.optional(),
    /** UDP port of the peer, 0..65535; default 0 (none: the peer connects to us) [I: default not in the reference]. Property `endpoint-port`. */
    endpointPort: z.number().int().min(0).max(65535).default(0),
    /**
     * Prefixes routed to and accepted from this peer (WireGuard's cryptokey routing); a set, sorted and
     * de-duplicated, e.g. `["192.0.2.0/30", "2001:db8:ffff::/64"]`; default none. Property `allowed-address`.
     */
    allowedAddress: z
      .array(prefix)
      .transform((xs) => [...new Set(xs)].sort())
      .default([]),
    /** Secret: optional extra symmetric key (base64, `wg genpsk`). Property `preshared-key`. */
    presharedKey: wireguardKey.optional(),
    /**
     * The client's private key, which RouterOS puts into the client config it generates for this peer (RouterOS
     * 7.16+ `client-*` properties); a secret like `presharedKey`. Property `private-key`.
     * https://help.mikrotik.com/docs/display/ROS/WireGuard
     */
    privateKey: wireguardKey.optional(),
    /** Seconds between keepalives to hold NAT state open, 0..65535; default 0 (off). Property `persistent-keepalive`. */
    persistentKeepalive: durationSeconds.pipe(z.number().max(65535, "must be at most 65535 seconds")).default(0),
    /** Optional peer name (not the identity: that is in `comment`). Property `name`. */
    name: routerosName.optional(),
    comment: userComment.optional(),
    disabled,
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.endpointPort !== 0 && p.endpointAddress === undefined) {
      ctx.addIssue({ code: "custom", path: ["endpointAddress"], message: "is required when endpointPort is set" });
    }
  });

export type WireguardPeerInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-wireguard-peer",
  docs: "https://help.mikrotik.com/docs/display/ROS/WireGuard",
  schema,
  menu: "/interface/wireguard/peers",
  identity: { by: "comment" },
  // A peer is its public key on an interface (RouterOS refuses a duplicate key there [I]).
  naturalKey: ["interface", "publicKey"],
  commentField: "comment",
  props: {
    ...derived.props,
    interface: prop.text("interface"),
    publicKey: prop.text("public-key"),
    endpointAddress: prop.text("endpoint-address"),
    endpointPort: prop.int("endpoint-port"),
    allowedAddress: prop.set("allowed-address"),
    presharedKey: prop.text("preshared-key"),
    privateKey: prop.text("private-key"),
    persistentKeepalive: prop.duration("persistent-keepalive"),
    name: prop.text("name"),
    disabled: prop.bool("disabled"),
  },
  replaceOn: [],
  deleteBeforeReplace: false,
  secrets: ["presharedKey", "privateKey"],
});
