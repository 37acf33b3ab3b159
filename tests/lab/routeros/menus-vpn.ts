/**
 * Tunnel and route-filter menus (routeros-cli.md §5.11 WireGuard, §5.5 `/routing/filter/rule`); `/ip/vrf` and the
 * BGP template live in menus.ts. Argument names are RESTRAML's [S]; what the reference does not state is [I].
 * Only types are imported from menus.ts: it spreads this array into MENUS, so a value import would be a cycle.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "crypto";
import type { MenuDef, Verb } from "./menus";
import type { PropDef, Stored } from "./props";
import { rt } from "./errors";
import { formatPrefix, parsePrefix } from "./ipaddr";
import type { Item } from "./state";

const LIST_VERBS: Verb[] = ["add", "set", "unset", "remove", "get", "find", "print", "enable", "disable"];

const s = (name: string, extra: Partial<PropDef> = {}): PropDef => ({ name, type: { kind: "string" }, ...extra });
const int = (name: string, min: number, max: number, extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: { kind: "int", min, max },
  ...extra,
});
const ro = (name: string, extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: { kind: "string" },
  readOnly: true,
  ...extra,
});
const comment = s("comment", { summary: true });
const disabled: PropDef = { name: "disabled", type: { kind: "bool" }, default: false };

/** A WireGuard key: base64 of 32 bytes. The error wording for a malformed key is [I]. */
function wgKey(text: string, prop: string): Stored {
  if (!/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(text)) throw rt(`invalid value for argument ${prop}`);
  return text;
}

/** `allowed-address`: a comma list of prefixes, kept as written [I: whether RouterOS clears host bits]. */
function prefixList(text: string, prop: string): Stored {
  const parts = text === "" ? [] : text.split(",");
  return parts.map((p) => {
    const pre = parsePrefix(p.includes("/") ? p : `${p}/${p.includes(":") ? 128 : 32}`);
    if (!pre) throw rt(`invalid value for argument ${prop}`);
    return formatPrefix(pre);
  });
}

/** A new X25519 private key (raw 32 bytes, base64), as `wg genkey` prints it. */
export function wgGenerateKey(): string {
  const der = generateKeyPairSync("x25519").privateKey.export({ format: "der", type: "pkcs8" });
  return der.subarray(der.length - 32).toString("base64");
}

/** X25519 private key (raw 32 bytes, base64) → public key, as WireGuard derives it (RFC 7748). */
const PKCS8_X25519 = Buffer.from("302e020100300506032b656e04220420", "hex");
export function wgPublicKey(privateKey: string): string {
  const der = Buffer.concat([PKCS8_X25519, Buffer.from(privateKey, "base64")]);
  const spki = createPublicKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" })).export({
    format: "der",
    type: "spki",
  });
  return spki.subarray(spki.length - 32).toString("base64");
}

export const VPN_MENUS: MenuDef[] = [
  {
    // §5.11 interface. RouterOS generates `private-key` when omitted [D]; the lab does so only in the
    // wireguardGeneratesKeys variation (interpreter.ts), otherwise a key-less interface shows no `public-key`.
    path: "/interface/wireguard",
    idSpace: "interface",
    named: true,
    interfaceType: "wg",
    verbs: LIST_VERBS,
    props: [
      s("name", { required: true, summary: true }),
      int("listen-port", 1, 65535, { default: 13231, summary: true }),
      // Range [I]: not in the reference; 1420 is the default of the docs' examples.
      int("mtu", 68, 65535, { default: 1420 }),
      { name: "private-key", type: { kind: "custom", coerce: wgKey }, sensitive: true },
      // §5.11 lists `vrf`; that it is the VRF of the UDP socket, not of the tunnel's routes, is [I]. RouterOS's
      // catalogue has it from 7.23 only (7.16–7.20 refuse it; schema.ts).
      { name: "vrf", type: { kind: "ref", menu: "/ip/vrf", builtins: ["main"] } },
      comment,
      disabled,
      ro("public-key", { summary: true }),
      { name: "running", type: { kind: "bool" }, readOnly: true },
    ],
    compute: (item: Item) => {
      const out: Record<string, Stored> = { running: item.props.disabled !== true };
      if (typeof item.props["private-key"] === "string") out["public-key"] = wgPublicKey(item.props["private-key"]);
      return out;
    },
  },
  {
    // §5.11 peers: an ordered list (§5 intro). Required arguments are [I]: a peer needs an interface and a key.
    path: "/interface/wireguard/peers",
    idSpace: "/interface/wireguard/peers",
    ordered: true,
    verbs: [...LIST_VERBS, "move"],
    props: [
      { name: "interface", type: { kind: "ref", menu: "/interface/wireguard" }, required: true, summary: true },
      { name: "public-key", type: { kind: "custom", coerce: wgKey }, required: true, summary: true },
      s("endpoint-address", { summary: true }),
      int("endpoint-port", 0, 65535, { default: 0, summary: true }),
      { name: "allowed-address", type: { kind: "custom", coerce: prefixList }, summary: true },
      { name: "preshared-key", type: { kind: "custom", coerce: wgKey }, sensitive: true },
      { name: "persistent-keepalive", type: { kind: "duration", min: 0, max: 65535 }, default: 0 },
      // Peer names exist in RESTRAML 7.24 [S]; since which version is [I] (the lab offers them on all versions).
      s("name"),
      // `client-*` (client config generation): add/set arguments on 7.16–7.23 per /console/inspect [S].
      s("client-address"),
      comment,
      disabled,
    ],
  },
  {
    // §5.5: `chain`, `rule`, ordered (`place-before` on add and `move` in the 7.16–7.23 inspect schemas; RouterOS
    // runs each chain in list order). RouterOS parses `rule` itself; the lab stores it verbatim
    // [I: the device's error text for a rule that does not parse is not in the reference].
    path: "/routing/filter/rule",
    idSpace: "/routing/filter/rule",
    ordered: true,
    verbs: [...LIST_VERBS, "move"],
    props: [
      s("chain", { required: true, summary: true }),
      s("rule", { required: true, summary: true }),
      comment,
      disabled,
      { name: "invalid", type: { kind: "bool" }, readOnly: true },
    ],
    compute: () => ({ invalid: false }),
  },
];
