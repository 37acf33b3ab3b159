/** Password and key authentication; credentials never appear in errors. */
import { closeAllDevices, openDevice, TransportError } from "../../../provider/transport";
import { PASSWORD, rejectionOf, specFor } from "./helpers";
import { makeKey, SshFixture } from "./ssh-server-fixture";

const userKey = makeKey();
let fx: SshFixture;

beforeAll(async () => {
  fx = await new SshFixture({ password: PASSWORD, authorizedKeys: [userKey] }).start();
});
afterAll(async () => {
  await closeAllDevices();
  await fx.stop();
});

it("logs in with a password", async () => {
  await expect(openDevice(specFor(fx)).exec("echo pw")).resolves.toMatchObject({ stdout: "pw\n" });
});

it("logs in with a private key", async () => {
  const t = openDevice(specFor(fx, { password: undefined, privateKey: userKey.private }));
  await expect(t.exec("echo key")).resolves.toMatchObject({ stdout: "key\n" });
});

it("reports a wrong password as kind auth without the password", async () => {
  const wrong = "not-the-Pa55word";
  const err = await rejectionOf(openDevice(specFor(fx, { password: wrong })).exec("echo x"));
  expect(err).toBeInstanceOf(TransportError);
  expect(err.kind).toBe("auth");
  expect(err.notSent).toBe(true);
  expect(err.message).toContain('device "crs"');
  expect(err.message).toContain('user "admin"');
  expect(err.message).not.toContain(wrong);
  expect(err.stack ?? "").not.toContain(wrong);
});

it("reports an unknown key as kind auth", async () => {
  const err = await rejectionOf(
    openDevice(specFor(fx, { password: undefined, privateKey: makeKey().private })).exec("echo x"),
  );
  expect(err.kind).toBe("auth");
});

it("reports an unparsable private key as kind auth without its text", async () => {
  const junk = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-key-at-all\n-----END OPENSSH PRIVATE KEY-----\n";
  const err = await rejectionOf(openDevice(specFor(fx, { password: undefined, privateKey: junk })).exec("echo x"));
  expect(err.kind).toBe("auth");
  expect(err.message).not.toContain("not-a-key-at-all");
});

it("reports a closed port as kind connect", async () => {
  const err = await rejectionOf(openDevice({ ...specFor(fx), port: 1 }).exec("echo x"));
  expect(err.kind).toBe("connect");
  expect(err.message).toContain("127.0.0.1:1");
});
