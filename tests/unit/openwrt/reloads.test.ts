import { ReloadCoordinator, type ReloadService } from "../../../provider/openwrt/reloads";
import type { DeviceTransport } from "../../../provider/transport/types";
import type { Timers } from "../../../provider/transport/timers";

/** A manual clock: timers fire only when the test advances time. */
function manualClock() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  const t: Timers & { advance(ms: number): Promise<void> } = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      timers = timers.filter((x) => x.id !== h);
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > end) break;
        timers.shift();
        now = due.at;
        due.fn();
        await flush();
      }
      now = end;
      await flush();
    },
  };
  return t;
}
const flush = async () => {
  for (let k = 0; k < 20; k++) await Promise.resolve();
};

const transport = { spec: { name: "dlink" } } as unknown as DeviceTransport;

function recorder() {
  const log: string[] = [];
  const svc = (key: string, fail?: string): ReloadService => ({
    key,
    run: async () => {
      log.push(`reload ${key}`);
      if (fail) throw new Error(fail);
    },
  });
  return { log, svc };
}

describe("reload coalescing", () => {
  it("writes starting within the window form one burst with one reload per service, and resolve after it", async () => {
    const clock = manualClock();
    const c = new ReloadCoordinator({ windowMs: 250, timers: clock });
    const { log, svc } = recorder();
    const settled: string[] = [];
    const w = (name: string, services: ReloadService[], at: number) =>
      c
        .write(transport, services, async () => {
          log.push(`work ${name}@${at}`);
          return { value: name, changed: true };
        })
        .then((v) => settled.push(v));
    const a = w("a", [svc("network")], 0);
    await clock.advance(200);
    const b = w("b", [svc("network"), svc("firewall")], 200);
    await clock.advance(200); // 400: b started 200 ms ago, window still open
    const d = w("d", [svc("firewall")], 400);
    await clock.advance(249);
    expect(settled).toEqual([]);
    expect(log).toEqual(["work a@0", "work b@200", "work d@400"]);
    await clock.advance(1);
    await Promise.all([a, b, d]);
    expect(log).toEqual(["work a@0", "work b@200", "work d@400", "reload network", "reload firewall"]);
    expect(settled.sort()).toEqual(["a", "b", "d"]);
  });

  it("a write after the window starts a new burst with its own reload", async () => {
    const clock = manualClock();
    const c = new ReloadCoordinator({ windowMs: 250, timers: clock });
    const { log, svc } = recorder();
    const one = c.write(transport, [svc("network")], async () => ({ value: 1, changed: true }));
    await flush(); // the work runs at once
    await clock.advance(300);
    await one;
    const two = c.write(transport, [svc("network")], async () => ({ value: 2, changed: true }));
    await flush();
    await clock.advance(300);
    await two;
    expect(log).toEqual(["reload network", "reload network"]);
  });

  it("each write rejects with the error of the reload it joined; unchanged writes join no reload", async () => {
    const clock = manualClock();
    const c = new ReloadCoordinator({ windowMs: 250, timers: clock });
    const { log, svc } = recorder();
    const net = c.write(transport, [svc("network", "netifd: bad config")], async () => ({ value: "n", changed: true }));
    const fw = c.write(transport, [svc("firewall")], async () => ({ value: "f", changed: true }));
    const same = c.write(transport, [svc("network", "netifd: bad config")], async () => ({
      value: "s",
      changed: false,
    }));
    const failed = c.write(transport, [svc("dnsmasq")], async () => {
      throw new Error("transaction failed");
    });
    const results = Promise.allSettled([net, fw, same, failed]);
    await flush();
    await clock.advance(250);
    const r = await results;
    expect(r.map((x) => (x.status === "fulfilled" ? x.value : (x.reason as Error).message))).toEqual([
      "netifd: bad config",
      "f",
      "s",
      "transaction failed",
    ]);
    expect(log).toEqual(["reload network", "reload firewall"]);
  });

  it("runs the burst's work serially per device", async () => {
    const clock = manualClock();
    const c = new ReloadCoordinator({ windowMs: 250, timers: clock });
    let running = 0;
    let max = 0;
    const work = async () => {
      running++;
      max = Math.max(max, running);
      await flush();
      running--;
      return { value: 0, changed: false };
    };
    const all = Promise.all([c.write(transport, [], work), c.write(transport, [], work), c.write(transport, [], work)]);
    for (let k = 0; k < 10; k++) await flush(); // the three works, one after another
    await clock.advance(250);
    await all;
    expect(max).toBe(1);
  });

  it("the quiet window counts from when the device's work has settled: a write that arrives late during a slow transaction still joins", async () => {
    const clock = manualClock();
    const c = new ReloadCoordinator({ windowMs: 250, timers: clock });
    const { log, svc } = recorder();
    let finishSlow: () => void = () => undefined;
    const slow = c.write(
      transport,
      [svc("firewall")],
      () =>
        new Promise<{ value: string; changed: boolean }>(
          (r) => (finishSlow = () => r({ value: "slow", changed: true })),
        ),
    );
    await flush();
    await clock.advance(400); // the window passed while the transaction runs: no reload yet
    expect(log).toEqual([]);
    finishSlow();
    await flush();
    await clock.advance(100); // 100 ms after the work settled a late write arrives (as when Check/Diff were held up)
    const late = c.write(transport, [svc("firewall")], async () => ({ value: "late", changed: true }));
    await flush();
    await clock.advance(249);
    expect(log).toEqual([]);
    await clock.advance(1);
    await Promise.all([slow, late]);
    expect(log).toEqual(["reload firewall"]);
  });
});
