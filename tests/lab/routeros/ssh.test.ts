/**
 * The emulator over real SSH with an ssh2 Client (routeros-cli.md §1): exec only, CRLF stdout, exit 0, empty
 * stderr, pty refused, password and key login, host-key fingerprint, max-sessions, and the three channel
 * behaviours of DESIGN.md "Device rules".
 */
import { createHash } from "crypto";
import { Client, utils, type ClientChannel, type ConnectConfig } from "ssh2";
import { startRouterOsEmulator, type RouterOsEmulator, type RouterOsEmulatorOptions } from "./index";

const userKey = utils.generateKeyPairSync("ed25519");

async function start(extra: Partial<RouterOsEmulatorOptions> = {}): Promise<RouterOsEmulator> {
  return startRouterOsEmulator({
    users: [
      { name: "admin", publicKey: userKey.public },
      { name: "ops", password: "s3cret" },
    ],
    ...extra,
  });
}

function connect(emu: RouterOsEmulator, cfg: Partial<ConnectConfig> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    // A refused connection may just close without an error event.
    c.on("ready", () => resolve(c))
      .on("error", reject)
      .on("close", () => reject(new Error("connection closed before ready")));
    c.connect({
      host: emu.host,
      port: emu.port,
      username: "admin",
      privateKey: userKey.private,
      readyTimeout: 5000,
      ...cfg,
    });
  });
}

interface ExecOut {
  stdout: string;
  stderr: string;
  code: number | null;
}

function execOn(c: Client, cmd: string, opts: { pty?: boolean } = {}): Promise<ExecOut> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | undefined, ch: ClientChannel): void => {
      if (err) return reject(err);
      let stdout = "";
      let stderr = "";
      let code: number | null = null;
      ch.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      ch.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      ch.on("exit", (c: number) => (code = c));
      ch.on("close", () => resolve({ stdout, stderr, code }));
    };
    if (opts.pty) c.exec(cmd, { pty: true }, cb);
    else c.exec(cmd, cb);
  });
}

async function once(emu: RouterOsEmulator, cmd: string, cfg: Partial<ConnectConfig> = {}): Promise<ExecOut> {
  const c = await connect(emu, cfg);
  try {
    return await execOn(c, cmd);
  } finally {
    c.end();
  }
}

describe("RouterOS emulator over SSH", () => {
  let emu: RouterOsEmulator;
  beforeAll(async () => {
    emu = await start();
  });
  afterAll(() => emu.stop());

  test("T1 over exec: CRLF stdout, exit 0, empty stderr (§1.1)", async () => {
    expect(await once(emu, ":put [/system/resource/get version]")).toEqual({
      stdout: "7.20.8 (stable)\r\n",
      stderr: "",
      code: 0,
    });
    expect(emu.version).toBe("7.20.8 (stable)");
  });

  test("errors also exit 0 on stdout (§4.2, T8, T10)", async () => {
    expect(await once(emu, "/ip/address/add address=10.9.9.1/24 interface=nonexistent")).toEqual({
      stdout: "input does not match any value of interface\r\n",
      stderr: "",
      code: 0,
    });
    expect((await once(emu, "/ip/address/add address=10.9.9.1/24 interface=ether1 bogus=1")).stdout).toBe(
      "syntax error (line 1 column 54)\r\n",
    );
  });

  test("host key: ed25519, fingerprint as ssh-keygen -lf prints it (§1.4)", async () => {
    expect(emu.hostPublicKey).toMatch(/^ssh-ed25519 AAAA[0-9A-Za-z+/]+=*$/);
    let seen: Buffer | undefined;
    await once(emu, ":put 1", {
      hostVerifier: (key: Buffer) => {
        seen = key;
        return true;
      },
    });
    const fp = `SHA256:${createHash("sha256").update(seen!).digest("base64").replace(/=+$/, "")}`;
    expect(fp).toBe(emu.hostKeyFingerprint);
    expect(Buffer.from(emu.hostPublicKey.split(" ")[1], "base64").equals(seen!)).toBe(true);
  });

  test("password login; wrong password and password for a key user refused (§1.4 DOC-SSH)", async () => {
    expect((await once(emu, ":put ok", { username: "ops", password: "s3cret", privateKey: undefined })).stdout).toBe(
      "ok\r\n",
    );
    await expect(connect(emu, { username: "ops", password: "wrong", privateKey: undefined })).rejects.toThrow();
    await expect(connect(emu, { username: "admin", password: "anything", privateKey: undefined })).rejects.toThrow();
    const other = utils.generateKeyPairSync("ed25519");
    await expect(connect(emu, { privateKey: other.private })).rejects.toThrow();
  });

  test("pty is refused (§1.1: no pseudo-tty)", async () => {
    const c = await connect(emu);
    try {
      await expect(execOn(c, ":put 1", { pty: true })).rejects.toThrow();
    } finally {
      c.end();
    }
  });

  test("logs: every exec line, and one entry per write command", async () => {
    const execsBefore = emu.execLog.length;
    const writesBefore = emu.writeLog.length;
    await once(emu, '/ip/route/add gateway=pppoe-gpon comment="iac:x"; :put [/ip/route/find where comment="iac:x"]');
    await once(
      emu,
      '/ip/route/set [find where comment="iac:x"] distance=5; /ip/route/remove [find where comment="iac:x"]',
    );
    expect(emu.execLog.slice(execsBefore)).toHaveLength(2);
    expect(emu.writeLog.slice(writesBefore)).toEqual([
      '/ip/route/add gateway=pppoe-gpon comment="iac:x"',
      '/ip/route/set [find where comment="iac:x"] distance=5',
      '/ip/route/remove [find where comment="iac:x"]',
    ]);
    const outOfBandBefore = emu.writeLog.length;
    emu.outOfBand('/ip/route/add gateway=pppoe-gpon comment="admin"');
    expect(emu.writeLog.length).toBe(outOfBandBefore);
    expect(emu.execLog.length).toBe(execsBefore + 2);
  });
});

