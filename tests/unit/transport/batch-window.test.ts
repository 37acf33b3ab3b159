/**
 * The per-device batching window (provider/transport/batch-window.ts) on an injected clock: requests within the
 * window share a batch, at most one batch runs at a time, and a batch that waited for the previous one is held
 * one more window after it, so the requests its completion sets off join it.
 */
import { deviceBatchLoader } from "../../../provider/transport/batch-window";
import type { Timers } from "../../../provider/transport/timers";

/** A clock advanced by hand: `advance(ms)` fires every timer due, in order. */
function manualTimers(): Timers & { advance(ms: number): Promise<void> } {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  const flush = () => new Promise((r) => setImmediate(r));
  return {
    setTimeout: (fn, ms) => void timers.push({ at: now + ms, fn }),
    clearTimeout: () => undefined,
    now: () => now,
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await flush();
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
      await flush();
    },
  };
}

describe("deviceBatchLoader", () => {
  /** A loader whose batches stay in flight until `finish()`; `batches` records each batch's keys. */
  function setup() {
    const timers = manualTimers();
    const batches: string[][] = [];
    const pending: (() => void)[] = [];
    const loader = deviceBatchLoader<string, string>(
      (keys) => {
        batches.push([...keys]);
        return new Promise((resolve) => pending.push(() => resolve(keys.map((k) => `ok ${k}`))));
      },
      { windowMs: 20, timers },
    );
    const finish = () => pending.shift()!();
    return { timers, batches, loader, finish };
  }

  it("requests within the window share one batch; a later one starts the next", async () => {
    const { timers, batches, loader, finish } = setup();
    const a = loader.load("a");
    await timers.advance(10);
    const b = loader.load("b");
    await timers.advance(10);
    expect(batches).toEqual([["a", "b"]]);
    finish();
    await expect(Promise.all([a, b])).resolves.toEqual(["ok a", "ok b"]);
    const c = loader.load("c");
    await timers.advance(20);
    expect(batches).toEqual([["a", "b"], ["c"]]);
    finish();
    await expect(c).resolves.toBe("ok c");
  });

  it("a batch that waited for the previous one takes in what arrives within a window after that one ends", async () => {
    const { timers, batches, loader, finish } = setup();
    const first = Promise.all(Array.from({ length: 6 }, (_, i) => loader.load(`a${i}`)));
    await timers.advance(20);
    // Two arrive while the six are in flight: they wait.
    const waiting = [loader.load("b0"), loader.load("b1")];
    await timers.advance(100);
    expect(batches).toHaveLength(1);
    // The six end; their operations make their next requests a few milliseconds later.
    finish();
    await first;
    await timers.advance(5);
    const next = Array.from({ length: 6 }, (_, i) => loader.load(`c${i}`));
    await timers.advance(20);
    expect(batches[1]).toEqual(["b0", "b1", "c0", "c1", "c2", "c3", "c4", "c5"]);
    finish();
    await Promise.all([...waiting, ...next]);
    expect(batches).toHaveLength(2);
  });

  it("at most one batch is in flight", async () => {
    const { timers, batches, loader, finish } = setup();
    const a = loader.load("a");
    await timers.advance(20);
    const b = loader.load("b");
    await timers.advance(500);
    expect(batches).toEqual([["a"]]);
    finish();
    await a;
    await timers.advance(20);
    expect(batches).toEqual([["a"], ["b"]]);
    finish();
    await b;
  });
});
