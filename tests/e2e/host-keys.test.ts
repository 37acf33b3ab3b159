/**
 * Host keys (issue 5): a changed host key aborts the connection before authentication, with the expected and the
 * presented fingerprints in the error — for a pin in `hostKeys` (RouterOS emulator), for a known_hosts file
 * (OpenWrt host, dropbear), and against a recording SSH server that counts every authentication attempt. The
 * opt-out `insecureSkipHostKeyCheck: true` is explicit and logged.
 * DESIGN.md "Both": host keys pinned per device; turning checks off is an explicit, logged choice.
 */
import * as fs from "fs";
import * as path from "path";
import { Server, utils } from "ssh2";
import type { AddressInfo } from "net";
import { createHash } from "crypto";
import { ed25519KeyPair } from "../lab/keys";
import { LabSession, labAvailable, type ResourceSpec } from "./harness";
import { changes, report, Stack } from "./reliability-helpers";

const run = labAvailable() ? describe : describe.skip;
const TIMEOUT = 180_000;

/** `SHA256:<base64>` of an OpenSSH public key line. */
function fingerprint(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1], "base64");
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

const route: ResourceSpec = {
  platform: "routeros",
  kind: "StaticRoute",
  name: "hk-route",
  args: { device: "crs", dstAddress: "198.51.100.88/32", gateway: "192.0.2.2" },
};
const section: ResourceSpec = {
  platform: "openwrt",
  kind: "UciSection",
  name: "hk-rule",
  args: { device: "dlink", package: "firewall", type: "rule", options: { name: "hk", src: "wan", target: "DROP" } },
};

