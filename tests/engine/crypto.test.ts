/** The passphrase crypter against Pulumi's own state vector (pkg/secrets/passphrase/manager_test.go). */
import { crypterFromEncryptionSalt, newEncryptionSalt } from "./crypto";
import { applyIgnoreChanges, decryptSecrets, encryptSecrets, makeSecret, unwrapSecrets } from "./properties";

const PULUMI_STATE = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";

test("opens Pulumi's encryptionsalt with the right passphrase only", () => {
  expect(() => crypterFromEncryptionSalt("password", PULUMI_STATE)).not.toThrow();
  expect(() => crypterFromEncryptionSalt("password123", PULUMI_STATE)).toThrow(/incorrect passphrase/);
});

test("round-trips values and state secrets; ciphertexts differ per value (random nonce)", () => {
  const { encryptionSalt, crypter } = newEncryptionSalt("pw");
  expect(crypterFromEncryptionSalt("pw", encryptionSalt).decrypt(crypter.encrypt("héllo"))).toBe("héllo");
  expect(crypter.encrypt("x")).not.toBe(crypter.encrypt("x"));
  const props = { a: makeSecret({ deep: [1, "two"] }), b: "plain" };
  const enc = encryptSecrets(props, () => crypter);
  expect(JSON.stringify(enc)).not.toContain("two");
  expect(decryptSecrets(enc, () => crypter)).toEqual(props);
  expect(unwrapSecrets(props)).toEqual({ a: { deep: [1, "two"] }, b: "plain" });
});

test("ignoreChanges copies old values by path", () => {
  const olds = { a: 1, n: { x: 1, y: 2 } };
  expect(applyIgnoreChanges(olds, { a: 2, n: { x: 9, y: 3 } }, ["a", "n.x"])).toEqual({ a: 1, n: { x: 1, y: 3 } });
  expect(applyIgnoreChanges({}, { a: 2 }, ["a"])).toEqual({});
});
