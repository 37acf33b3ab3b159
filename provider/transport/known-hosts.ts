/**
 * Reading OpenSSH known_hosts files (format: sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
 */
import { createHmac } from "node:crypto";
import { fingerprintOfKeyBlob, keyTypeOfBlob, normaliseKeyType } from "./host-key-types";
import type { HostKeyPin } from "./pins";

export interface KnownHostsLookup {
  /** Keys listed for the host, as pins (source `<file>:<line>`). */
  pins: HostKeyPin[];
  /** Fingerprints under `@revoked`, whatever their host pattern: such a key is never accepted. */
  revoked: string[];
  /** `@cert-authority` lines for the host, which are not supported (ssh2 does not verify host certificates). */
  skippedCertAuthorities: number;
}

/**
 * The name a known_hosts line must match: `host` on port 22, otherwise `[host]:port` (as OpenSSH writes it).
 */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** True when one host field (comma-separated patterns with `*`, `?`, `!`, or a hashed `|1|salt|hash`) names `name`. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (!salt || !hash) return false;
    const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return digest === hash;
  }
  let matched = false;
  for (const raw of field.split(",")) {
    const negated = raw.startsWith("!");
    const pattern = negated ? raw.slice(1) : raw;
    if (globMatches(pattern, name)) {
      // A matching negated pattern vetoes the whole line, as in OpenSSH's match_hostname().
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globMatches(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, (c) => `\\${c}`)
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "i").test(name);
}

/**
 * Pins for `host`:`port` in the text of a known_hosts file named `file` (used in pin sources).
 * Blank lines, comments and lines this reader cannot use (SSH1 RSA keys, unknown key types,
 * bad base64) are skipped.
 */
export function lookupKnownHosts(text: string, file: string, host: string, port: number): KnownHostsLookup {
  const name = knownHostsName(host, port);
  const result: KnownHostsLookup = { pins: [], revoked: [], skippedCertAuthorities: 0 };
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const tokens = trimmed.split(/\s+/);
    const marker = tokens[0].startsWith("@") ? tokens.shift() : undefined;
    const [field, typeLabel, keyB64] = tokens;
    if (!field || !typeLabel || !keyB64) return;
    const keyType = normaliseKeyType(typeLabel);
    if (!keyType) return;
    const blob = Buffer.from(keyB64, "base64");
    if (keyTypeOfBlob(blob) !== keyType) return;
    const fingerprint = fingerprintOfKeyBlob(blob);
    if (marker === "@revoked") {
      result.revoked.push(fingerprint);
      return;
    }
    if (!hostFieldMatches(field, name)) return;
    if (marker === "@cert-authority") {
      result.skippedCertAuthorities++;
      return;
    }
    if (marker !== undefined) return;
    result.pins.push({ fingerprint, keyType, source: `${file}:${index + 1}` });
  });
  return result;
}
