/**
 * Time source of the transport. Injectable so tests can fire timeouts without waiting on the wall clock.
 */

export interface Timers {
  /** Schedules `fn` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds since the epoch; used for durations and log timestamps. */
  now(): number;
}

/** Node's own timers and `Date.now`. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};
