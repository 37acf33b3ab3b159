/**
 * The batching window shared by the per-device coalescers (RouterOS: routeros/batcher.ts; OpenWrt:
 * uci-read-batcher.ts, uci-write-batcher.ts): requests to one device that arrive within a short window, or while that device's previous batch is still in flight, are
 * handed to ONE call of the batch function.
 * Why: Pulumi calls a provider once per resource, all at once; one exec per batch instead of one per resource
 * makes a refresh's round trips grow with the packages touched, not with the number of resources (issue 4).
 * Waiting for the previous batch (rather than running batches side by side) is what makes requests that keep
 * arriving during a slow exec pile up into the next batch instead of each opening its own exec.
 * Built on dataloader (https://github.com/graphql/dataloader#batch-scheduling) with `cache: false`: every load is
 * its own request and nothing is memoised (a read after a write must see the write).
 */
import DataLoader from "dataloader";
import { systemTimers, type Timers } from "./timers";
import type { DeviceTransport } from "./types";

/**
 * Default batching window, milliseconds: long enough for the calls the Pulumi engine issues together to arrive
 * (they come within a few ms of each other), short against one SSH round trip, so a lone request barely waits.
 */
export const DEFAULT_BATCH_WINDOW_MS = 20;

export interface DeviceBatchOptions {
  /**
   * Window in milliseconds, counted from the first request of a batch; default {@link DEFAULT_BATCH_WINDOW_MS}.
   * 0: dispatch once the I/O events already queued are handled (`setImmediate`), so a lone request pays nothing.
   */
  windowMs?: number;
  /** Injectable clock (tests); default Node's timers. */
  timers?: Timers;
}

/**
 * A DataLoader for one device: `run` gets the requests of one batch in arrival order and returns one result
 * or Error per request, in the same order (an Error rejects that request alone; a rejected `run` rejects them
 * all). A batch is dispatched `windowMs` after its first request, and not before the previous batch's `run` has
 * settled, so at most one `run` is in flight per loader. A batch that had to wait for the previous one is
 * dispatched `windowMs` after that one settles: the operations the previous batch finished make their next
 * requests (the engine starts its next steps) right then, and they join instead of forming a batch of their own
 * — without this, batches of 6 and 2 alternate where 8 steps are in flight, each paying a full exec.
 */
export function deviceBatchLoader<K, V>(
  run: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
  opts: DeviceBatchOptions = {},
): DataLoader<K, V> {
  const windowMs = opts.windowMs ?? DEFAULT_BATCH_WINDOW_MS;
  const timers = opts.timers ?? systemTimers;
  let inFlight: Promise<void> = Promise.resolve();
  let running = false;
  return new DataLoader<K, V>(
    (keys) => {
      running = true;
      const batch = run(keys);
      inFlight = batch.then(
        () => void (running = false),
        () => void (running = false),
      );
      return batch;
    },
    {
      cache: false,
      // DataLoader starts a new batch for the first load after a dispatch, so when this timer fires the batch
      // before it has already been dispatched and `inFlight` is its run.
      batchScheduleFn: (dispatch) => {
        if (windowMs === 0) return void setImmediate(() => void inFlight.then(dispatch));
        timers.setTimeout(() => {
          if (!running) return dispatch();
          void inFlight.then(() => timers.setTimeout(dispatch, windowMs));
        }, windowMs);
      },
    },
  );
}

/**
 * Memoises one value (a loader, a batcher) per device transport and argument, so every caller for one device and
 * argument shares its batches. The argument is compared by its JSON text; transports are held weakly.
 */
export function perDevice<A, T>(
  make: (transport: DeviceTransport, arg: A) => T,
): (transport: DeviceTransport, arg: A) => T {
  const made = new WeakMap<DeviceTransport, Map<string | undefined, T>>();
  return (transport, arg) => {
    let byArg = made.get(transport);
    if (!byArg) made.set(transport, (byArg = new Map()));
    const key = JSON.stringify(arg);
    let value = byArg.get(key);
    if (value === undefined) byArg.set(key, (value = make(transport, arg)));
    return value;
  };
}
