/** Exec, channel modes, fallback, failures, timeouts, the session cap, interactive use and the command log. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAllDevices, openDevice, TransportError, type Timers } from "../../../provider/transport";
import { captureLog, PASSWORD, rejectionOf, specFor } from "./helpers";
import { SshFixture } from "./ssh-server-fixture";

let fx: SshFixture;
let log: ReturnType<typeof captureLog>;

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

afterEach(async () => {
  log?.restore();
  await closeAllDevices();
  await fx?.stop();
});

describe("exec on a plain server", () => {
  beforeEach(async () => {
    fx = await new SshFixture({ password: PASSWORD }).start();
    log = captureLog();
  });

  it("collects stdout, stderr and the exit status without requesting a pty", async () => {
    const t = openDevice(specFor(fx));
    await expect(t.exec("echo hello")).resolves.toEqual({ stdout: "hello\n", stderr: "", code: 0 });
    await expect(t.exec("fail 3 bad thing")).resolves.toEqual({ stdout: "", stderr: "bad thing\n", code: 3 });
    await expect(t.exec("noexit x")).resolves.toEqual({ stdout: "x\n", stderr: "", code: null });
    expect(fx.ptyRequests).toBe(0);
  });

  it("decodes UTF-8 split across packets", async () => {
    await expect(openDevice(specFor(fx)).exec("utf8-split")).resolves.toMatchObject({ stdout: "é€\n" });
  });

  it("writes stdin and closes it", async () => {
    const big = "x".repeat(100_000);
    await expect(openDevice(specFor(fx)).exec("cat", { stdin: big })).resolves.toMatchObject({ stdout: big });
  });

  it("per-exec mode (RouterOS default) without warm connections makes one handshake per exec and counts bytes", async () => {
    const t = openDevice(specFor(fx, { warmConnections: 0 }));
    for (let i = 0; i < 4; i++) await t.exec(`echo ${i}`);
    await t.exec("cat", { stdin: "abc" });
    expect(t.stats()).toMatchObject({
      handshakes: 5,
      execs: 5,
      bytesSent: 4 * "echo 0".length + "cat".length + 3,
      mode: "per-exec",
    });
    expect(fx.connections).toBe(5);
  });

  it("sequential mode (OpenWrt default) reuses one connection", async () => {
    const t = openDevice(specFor(fx, { platform: "openwrt" }));
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => t.exec(`echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(["1\n", "2\n", "3\n", "4\n", "5\n"]);
    expect(t.stats()).toMatchObject({ handshakes: 1, execs: 5, mode: "sequential" });
    expect(fx.connections).toBe(1);
    expect(fx.maxChannels).toBe(1);
  });

  it("reconnects when the cached connection was closed while idle", async () => {
    const t = openDevice(specFor(fx, { channelMode: "sequential" }));
    await t.exec("echo 1");
    fx.dropConnections();
    await until(() => fx.openConnections === 0, "the server to drop the connection");
    await new Promise((r) => setTimeout(r, 20));
    await expect(t.exec("echo 2")).resolves.toMatchObject({ stdout: "2\n" });
    expect(t.stats().handshakes).toBe(2);
    expect(fx.commands).toEqual(["echo 1", "echo 2"]);
  });

  it("parallel mode opens concurrent channels on one connection, at most maxSessions", async () => {
    const t = openDevice(specFor(fx, { channelMode: "parallel", maxSessions: 3 }));
    await Promise.all(Array.from({ length: 9 }, () => t.exec("sleep 50")));
    expect(fx.connections).toBe(1);
    expect(fx.maxChannels).toBe(3);
  });

  it("per-exec mode keeps at most maxSessions connections under 20 concurrent execs", async () => {
    // No warm connections, so there is one connection per exec (warm-connections.test.ts checks them at the cap).
    const t = openDevice(specFor(fx, { maxSessions: 4, warmConnections: 0 }));
    const results = await Promise.all(Array.from({ length: 20 }, () => t.exec("sleep 150")));
    expect(results.every((r) => r.stdout === "slept\n")).toBe(true);
    expect(fx.connections).toBe(20);
    expect(fx.maxOpenConnections).toBeLessThanOrEqual(4);
    expect(fx.maxChannels).toBeLessThanOrEqual(4);
    // The cap is used, not just respected (the sleeps overlap).
    expect(fx.maxOpenConnections).toBeGreaterThanOrEqual(2);
  });

  it("default maxSessions is 4", async () => {
    const t = openDevice(specFor(fx));
    await Promise.all(Array.from({ length: 12 }, () => t.exec("sleep 30")));
    expect(fx.maxOpenConnections).toBeLessThanOrEqual(4);
  });

  it("reports a connection closed mid-output as kind closed (not retried)", async () => {
    const t = openDevice(specFor(fx, { channelMode: "sequential" }));
    const err = await rejectionOf(t.exec("die-mid-output"));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.kind).toBe("closed");
    expect(err.notSent).toBe(false);
    expect(err.message).toContain('device "crs"');
    expect(fx.commands).toEqual(["die-mid-output"]);
    await expect(t.exec("echo after")).resolves.toMatchObject({ stdout: "after\n" });
  });

  it("times out a stalled exec, naming the device and a redacted command prefix", async () => {
    // The short budget is the exec's own: the device default (30 s) covers connect + handshake, which a loaded CI
    // machine can take longer than 0.2 s to finish.
    const t = openDevice(specFor(fx));
    const err = await rejectionOf(
      t.exec(`stall password=${PASSWORD} ${"y".repeat(200)}`, { secrets: ["nothing"], timeoutSeconds: 0.2 }),
    );
    expect(err.kind).toBe("timeout");
    expect(err.message).toContain('device "crs"');
    expect(err.message).toContain("stall password=***");
    expect(err.message).not.toContain(PASSWORD);
    expect(err.message).not.toContain("y".repeat(200));
    await until(() => fx.openConnections === 0, "the stalled connection to be closed");
  });

  it("takes the exec timeout from the injected clock", async () => {
    const pending: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
    const timers: Timers = {
      setTimeout: (fn, ms) => {
        const h = { fn, ms, cleared: false };
        pending.push(h);
        return h;
      },
      clearTimeout: (h) => {
        (h as { cleared: boolean }).cleared = true;
      },
      now: () => 0,
    };
    // No warm connections: their idle timers would sit beside the exec's.
    const t = openDevice(specFor(fx, { warmConnections: 0 }), { timers });
    const result = rejectionOf(t.exec("stall"));
    await until(() => fx.commands.includes("stall"), "the stalled command");
    const live = pending.filter((h) => !h.cleared);
    expect(live.map((h) => h.ms)).toEqual([30_000]);
    live[0].fn();
    const err = await result;
    expect(err.kind).toBe("timeout");
    expect(err.message).toContain("30 s");
  });

  it("times out a server that never completes the handshake", async () => {
    const net = await import("node:net");
    const sockets: import("node:net").Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as import("node:net").AddressInfo).port;
    try {
      const err = await rejectionOf(openDevice({ ...specFor(fx), port, timeoutSeconds: 0.1 }).exec("echo x"));
      expect(err.kind).toBe("timeout");
      expect(err.notSent).toBe(true);
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });

  it("runs an interactive exec: write, waitFor, end, done", async () => {
    const t = openDevice(specFor(fx, { platform: "openwrt" }));
    const session = await t.interactive("interactive");
    session.write("a\n");
    await expect(session.waitFor("got: a\n")).resolves.toBe("got: a\n");
    session.write("b\n");
    await expect(session.waitFor("got: b")).resolves.toBe("got: a\ngot: b\n");
    session.end();
    await expect(session.done).resolves.toEqual({ stdout: "got: a\ngot: b\n", stderr: "", code: 0 });
    // The session slot is free again.
    await expect(t.exec("echo next")).resolves.toMatchObject({ stdout: "next\n" });
  });

  it("rejects waitFor when the command ends without the marker", async () => {
    const t = openDevice(specFor(fx, { platform: "openwrt" }));
    const session = await t.interactive("echo only");
    const order: string[] = [];
    void session.done.then(() => order.push("done"));
    const err = await rejectionOf(session.waitFor("never"));
    order.push("waitFor");
    expect(err.kind).toBe("closed");
    // A caller racing waitFor against done sees done first.
    expect(order).toEqual(["done", "waitFor"]);
    await expect(session.done).resolves.toMatchObject({ stdout: "only\n" });
  });

  it("appends a redacted command log line per exec", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rs-cmdlog-"));
    const file = join(dir, "crs.log");
    const t = openDevice(specFor(fx, { commandLogFile: file }));
    await t.exec(`set password="${PASSWORD}" psk=wifi-Psk-1`, { secrets: ["wifi-Psk-1"] });
    await t.exec("cat", { stdin: "key=wifi-Psk-1\n", secrets: ["wifi-Psk-1"] });
    await rejectionOf(t.exec("stall", { timeoutSeconds: 0.05 }));
    const session = await t.interactive("interactive", { secrets: ["wifi-Psk-1"] });
    session.write("pin wifi-Psk-1\n");
    session.end();
    await session.done;
    const text = readFileSync(file, "utf8");
    rmSync(dir, { recursive: true, force: true });
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain("wifi-Psk-1");
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\S+Z crs per-exec cmd="set password=\\"\*\*\*\\" psk=\*\*\*" stdinBytes=0 ms=\d+ ok exit=0$/,
    );
    expect(lines[1]).toMatch(/ cmd="cat" stdin="key=\*\*\*\\n" stdinBytes=15 ms=\d+ ok exit=0$/);
    expect(lines[2]).toMatch(/ cmd="stall" stdinBytes=0 ms=\d+ error kind=timeout$/);
    expect(lines[3]).toMatch(/ cmd="interactive" stdin="pin \*\*\*\\n" stdinBytes=15 ms=\d+ ok exit=0$/);
  });

  it("closeAllDevices closes cached connections", async () => {
    const t = openDevice(specFor(fx, { channelMode: "sequential" }));
    await t.exec("echo 1");
    expect(fx.openConnections).toBe(1);
    await closeAllDevices();
    await until(() => fx.openConnections === 0, "the connection to close");
  });
});

describe("a server that refuses a second channel on one connection", () => {
  beforeEach(async () => {
    fx = await new SshFixture({ password: PASSWORD, refuseSecondChannel: true }).start();
    log = captureLog();
  });

  it("sequential mode falls back to per-exec, retries the refused exec once, and counts it", async () => {
    // No warm connections after the fallback, so the handshakes are the execs' own.
    const t = openDevice(specFor(fx, { channelMode: "sequential", warmConnections: 0 }));
    await expect(t.exec("echo 1")).resolves.toMatchObject({ stdout: "1\n" });
    await expect(t.exec("echo 2")).resolves.toMatchObject({ stdout: "2\n" });
    await expect(t.exec("echo 3")).resolves.toMatchObject({ stdout: "3\n" });
    expect(fx.refusedChannels).toBe(1);
    expect(fx.commands).toEqual(["echo 1", "echo 2", "echo 3"]);
    expect(t.stats()).toMatchObject({ refusedChannels: 1, mode: "per-exec", execs: 3, handshakes: 3 });
    expect(
      log.lines.some((l) => l.message.includes('device "crs"') && l.message.includes("one connection per exec")),
    ).toBe(true);
    await until(() => fx.openConnections === 0, "the retired shared connection to close");
  });

  it("parallel mode falls back too, and every exec runs exactly once", async () => {
    const t = openDevice(specFor(fx, { channelMode: "parallel", maxSessions: 4 }));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => t.exec(`echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`));
    expect([...fx.commands].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `echo ${i}`).sort());
    expect(t.stats().mode).toBe("per-exec");
    expect(t.stats().refusedChannels).toBeGreaterThanOrEqual(1);
  });

  it("per-exec mode never needs a second channel", async () => {
    const t = openDevice(specFor(fx));
    await t.exec("echo 1");
    await t.exec("echo 2");
    expect(fx.refusedChannels).toBe(0);
  });
});
