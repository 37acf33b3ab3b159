/**
 * Secrets through the test engine: `secure:` stack config (top-level and inside a structured value) is
 * decrypted for the program (pulumi.Config) and for the provider's configure(); secret inputs and
 * additionalSecretOutputs are encrypted in the state file with Pulumi's passphrase format.
 */
import * as fs from "fs";
import { crypterFromEncryptionSalt } from "./crypto";
import { encryptConfigValue } from "./index";
import { items3, PASSPHRASE, TestStack } from "./test-fixture";

const PASSWORD = "hunter2-plain-pw";
const TOKEN = "tok-plain-123456";
const CRS_PASSWORD = "crs-pass-plain-9";

const t = new TestStack();
afterAll(() => t.cleanup());

beforeAll(() => {
  // like `pulumi config set --secret`: the first call creates encryptionsalt in the stack file
  const pw = encryptConfigValue(PASSWORD, t.stackFile, PASSPHRASE);
  const tok = encryptConfigValue(TOKEN, t.stackFile, PASSPHRASE);
  const crs = encryptConfigValue(CRS_PASSWORD, t.stackFile, PASSPHRASE);
  expect(pw).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  fs.appendFileSync(
    t.stackFile,
    [
      "config:",
      "  devprog:password:",
      `    secure: ${pw}`,
      "  deviceToken:", // no namespace: the project's
      `    secure: ${tok}`,
      "  routerstack:devices:",
      "    crs:",
      "      host: 192.0.2.1",
      "      password:",
      `        secure: ${crs}`,
      "",
    ].join("\n"),
  );
});

test("the stack file salt follows Pulumi's format and opens with the passphrase only", () => {
  const salt = /^encryptionsalt: (v1:[^\n]+)$/m.exec(fs.readFileSync(t.stackFile, "utf8"))![1];
  expect(salt).toMatch(/^v1:[A-Za-z0-9+/=]+:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  expect(() => crypterFromEncryptionSalt(PASSPHRASE, salt)).not.toThrow();
  expect(() => crypterFromEncryptionSalt("wrong", salt)).toThrow(/incorrect passphrase/);
});

test("secure config reaches the program and configure(); no secret is stored in plain text", async () => {
  const r = await t.run("up", items3);
  expect(r.errors).toEqual([]);
  // program: getSecret / getSecretObject saw decrypted values
  expect(r.outputs.passwordLength).toBe(PASSWORD.length);
  expect(r.outputs.routerstackDevices).toEqual({ crs: { host: "192.0.2.1", password: CRS_PASSWORD } });
  // provider: the secret input arrived unwrapped, configure() saw the decrypted token
  const dev = t.device();
  expect(dev.entries["rtr/k1"]).toEqual({ value: "v1", secret: PASSWORD, token: TOKEN });

  const text = fs.readFileSync(t.stateFile, "utf8");
  for (const plain of [PASSWORD, TOKEN, CRS_PASSWORD]) expect(text).not.toContain(plain);
  const state = JSON.parse(text);
  const e1 = state.resources[0];
  // same-named secret input -> secret output; additionalSecretOutputs -> secret output
  for (const v of [e1.inputs.secret, e1.outputs.secret, e1.outputs.token]) {
    expect(v).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.stringMatching(/^v1:/),
    });
  }
  expect(state.secretsProvider.type).toBe("passphrase");
});

test("a second up decrypts state and sees no change", async () => {
  const before = t.device().log.length;
  const r = await t.run("up", items3);
  expect(r.errors).toEqual([]);
  expect(r.counts.same).toBe(3);
  expect(t.device().log.length).toBe(before);
});

test("refresh keeps secrets encrypted", async () => {
  const r = await t.run("refresh", undefined);
  expect(r.errors).toEqual([]);
  expect(r.drift).toEqual([]);
  const text = fs.readFileSync(t.stateFile, "utf8");
  for (const plain of [PASSWORD, TOKEN]) expect(text).not.toContain(plain);
});

test("a wrong or missing passphrase fails cleanly", async () => {
  const wrong = await t.run("preview", items3, { passphrase: "not-it" });
  expect(wrong.ok).toBe(false);
  expect(wrong.errors.join("\n")).toMatch(/incorrect passphrase/);
  const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
  delete process.env.PULUMI_CONFIG_PASSPHRASE;
  try {
    const none = await t.run("up", items3, { passphrase: undefined });
    expect(none.ok).toBe(false);
    expect(none.errors.join("\n")).toMatch(/passphrase required/);
  } finally {
    if (saved !== undefined) process.env.PULUMI_CONFIG_PASSPHRASE = saved;
  }
});

test("destroy", async () => {
  expect((await t.run("destroy", undefined)).errors).toEqual([]);
  expect(t.device().entries).toEqual({});
});
