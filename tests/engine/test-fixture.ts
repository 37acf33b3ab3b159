/**
 * Shared set-up for the engine tests: a fresh stack of the `devprog` fixture program (its own stack file,
 * state file and JSON "device" file), and helpers to look at the device and at leftover processes.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineOp, EngineOptions, EngineResult, runEngine } from "./index";

export const PROGRAM_DIR = path.join(__dirname, "fixtures", "devprog");
export const PASSPHRASE = "engine-test-passphrase";

export interface Item {
  name: string;
  host: string;
  key: string;
  value: string;
  note?: string;
  uniqueName?: boolean;
  dependsOnPrevious?: boolean;
  ignoreChanges?: string[];
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  aliasOf?: string;
  deletedWith?: string;
  customTimeouts?: { create?: string; update?: string; delete?: string };
  importId?: string;
  transform?: boolean;
  delayMs?: number;
  diffDelayMs?: number;
  createDelayMs?: number;
  diffMode?: string;
  valueFromPrevious?: boolean;
  replaceOnChanges?: string[];
}

export interface Device {
  entries: Record<string, { value: string; secret?: string; token?: string }>;
  log: string[];
}

export class TestStack {
  readonly stack = `test-${crypto.randomBytes(4).toString("hex")}`;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-engine-"));
  readonly deviceFile = path.join(this.dir, "device.json");
  readonly stateFile = path.join(this.dir, "state.json");
  readonly stackFile = path.join(PROGRAM_DIR, `Pulumi.${this.stack}.yaml`);
  readonly pids: number[] = [];

  run(op: EngineOp, items: Item[] | undefined, extra: Partial<EngineOptions> = {}): Promise<EngineResult> {
    const overrides: Record<string, unknown> = { "devprog:deviceFile": this.deviceFile };
    if (items) overrides["devprog:items"] = items;
    return runEngine(op, {
      programDir: PROGRAM_DIR,
      stack: this.stack,
      stateFile: this.stateFile,
      passphrase: PASSPHRASE,
      timeoutSeconds: 60,
      ...extra,
      // The fixture is type-checked once by `npm run typecheck` (scripts/typecheck-programs.ts) as the CLI's ts-node
      // would; each run skips the check, as the CLI does with this setting (P2 in cli-fidelity.test.ts).
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...(extra.env ?? {}) },
      configOverrides: { ...overrides, ...(extra.configOverrides ?? {}) },
    }).then((r) => {
      this.pids.push(...pidsIn(r.log));
      return r;
    });
  }

  device(): Device {
    return fs.existsSync(this.deviceFile)
      ? JSON.parse(fs.readFileSync(this.deviceFile, "utf8"))
      : { entries: {}, log: [] };
  }

  /** every provider call, in order (the fixture provider appends them to <deviceFile>.calls) */
  calls(): { t: number; pid: number; op: string; key?: string; phase: string; olds?: string[] }[] {
    const f = `${this.deviceFile}.calls`;
    return fs.existsSync(f)
      ? fs
          .readFileSync(f, "utf8")
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  }

  clearCalls(): void {
    fs.rmSync(`${this.deviceFile}.calls`, { force: true });
  }

  writeDevice(d: Device): void {
    fs.writeFileSync(this.deviceFile, JSON.stringify(d, null, 2));
  }

  state(): { resources: { urn: string; name: string; id: string; inputs: Record<string, unknown> }[] } {
    return JSON.parse(fs.readFileSync(this.stateFile, "utf8"));
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.stackFile, { force: true });
  }
}

/** pids of the host and program processes an operation started (the engine logs them) */
export function pidsIn(log: string): number[] {
  return [...log.matchAll(/\[engine\] (?:host|program) pid (\d+)/g)].map((m) => Number(m[1]));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const items3: Item[] = [1, 2, 3].map((i) => ({ name: `e${i}`, host: "rtr", key: `k${i}`, value: `v${i}` }));
