/**
 * `/interface/wireguard`: a WireGuard interface, keyed by its unique interface `name`; the identity tag is kept in
 * `comment`. Docs: https://help.mikrotik.com/docs/display/ROS/WireGuard (routeros-cli.md §5.11).
 *
 * `privateKey` is a secret (compared through a hash; masked in reads from 7.21 [I]). Declare it (generate it once
 * with `wg genkey` and keep it as a Pulumi secret) so a re-created interface keeps its key and its peers. Left out,
 * the key is the device's own: RouterOS generates one on create (routeros-cli.md §5.11 [D]) and an adopted
 * interface keeps the one it has; it is never compared or unset, and a replace gets a new key (a new
 * `observed.publicKey`, which every peer must then be given). The importer leaves it out when the device masks it.
 * The matching public key is the read-only output `observed.publicKey` (property `public-key`).
 * The peers are WireguardPeer resources. Putting the tunnel in a VRF is done by the Vrf's `interfaces`.
 */
import { z } from "zod";
import { interfaceName } from "../common";
import { routerosKind } from "../../routeros/menu-engine";
import { prop } from "../../routeros/property-types";
import { disabled, userComment } from "./fields";
import * as derived from "./generated/wireguard-interface";

/**
 * A WireGuard key as `wg genkey`/`wg pubkey` print it: base64 of 32 bytes (44 characters ending in `=`). The last
 * character before `=` carries only 2 significant bits, so only 16 letters are valid there.
 */
export const wireguardKey = z
  .string()
  .regex(
    /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/,
    "must be a WireGuard key: base64 of 32 bytes, 44 characters ending in =",
  );

export const schema = z
  .object({
    // Every other add/set argument of the menus, derived from RouterOS's own catalogue (hand-written fields win).
    ...derived.shape,
    /** Unique interface name, e.g. `wg-transit`; the natural key (a rename replaces the interface). Property `name`. */
    name: interfaceName,
    /** UDP port to listen on, 1..65535; default 13231. Property `listen-port`. */
    listenPort: z.number().int().min(1).max(65535).default(13231),
    /** Bytes, 1280..65535 [I: the device's range is not in the reference]; default 1420. Property `mtu`. */
    mtu: z.number().int().min(1280).max(65535).default(1420),
    /**
     * Secret: the interface's private key (base64, from `wg genkey`). Property `private-key`. Optional: left out, the
     * device's own key (generated on create, kept on adopt) is used and never compared.
     */
    privateKey: wireguardKey.optional(),
    comment: userComment.optional(),
    disabled,
  })
  .strict();

export type WireguardInterfaceInputs = z.output<typeof schema>;

export const kind = routerosKind({
  name: "routeros-wireguard-interface",
  docs: "https://help.mikrotik.com/docs/display/ROS/WireGuard",
  schema,
  menu: "/interface/wireguard",
  identity: { by: "name", field: "name" },
  commentField: "comment",
  props: {
    ...derived.props,
    name: prop.text("name"),
    listenPort: prop.int("listen-port"),
    mtu: prop.int("mtu"),
    privateKey: prop.text("private-key"),
    disabled: prop.bool("disabled"),
  },
  outputs: { publicKey: "public-key", running: "running" },
  replaceOn: ["name"],
  deleteBeforeReplace: true,
  secrets: ["privateKey"],
  deviceOwnedWhenUnset: ["privateKey"],
});
