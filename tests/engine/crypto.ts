/**
 * Pulumi's passphrase secrets provider, re-implemented from its Go source
 * (pulumi/pulumi `sdk/go/common/resource/config/crypt.go` and `pkg/secrets/passphrase/manager.go`):
 *
 * - key = PBKDF2-HMAC-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes);
 * - a value is `v1:<base64 nonce (12 bytes)>:<base64 AES-256-GCM ciphertext with the 16-byte tag appended>`,
 *   no additional authenticated data (Go's `aesgcm.Seal(nil, nonce, plaintext, nil)`);
 * - the stack's `encryptionsalt` is `v1:<base64 salt (8 bytes)>:` followed by the encryption of the
 *   string "pulumi", which is how a wrong passphrase is detected.
 *
 * Standard base64 with padding is used throughout, as Go's `base64.StdEncoding`.
 */
import * as crypto from "crypto";

const PBKDF2_ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SALT_BYTES = 8;
const CHECK_PLAINTEXT = "pulumi";

/** Key derivation costs ~0.2 s; an operation decrypts config and state with the same key. */
const keyCache = new Map<string, Buffer>();

function deriveKey(passphrase: string, salt: Buffer): Buffer {
  const cacheKey = crypto.createHash("sha256").update(passphrase).update("\0").update(salt).digest("hex");
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = crypto.pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, PBKDF2_ITERATIONS, KEY_BYTES, "sha256");
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** An AES-256-GCM crypter bound to one derived key. */
export class SymmetricCrypter {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error("AES-256-GCM needs a 32 byte key");
  }

  /** Returns `v1:<nonce>:<ciphertext+tag>`. */
  encrypt(plaintext: string): string {
    const nonce = crypto.randomBytes(NONCE_BYTES);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${body.toString("base64")}`;
  }

  /** Inverse of `encrypt`; throws on a malformed value or a wrong key (GCM tag mismatch). */
  decrypt(value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3) throw new Error("bad value");
    if (parts[0] !== "v1") throw new Error("unknown value version");
    const nonce = Buffer.from(parts[1], "base64");
    const body = Buffer.from(parts[2], "base64");
    if (nonce.length !== NONCE_BYTES) throw new Error("bad value: nonce size is incorrect");
    if (body.length < TAG_BYTES) throw new Error("bad value: ciphertext too short");
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, nonce);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  }
}

/**
 * Opens an existing `encryptionsalt` (`v1:<salt>:v1:<nonce>:<ct>`) with a passphrase.
 * Throws "incorrect passphrase" when the check value does not decrypt to "pulumi".
 */
export function crypterFromEncryptionSalt(passphrase: string, encryptionSalt: string): SymmetricCrypter {
  const first = encryptionSalt.indexOf(":");
  const second = encryptionSalt.indexOf(":", first + 1);
  if (first < 0 || second < 0) throw new Error("malformed encryptionsalt");
  if (encryptionSalt.slice(0, first) !== "v1") throw new Error("unknown encryptionsalt version");
  const salt = Buffer.from(encryptionSalt.slice(first + 1, second), "base64");
  const crypter = new SymmetricCrypter(deriveKey(passphrase, salt));
  let check: string;
  try {
    check = crypter.decrypt(encryptionSalt.slice(second + 1));
  } catch {
    throw new Error("incorrect passphrase");
  }
  if (check !== CHECK_PLAINTEXT) throw new Error("incorrect passphrase");
  return crypter;
}

/** Creates a fresh salt for a passphrase, as `pulumi stack init` / the first `config set --secret` does. */
export function newEncryptionSalt(passphrase: string): { encryptionSalt: string; crypter: SymmetricCrypter } {
  const salt = crypto.randomBytes(SALT_BYTES);
  const crypter = new SymmetricCrypter(deriveKey(passphrase, salt));
  return { encryptionSalt: `v1:${salt.toString("base64")}:${crypter.encrypt(CHECK_PLAINTEXT)}`, crypter };
}
