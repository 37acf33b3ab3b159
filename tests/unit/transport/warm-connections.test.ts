/**
 * Per-exec mode's warm connections (provider/transport/device.ts `warmUp`): logged in ahead of need, one exec
 * each, within `maxSessions`, closed when idle or when the transport closes.
 */
import { closeAllDevices, openDevice, type Timers } from "../../../provider/transport";
import { WARM_IDLE_MS } from "../../../provider/transport/device";
import { PASSWORD, specFor } from "./helpers";
import { SshFixture } from "./ssh-server-fixture";

let fx: SshFixture;

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeEach(async () => {
  // A server without channel multiplexing: a second exec on one connection would be refused and counted.
  fx = await new SshFixture({ password: PASSWORD, refuseSecondChannel: true }).start();
});

afterEach(async () => {
  await closeAllDevices();
  await fx.stop();
});

describe("warm connections in per-exec mode", () => {
  it("serves each exec after the first on a connection that logged in before the exec before it ended", async () => {
    const t = openDevice(specFor(fx));
    // Each exec lasts longer than a login here, so a login started beside it is done when it ends.
    for (let i = 0; i < 5; i++) await t.exec("sleep 300", { readOnly: true });
    expect(fx.execs).toHaveLength(5);
    // One exec per connection, as RouterOS needs (reference/routeros-cli.md §1.4).
    expect(new Set(fx.execs.map((e) => e.connection)).size).toBe(5);
    expect(fx.refusedChannels).toBe(0);
    for (let i = 1; i < 5; i++) expect(fx.execs[i].readyAt).toBeLessThan(fx.execs[i - 1].requestedAt + 300);
    // The default keeps two ready: the handshakes are the five execs' and the two left waiting.
    expect(t.stats()).toMatchObject({ execs: 5, handshakes: 7, mode: "per-exec" });
  });

  it("never holds more sessions than maxSessions, execs and warm connections together", async () => {
    const t = openDevice(specFor(fx, { maxSessions: 2, warmConnections: 3 }));
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 5 }, () => t.exec("sleep 20")));
    for (let i = 0; i < 4; i++) await t.exec("echo x");
    expect(fx.maxOpenConnections).toBeLessThanOrEqual(2);
    expect(fx.commands).toHaveLength(19);
    expect(fx.refusedChannels).toBe(0);
  });

  it("closes a warm connection left unused for WARM_IDLE_MS", async () => {
    // Only the idle timer is held back (WARM_IDLE_MS differs from the close grace, 2 s); the rest run for real.
    const idle: Array<() => void> = [];
    const timers: Timers = {
      setTimeout: (fn, ms) => (ms === WARM_IDLE_MS ? idle.push(fn) : setTimeout(fn, ms)),
      clearTimeout: (h) => (typeof h === "number" ? undefined : clearTimeout(h as NodeJS.Timeout)),
      now: () => Date.now(),
    };
    const t = openDevice(specFor(fx, { warmConnections: 1 }), { timers });
    await t.exec("echo 1", { readOnly: true });
    await until(() => idle.length === 1, "the warm connection");
    await until(() => fx.openConnections === 1, "the exec's own connection to close");
    idle[0]();
    await until(() => fx.openConnections === 0, "the idle warm connection to close");
    // The next exec connects by itself, and keeps one warm again.
    await expect(t.exec("echo 2", { readOnly: true })).resolves.toMatchObject({ stdout: "2\n" });
    // exec 1, its warm connection (closed idle), exec 2, and the one warm after it.
    expect(t.stats().handshakes).toBe(4);
  });

  it("after an exec that may change the device, no connection logged in before its end serves an exec", async () => {
    const t = openDevice(specFor(fx));
    await t.exec("sleep 300", { readOnly: true });
    // Not read-only: a change. It may itself run on a connection logged in before it (the cut comes after).
    await t.exec("sleep 300");
    const change = fx.execs[1];
    expect(change.readyAt).toBeLessThan(fx.execs[0].requestedAt + 300);
    await t.exec("echo after", { readOnly: true });
    await t.exec("echo again", { readOnly: true });
    // A change can cut new connections while older ones live on: only a login made after it shows the cut.
    for (const e of fx.execs.slice(2)) expect(e.readyAt).toBeGreaterThan(change.requestedAt + 300);
    expect(new Set(fx.execs.map((e) => e.connection)).size).toBe(4);
  });

  it("close() ends warm connections, one still logging in too", async () => {
    const t = openDevice(specFor(fx));
    await t.exec("echo 1");
    await t.close();
    await until(() => fx.openConnections === 0, "every connection to close");
    // A connection whose login finished after close() is ended on arrival, not kept.
    await new Promise((r) => setTimeout(r, 200));
    expect(fx.openConnections).toBe(0);
  });

  it("warmConnections 0 logs in only for an exec; a bad value is refused before any I/O", async () => {
    const t = openDevice(specFor(fx, { warmConnections: 0 }));
    await t.exec("echo 1");
    await t.exec("echo 2");
    expect(t.stats().handshakes).toBe(2);
    expect(() => openDevice(specFor(fx, { warmConnections: -1 }))).toThrow(/warmConnections must be an integer ≥ 0/);
    expect(fx.connections).toBe(2);
  });

  it("sequential mode keeps none: one connection serves every exec", async () => {
    const quiet = await new SshFixture({ password: PASSWORD }).start();
    try {
      const s = openDevice(specFor(quiet, { channelMode: "sequential" }));
      for (let i = 0; i < 3; i++) await s.exec(`echo ${i}`);
      expect(quiet.connections).toBe(1);
    } finally {
      await quiet.stop();
    }
  });
});
