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

/**
 * Host-key types (the names in a public-key blob / known_hosts) routerstack can pin. Not `ssh-dss`: DSA keys are
 * 1024-bit and sign with SHA-1 (RFC 4253 §6.6), and OpenSSH 9.8 removed them; a DSA pin is refused (issue 14).
 */
export const PINNABLE_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
] as const;

/** Whether a key-type label names DSA (`ssh-dss`, `DSA`, `DSS`), which is never pinned. */
export function isDsaLabel(label: string): boolean {
  return ["ssh-dss", "dsa", "dss"].includes(label.toLowerCase());
}

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
    case "ecdsa":
      return bits === 256 || bits === 384 || bits === 521 ? `ecdsa-sha2-nistp${bits}` : undefined;
    default:
      return undefined;
  }
}

/**
 * Host-key algorithms to offer for a key type. An RSA key is used with the SHA-2 signature algorithms of RFC 8332
 * only, never `ssh-rsa` (SHA-1; RouterOS 7 and dropbear ≥ 2020.79 offer rsa-sha2-256 [I]); every other type has
 * one algorithm of the same name.
 */
export function hostKeyAlgorithmsFor(keyType: string): string[] {
  return keyType === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256"] : [keyType];
}

/** What an untyped pin negotiates: every pinnable type, RSA with SHA-2 only (no SHA-1, no DSA). */
export const SAFE_HOST_KEY_ALGORITHMS: readonly string[] = [
  ...new Set(PINNABLE_KEY_TYPES.flatMap(hostKeyAlgorithmsFor)),
];