/** An SSH server with its own host key that records every authentication attempt and accepts none. */
async function recordingServer(): Promise<{
  port: number;
  publicKey: string;
  authAttempts: () => number;
  handshakes: () => number;
  stop: () => Promise<void>;
}> {
  const key = ed25519KeyPair();
  let auth = 0;
  let hs = 0;
  const server = new Server({ hostKeys: [key.private] }, (client) => {
    client.on("error", () => undefined);
    client.on("handshake", () => hs++);
    client.on("authentication", (ctx) => {
      auth++;
      ctx.reject(["publickey", "password"]);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const pub = utils.parseKey(key.public);
  if (pub instanceof Error) throw pub;
  const line = `ssh-ed25519 ${(Array.isArray(pub) ? pub[0] : pub).getPublicSSH().toString("base64")}`;
  return {
    port: (server.address() as AddressInfo).port,
    publicKey: line,
    authAttempts: () => auth,
    handshakes: () => hs,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

run("host-key pinning", () => {
  const s = new LabSession();
  let st: Stack;
  const summary: string[] = [];
  /** A valid fingerprint of a key no device has. */
  const wrongKey = ed25519KeyPair().public;
  const wrongFp = fingerprint(wrongKey);

  beforeAll(async () => {
    await s.start("hostkeys");
    st = new Stack(s.lab, "hostkeys");
  }, 180_000);

  afterAll(async () => {
    for (const l of summary) report(l);
    await s.stop();
  });

  it(
    "RouterOS: a pinned fingerprint that does not match aborts before authentication, naming both fingerprints",
    async () => {
      const { knownHostsFile: _k, ...crs } = s.lab.devices.crs;
      const devices = { ...s.lab.devices, crs: { ...crs, hostKeys: [`ssh-ed25519 ${wrongFp}`] } };
      const execsBefore = s.lab.crs.stats().execs;
      const logBefore = s.lab.crs.execLog.length;
      const r = await st.run("up", [route], { devices });
      const text = r.errors.join("\n");
      expect(r.ok).toBe(false);
      expect(text).toContain(wrongFp);
      expect(text).toContain(s.lab.crs.hostKeyFingerprint);
      expect(text).toMatch(/mismatch/i);
      expect(text).toMatch(/before authentication/);
      expect(text).toContain("crs");
      expect(changes(r)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
      expect(s.lab.crs.stats().execs).toBe(execsBefore);
      expect(s.lab.crs.execLog.length).toBe(logBefore);
      expect(r.log).not.toMatch(/verification is OFF/);
      summary.push(
        `host-keys routeros: mismatch refused, expected ${wrongFp} and presented ${s.lab.crs.hostKeyFingerprint} shown; device execs during attempt ${s.lab.crs.stats().execs - execsBefore}`,
      );
    },
    TIMEOUT,
  );

  it(
    "OpenWrt: a known_hosts file with another key for the host aborts before authentication, naming both fingerprints",
    async () => {
      const kh = path.join(s.lab.dir, "known_hosts.changed");
      const hostName = s.lab.dlink.port === 22 ? s.lab.dlink.host : `[${s.lab.dlink.host}]:${s.lab.dlink.port}`;
      fs.writeFileSync(kh, `${hostName} ${wrongKey}\n`);
      const devices = { ...s.lab.devices, dlink: { ...s.lab.devices.dlink, knownHostsFile: kh } };
      const hostLog = path.join(s.lab.dir, "dlink", "host.log");
      const logLines = () => (fs.existsSync(hostLog) ? fs.readFileSync(hostLog, "utf8").split("\n") : []);
      // dropbear logs every user-auth outcome ("Pubkey auth succeeded…", "… bad signature…", "… fails") and, for a
      // client that left during key exchange, "Exit before auth…: …" without a user.
      const authLines = () =>
        logLines().filter((l) => /auth succeeded|auth bad|Max auth tries|fails\)|user '/i.test(l)).length;
      const exitsBeforeAuth = () => logLines().filter((l) => /Exit before auth(?!.*user ')/.test(l)).length;
      const authBefore = authLines();
      const exitsBefore = exitsBeforeAuth();
      const writesBefore = await s.lab.writes();
      const r = await st.run("up", [section], { devices });
      const text = r.errors.join("\n");
      expect(r.ok).toBe(false);
      expect(text).toContain(wrongFp);
      // dropbear offers ed25519 first; either of its keys is the presented one.
      expect(s.lab.dlink.hostKeyFingerprints.some((fp) => text.includes(fp))).toBe(true);
      expect(text).toMatch(/before authentication/);
      expect(text).toContain("dlink");
      expect(await s.lab.writes()).toEqual(writesBefore);
      // dropbear flushes its log asynchronously
      for (let k = 0; k < 20 && exitsBeforeAuth() === exitsBefore; k++) await new Promise((r) => setTimeout(r, 100));
      expect(authLines()).toBe(authBefore);
      expect(exitsBeforeAuth()).toBeGreaterThan(exitsBefore);
      summary.push(
        `host-keys openwrt: known_hosts mismatch refused; dropbear logged ${authLines() - authBefore} authentication(s) and ${exitsBeforeAuth() - exitsBefore} "Exit before auth" during the attempt`,
      );
    },
    TIMEOUT,
  );

  it(
    "a recording SSH server sees no authentication attempt under a mismatched pin (and some under the right one)",
    async () => {
      const srv = await recordingServer();
      try {
        const base = {
          platform: "routeros",
          host: "127.0.0.1",
          port: srv.port,
          username: "admin",
          privateKeyFile: s.lab.devices.crs.privateKeyFile,
          timeoutSeconds: 10,
        };
        const wrong = await st.run("up", [route], {
          devices: { ...s.lab.devices, crs: { ...base, hostKeys: [wrongFp] } },
        });
        expect(wrong.ok).toBe(false);
        expect(wrong.errors.join("\n")).toContain(wrongFp);
        expect(wrong.errors.join("\n")).toContain(fingerprint(srv.publicKey));
        const afterWrong = srv.authAttempts();
        expect(afterWrong).toBe(0);
        // Control: with the right pin the same client does try to authenticate (and is refused by this server).
        const right = await st.run("up", [route], {
          devices: { ...s.lab.devices, crs: { ...base, hostKeys: [fingerprint(srv.publicKey)] } },
        });
        expect(right.ok).toBe(false);
        expect(srv.authAttempts()).toBeGreaterThan(0);
        summary.push(
          `host-keys recording server: authentication attempts under a wrong pin ${afterWrong}, under the right pin ${srv.authAttempts()}`,
        );
      } finally {
        await srv.stop();
      }
    },
    TIMEOUT,
  );

  it(
    "insecureSkipHostKeyCheck: true connects, and the opt-out is logged with the accepted fingerprint",
    async () => {
      const { knownHostsFile: _k, ...crs } = s.lab.devices.crs;
      const devices = { ...s.lab.devices, crs: { ...crs, insecureSkipHostKeyCheck: true } };
      const up = await st.ok("up", [route], { devices });
      expect(changes(up)).toEqual({ create: 1, update: 0, replace: 0, delete: 0 });
      expect(up.log).toMatch(/host-key verification is OFF/);
      expect(up.log).toContain(s.lab.crs.hostKeyFingerprint);
      expect(up.log).toMatch(/"?crs"?/);
      const down = await st.ok("destroy", [route], { devices });
      expect(down.counts.delete).toBe(1);
      expect(down.log).toMatch(/host-key verification is OFF/);
      const warnings = up.log.split("\n").filter((l) => /verification is OFF/.test(l));
      summary.push(
        `host-keys opt-out: connected and logged (${warnings.length} warning line(s) in the up): ${warnings[0]?.trim()}`,
      );
    },
    TIMEOUT,
  );

  it(
    "the pinned lab entry logs no opt-out warning",
    async () => {
      const up = await st.ok("up", [route]);
      expect(up.log).not.toMatch(/verification is OFF/);
      await st.ok("destroy", [route]);
    },
    TIMEOUT,
  );
});
