/**
 * SSH host-key fingerprints and key-type names.
 * Sources: RFC 4253 §6.6 (public key blob = string key-type, …), OpenSSH `ssh-keygen -l` output
 * (`<bits> SHA256:<base64 without padding> <comment> (<TYPE>)`), ssh2's supported host-key algorithms.
 */
import { createHash } from "node:crypto";

/** `SHA256:<base64 without padding>` of a raw SSH public-key blob, as OpenSSH prints it. */
export function fingerprintOfKeyBlob(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The key-type string at the head of a public-key blob (`ssh-ed25519`, `ssh-rsa`, …), or undefined if malformed. */
export function keyTypeOfBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || blob.length < 4 + len) return undefined;
  const type = blob.subarray(4, 4 + len).toString("latin1");
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/** Host-key types (the names in a public-key blob / known_hosts) routerstack can pin. */
export const PINNABLE_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-dss",
] as const;

/**
 * Normalises a key-type label to its wire name: wire names pass through; `ssh-keygen -l` labels
 * (`ED25519`, `RSA`, `ECDSA`, `DSA`, any case) are mapped, ECDSA using `bits` (256/384/521).
 * Returns undefined for anything else.
 */
export function normaliseKeyType(label: string, bits?: number): string | undefined {
  const lower = label.toLowerCase();
  if ((PINNABLE_KEY_TYPES as readonly string[]).includes(lower)) return lower;
  switch (lower) {
    case "ed25519":
      return "ssh-ed25519";
    case "rsa":
      return "ssh-rsa";
    case "dsa":
    case "dss":
      return "ssh-dss";
    case "ecdsa":
      return bits === 256 || bits === 384 || bits === 521 ? `ecdsa-sha2-nistp${bits}` : undefined;
    default:
      return undefined;
  }
}

/**
 * Host-key algorithms to offer for a key type. An RSA key is used with three signature algorithms
 * (RFC 8332); every other type has one algorithm of the same name.
 */
export function hostKeyAlgorithmsFor(keyType: string): string[] {
  return keyType === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [keyType];
}
