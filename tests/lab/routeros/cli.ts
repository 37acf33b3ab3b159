/** The in-process RouterOS console: state + interpreter + starting config, without SSH. */
import { Interpreter, type Variation } from "./interpreter";
import { applyStartingConfig } from "./startingConfig";
import { RouterState } from "./state";

export type RouterOsVersion = "7.16" | "7.19" | "7.20" | "7.23";

export interface CliOptions {
  version?: RouterOsVersion;
  variation?: Variation;
  startingConfig?: "reference" | "site" | "empty" | "defconf";
}

export interface RouterOsCli {
  /** Exact stdout of one exec line, CRLF line endings. */
  run(line: string): string;
  dump(): Record<string, unknown[]>;
}

export interface RouterOsConsole extends RouterOsCli {
  readonly state: RouterState;
  /** Run a line, reporting each successful write command to `onWrite`. */
  runLogged(line: string, onWrite: (entry: string) => void): string;
}

export function createConsole(opts: CliOptions = {}): RouterOsConsole {
  const state = new RouterState(opts.version ?? "7.20");
  const interp = new Interpreter(state, opts.variation ?? {});
  applyStartingConfig(state, interp, opts.startingConfig ?? "reference");
  return {
    state,
    run: (line) => interp.run(line),
    runLogged: (line, onWrite) => interp.run(line, onWrite),
    dump: () => state.dump(),
  };
}