describe("channel modes and session limit", () => {
  test("per-exec (default): a second channel on one connection is refused", async () => {
    const emu = await start();
    try {
      const c = await connect(emu);
      expect((await execOn(c, ":put 1")).stdout).toBe("1\r\n");
      await expect(execOn(c, ":put 2")).rejects.toThrow();
      c.end();
      expect(emu.stats().refusedChannels).toBe(1);
    } finally {
      await emu.stop();
    }
  });

  test("sequential: channels one after another work, a concurrent one is refused", async () => {
    const emu = await start({ channelMode: "sequential" });
    try {
      const c = await connect(emu);
      expect((await execOn(c, ":put 1")).stdout).toBe("1\r\n");
      expect((await execOn(c, ":put 2")).stdout).toBe("2\r\n");
      const both = await Promise.allSettled([execOn(c, ":put 3"), execOn(c, ":put 4")]);
      expect(both.filter((r) => r.status === "rejected")).toHaveLength(1);
      c.end();
      expect(emu.stats().refusedChannels).toBe(1);
      expect(emu.stats().handshakes).toBe(1);
    } finally {
      await emu.stop();
    }
  });

  test("parallel: concurrent channels on one connection", async () => {
    const emu = await start({ channelMode: "parallel" });
    try {
      const c = await connect(emu);
      const outs = await Promise.all([1, 2, 3, 4].map((n) => execOn(c, `:put ${n}`)));
      expect(outs.map((o) => o.stdout)).toEqual(["1\r\n", "2\r\n", "3\r\n", "4\r\n"]);
      c.end();
      expect(emu.stats().execs).toBe(4);
      expect(emu.stats().refusedChannels).toBe(0);
    } finally {
      await emu.stop();
    }
  });

  test("maxSessions: connections over the limit are refused (§1.4 max-sessions)", async () => {
    const emu = await start({ maxSessions: 2 });
    try {
      const a = await connect(emu);
      const b = await connect(emu);
      await expect(connect(emu)).rejects.toThrow();
      expect(emu.stats()).toMatchObject({ openSessions: 2, maxConcurrentSessions: 2, refusedSessions: 1 });
      a.end();
      b.end();
      await new Promise((r) => setTimeout(r, 100));
      expect(emu.stats().openSessions).toBe(0);
      expect((await once(emu, ":put ok")).stdout).toBe("ok\r\n");
    } finally {
      await emu.stop();
    }
  });
});
