/** Keys for the lab: generation and fingerprints. */
import { createHash } from "crypto";
import { utils } from "ssh2";

/**
 * ssh2 1.17's generateKeyPairSync("ed25519") yields, about once in 256 keys, a public key ssh2 itself rejects
 * (a leading zero byte is dropped); draw again until ssh2 parses both halves.
 */
export function ed25519KeyPair(): { private: string; public: string } {
  for (;;) {
    const k = utils.generateKeyPairSync("ed25519");
    if (!(utils.parseKey(k.public) instanceof Error) && !(utils.parseKey(k.private) instanceof Error)) return k;
  }
}

/** `SHA256:<base64 without padding>` of a public key blob, as `ssh-keygen -l` prints it. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}
