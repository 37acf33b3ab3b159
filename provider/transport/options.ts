import type { Timers } from "./timers";

/** Second argument of `openDevice`; everything optional. */
export interface TransportOptions {
  /** Time source for connect/exec timeouts and log timestamps; default `systemTimers`. Tests inject a fake. */
  timers?: Timers;
  /** Receives ssh2's protocol debug lines (no secrets: ssh2 does not print credentials). */
  debug?: (message: string) => void;
}
