/** The in-process RouterOS console: state + interpreter + starting config, without SSH. */
import { Interpreter, LOG_ECHO, type Variation } from "./interpreter";
import { LabScheduler } from "./scheduler";
import { applyStartingConfig } from "./startingConfig";
import { RouterState } from "./state";

/** The RouterOS versions the emulator models (state.ts FULL_VERSIONS): the test matrix every version-wise test runs. */
export const ROUTEROS_VERSIONS = ["7.16", "7.19", "7.20", "7.23"] as const;
export type RouterOsVersion = (typeof ROUTEROS_VERSIONS)[number];

export interface CliOptions {
  version?: RouterOsVersion;
  variation?: Variation;
  startingConfig?: "reference" | "site" | "empty" | "defconf";
  /** The device clock (ms since the epoch) the scheduler reads; default the real clock (scheduler.ts). */
  now?: () => number;
}

export interface RouterOsCli {
  /** Exact stdout of one exec line, CRLF line endings. */
  run(line: string): string;
  dump(): Record<string, unknown[]>;
}

export interface RouterOsConsole extends RouterOsCli {
  readonly state: RouterState;
  /** Runs due `/system/scheduler` jobs (scheduler.ts). */
  readonly scheduler: LabScheduler;
  /** Run a line, reporting each successful write command to `onWrite`. */
  runLogged(line: string, onWrite: (entry: string) => void): string;
}

export function createConsole(opts: CliOptions = {}): RouterOsConsole {
  const state = new RouterState(opts.version ?? "7.20");
  const interp = new Interpreter(state, opts.variation ?? {});
  applyStartingConfig(state, interp, opts.startingConfig ?? "reference");
  if (opts.now) state.now = opts.now;
  const scheduler = new LabScheduler(state, interp, opts.now, !!opts.variation?.schedulerRunsAtOnce);
  // A job is anchored by the `add` that made it ("start-time left out" = that moment, filled in by the add
  // itself), so a later command of the same line (a `print`) sees its start and next run; or, in the
  // schedulerAnchoredAtLineEnd variation, when the line ends. Which of the two RouterOS does is [I].
  const atLineEnd = !!opts.variation?.schedulerAnchoredAtLineEnd;
  const echo = opts.variation?.logEcho ? LOG_ECHO : "";
  const run = (line: string, onWrite?: (entry: string) => void) => {
    const out = interp.run(line, (entry) => {
      if (!atLineEnd) scheduler.sync();
      onWrite?.(entry);
    });
    if (atLineEnd) scheduler.sync();
    return echo + out;
  };
  return {
    state,
    scheduler,
    run: (line) => run(line),
    runLogged: (line, onWrite) => run(line, onWrite),
    dump: () => state.dump(),
  };
}
