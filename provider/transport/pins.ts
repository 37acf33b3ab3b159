/**
 * Parsing of `DeviceSpec.hostKeys` entries into pins.
 */
import { fingerprintOfKeyBlob, isDsaLabel, keyTypeOfBlob, normaliseKeyType } from "./host-key-types";

/** One accepted host key. */
export interface HostKeyPin {
  /** `SHA256:<base64 without padding>`. */
  fingerprint: string;
  /** Wire key type (`ssh-ed25519`, …) when the entry said so; restricts negotiation. */
  keyType?: string;
  /** Where the pin came from, for messages: `hostKeys[0]`, `/root/.ssh/known_hosts:3`. */
  source: string;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Normalises `SHA256:<b64>` (padding optional); throws if it is not a 32-byte SHA-256 digest. */
export function normaliseFingerprint(token: string): string {
  const b64 = token.slice("SHA256:".length);
  if (!token.startsWith("SHA256:") || !B64.test(b64) || Buffer.from(b64, "base64").length !== 32) {
    throw new Error(`"${token}" is not a SHA256 fingerprint (expected SHA256: followed by 43 base64 characters)`);
  }
  return `SHA256:${b64.replace(/=+$/, "")}`;
}

/**
 * Parses one `hostKeys` entry. Accepted forms:
 * - `SHA256:<base64>`                                   (no key type: negotiation is not restricted)
 * - `<key type> SHA256:<base64>`, e.g. `ssh-ed25519 SHA256:…` or `ED25519 SHA256:…`
 * - a full `ssh-keygen -lf` line: `256 SHA256:<base64> comment words (ED25519)`
 * - an OpenSSH public-key line: `ssh-ed25519 AAAAC3… comment` (the fingerprint is computed)
 * @throws Error naming `source` for anything else (MD5 fingerprints, unknown key types, bad base64).
 */
export function parseHostKeyPin(entry: string, source: string): HostKeyPin {
  const tokens = entry.trim().split(/\s+/).filter(Boolean);
  const at = tokens.findIndex((t) => t.startsWith("SHA256:"));
  try {
    if (at < 0) return parsePublicKeyLine(tokens, source);
    const fingerprint = normaliseFingerprint(tokens[at]);
    if (at > 1) throw new Error("unexpected text before the fingerprint");
    const last = tokens[tokens.length - 1];
    const label = /^\(([A-Za-z0-9-]+)\)$/.exec(last)?.[1];
    if (at === 1 && /^\d+$/.test(tokens[0])) {
      // ssh-keygen -l line: the type is the parenthesised last word; bits pick the ECDSA curve.
      if (!label) throw new Error("an ssh-keygen line must end with the key type in parentheses, e.g. (ED25519)");
      return { fingerprint, keyType: typeOrThrow(label, Number(tokens[0])), source };
    }
    if (at === 1) {
      if (tokens.length > 2 && !label) throw new Error("unexpected text after the fingerprint");
      return { fingerprint, keyType: typeOrThrow(tokens[0]), source };
    }
    if (label && tokens.length > 1) return { fingerprint, keyType: typeOrThrow(label), source };
    if (tokens.length > 1) throw new Error("unexpected text after the fingerprint");
    return { fingerprint, source };
  } catch (err) {
    throw new Error(
      `${source}: cannot read host key pin "${entry}": ${(err as Error).message}. ` +
        `Use "SHA256:<base64>", "<type> SHA256:<base64>" or a line of \`ssh-keygen -lf <key>.pub\`.`,
      { cause: err },
    );
  }
}

function typeOrThrow(label: string, bits?: number): string {
  if (isDsaLabel(label))
    throw new Error(
      "DSA (ssh-dss) host keys are not accepted: 1024-bit keys signing with SHA-1; pin the router's Ed25519, ECDSA or RSA key",
    );
  const type = normaliseKeyType(label, bits);
  if (!type) throw new Error(`unknown key type "${label}"`);
  return type;
}

function parsePublicKeyLine(tokens: string[], source: string): HostKeyPin {
  if (tokens.length >= 2 && isDsaLabel(tokens[0])) typeOrThrow(tokens[0]);
  if (tokens.length >= 2 && B64.test(tokens[1])) {
    const type = normaliseKeyType(tokens[0]);
    const blob = Buffer.from(tokens[1], "base64");
    if (type && keyTypeOfBlob(blob) === type) return { fingerprint: fingerprintOfKeyBlob(blob), keyType: type, source };
  }
  if (tokens.some((t) => /^MD5:/i.test(t) || /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(t))) {
    throw new Error("MD5 fingerprints are not accepted (run ssh-keygen -lf without -E md5)");
  }
  throw new Error("no SHA256: fingerprint found");
}
