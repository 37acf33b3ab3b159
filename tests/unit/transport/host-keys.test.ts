/** Host-key pinning against the in-process ssh2 server (DESIGN.md "Both": pinned keys, pinned types only). */
import { execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAllDevices, openDevice, TransportError } from "../../../provider/transport";
import { captureLog, rejectionOf, specFor } from "./helpers";
import { makeKey, SshFixture } from "./ssh-server-fixture";

const dir = mkdtempSync(join(tmpdir(), "rs-hostkeys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fx: SshFixture;
let log: ReturnType<typeof captureLog>;

beforeEach(async () => {
  fx = await new SshFixture({ password: "s3cr3t-Pa55" }).start();
  log = captureLog();
});
afterEach(async () => {
  log.restore();
  await closeAllDevices();
  await fx.stop();
});

const publicParts = (pub: string) => pub.split(" ").slice(0, 2).join(" ");

it("connects when the presented key matches a pinned fingerprint", async () => {
  const t = openDevice(specFor(fx));
  await expect(t.exec("echo hi")).resolves.toMatchObject({ stdout: "hi\n", code: 0 });
});

it("aborts on a wrong pin before any authentication, showing both fingerprints and the device", async () => {
  const other = makeKey();
  const t = openDevice(specFor(fx, { hostKeys: [other.fingerprint] }));
  const err = await rejectionOf(t.exec("echo hi"));
  expect(err).toBeInstanceOf(TransportError);
  expect(err.kind).toBe("host-key");
  expect(err.message).toContain('device "crs"');
  expect(err.message).toContain(other.fingerprint);
  expect(err.message).toContain(fx.hostKey.fingerprint);
  expect(err.message).not.toContain("s3cr3t");
  expect(fx.authAttempts).toBe(0);
  expect(fx.commands).toEqual([]);
});

it("accepts a full ssh-keygen -lf line (real ssh-keygen when installed)", async () => {
  let line = `256 ${fx.hostKey.fingerprint} root@crs (ED25519)`;
  if (existsSync("/usr/bin/ssh-keygen")) {
    const pubFile = join(dir, "host.pub");
    writeFileSync(pubFile, `${fx.hostKey.public}\n`);
    line = execFileSync("/usr/bin/ssh-keygen", ["-lf", pubFile], { encoding: "utf8" }).trim();
  }
  expect(line).toMatch(/^256 SHA256:\S+ .*\(ED25519\)$/);
  const t = openDevice(specFor(fx, { hostKeys: [line] }));
  await expect(t.exec("echo ok")).resolves.toMatchObject({ stdout: "ok\n" });
});

it("accepts a key-type-prefixed fingerprint", async () => {
  const t = openDevice(specFor(fx, { hostKeys: [`ssh-ed25519 ${fx.hostKey.fingerprint}`] }));
  await expect(t.exec("echo ok")).resolves.toMatchObject({ stdout: "ok\n" });
});

it("reads a known_hosts file with a [host]:port entry", async () => {
  const file = join(dir, "known_hosts_plain");
  writeFileSync(
    file,
    `other.example ${publicParts(makeKey().public)}\n[127.0.0.1]:${fx.port} ${publicParts(fx.hostKey.public)}\n`,
  );
  const t = openDevice(specFor(fx, { hostKeys: undefined, knownHostsFile: file }));
  await expect(t.exec("echo ok")).resolves.toMatchObject({ stdout: "ok\n" });
});

it("reads a hashed known_hosts entry", async () => {
  const salt = randomBytes(20);
  const name = `[127.0.0.1]:${fx.port}`;
  const file = join(dir, "known_hosts_hashed");
  writeFileSync(
    file,
    `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")} ${publicParts(fx.hostKey.public)}\n`,
  );
  const t = openDevice(specFor(fx, { hostKeys: undefined, knownHostsFile: file }));
  await expect(t.exec("echo ok")).resolves.toMatchObject({ stdout: "ok\n" });
});

it("refuses a known_hosts key of the wrong host", async () => {
  const file = join(dir, "known_hosts_wrong");
  writeFileSync(file, `[127.0.0.1]:${fx.port} ${publicParts(makeKey().public)}\n`);
  const err = await rejectionOf(openDevice(specFor(fx, { hostKeys: undefined, knownHostsFile: file })).exec("echo hi"));
  expect(err.kind).toBe("host-key");
  expect(err.message).toContain(`${file}:1`);
  expect(fx.authAttempts).toBe(0);
});

it("refuses to connect without a pin, showing the presented fingerprint and how to pin", async () => {
  const err = await rejectionOf(openDevice(specFor(fx, { hostKeys: undefined })).exec("echo hi"));
  expect(err.kind).toBe("host-key");
  expect(err.message).toContain(`ssh-ed25519 ${fx.hostKey.fingerprint}`);
  expect(err.message).toContain("hostKeys");
  expect(err.message).toContain("knownHostsFile");
  expect(fx.authAttempts).toBe(0);
});

it("says when a known_hosts file has no entry for the host", async () => {
  const file = join(dir, "known_hosts_empty");
  writeFileSync(file, "# nothing\n");
  const err = await rejectionOf(openDevice(specFor(fx, { hostKeys: undefined, knownHostsFile: file })).exec("echo hi"));
  expect(err.message).toContain(`has no key for [127.0.0.1]:${fx.port}`);
});

it("connects with insecureSkipHostKeyCheck and logs one warning naming the device", async () => {
  const t = openDevice(specFor(fx, { hostKeys: undefined, insecureSkipHostKeyCheck: true }));
  await t.exec("echo 1");
  await t.exec("echo 2");
  const warnings = log.lines.filter((l) => l.level === "warn");
  expect(warnings).toHaveLength(1);
  expect(warnings[0].message).toContain('device "crs"');
  expect(warnings[0].message).toContain(fx.hostKey.fingerprint);
});

it("throws at open time for a malformed pin", () => {
  expect(() => openDevice(specFor(fx, { hostKeys: ["MD5:aa:bb"] }))).toThrow(TransportError);
});

describe("only pinned key types are negotiated", () => {
  let both: SshFixture;
  const ed = makeKey("ed25519");
  const rsa = makeKey("rsa");
  beforeAll(async () => {
    both = await new SshFixture({ hostKeys: [ed, rsa], password: "s3cr3t-Pa55" }).start();
  });
  afterAll(async () => {
    await both.stop();
  });

  it("negotiates the pinned RSA key although ssh2 would prefer ed25519", async () => {
    const t = openDevice(specFor(both, { hostKeys: [`ssh-rsa ${rsa.fingerprint}`] }));
    await expect(t.exec("echo ok")).resolves.toMatchObject({ stdout: "ok\n" });
  });

  it("without a type, ssh2's preference (ed25519) is presented and an RSA-only pin mismatches", async () => {
    const err = await rejectionOf(openDevice(specFor(both, { hostKeys: [rsa.fingerprint] })).exec("echo ok"));
    expect(err.kind).toBe("host-key");
    expect(err.message).toContain(ed.fingerprint);
  });

  it("fails with kind host-key when the server has none of the pinned types", async () => {
    const err = await rejectionOf(
      openDevice(specFor(fx, { hostKeys: [`ssh-rsa ${rsa.fingerprint}`] })).exec("echo ok"),
    );
    expect(err.kind).toBe("host-key");
    expect(err.message).toMatch(/none of the pinned host-key types \(rsa-sha2-512, rsa-sha2-256\)/);
    expect(fx.authAttempts).toBe(0);
  });
});
