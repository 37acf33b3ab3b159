/**
 * Lifecycle harness: one lab (RouterOS emulator + OpenWrt-like host) per test file, the test program in
 * ./program driven by the test engine, and device-side counts (dumps, write logs) for every assertion.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startLab, type Lab, type LabDump } from "../lab/lab";
import { diffDumps, type DumpDifference } from "../lab/dump-diff";
import { runEngine, type EngineOp, type EngineResult } from "../engine";

export const PROGRAM_DIR = path.join(__dirname, "program");
export const PASSPHRASE = "routerstack-e2e";
/**
 * Environment for runs of the test program in ./program: `PULUMI_NODEJS_TRANSPILE_ONLY=true`, which the CLI's
 * language host honours (@pulumi/pulumi `cmd/run/run.js`: ts-node then compiles without type-checking). The program
 * is one unchanged file that `npm run typecheck` (scripts/typecheck-programs.ts) already type-checks as the CLI's
 * ts-node would; checking it again on each of the suite's hundreds of runs adds nothing and cost about 2 s a run on
 * the 2-core machine (README "Duration"). Other programs (the examples, the failover and importer programs, the
 * package-install test) keep the CLI's default: type-checked.
 */
export const PROGRAM_ENV: Record<string, string> = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

export interface ResourceSpec {
  platform: "routeros" | "openwrt";
  kind: string;
  name: string;
  args: Record<string, unknown>;
  secretArgs?: string[];
  /** Names of resources declared earlier in the list that this one depends on (`dependsOn`). */
  dependsOn?: string[];
  /** Pulumi resource options */
  options?: { protect?: boolean; retainOnDelete?: boolean; ignoreChanges?: string[]; deleteBeforeReplace?: boolean };
}

/** Root is needed for the OpenWrt host (namespaces, mounts). Without it tests skip, except under CI=true. */
export function labAvailable(): boolean {
  const root = process.getuid?.() === 0;
  if (!root && process.env.CI === "true") throw new Error("the lab needs root and CI=true forbids skipping");
  if (!root) process.stderr.write("skipped: the lab needs root (network namespaces and mounts)\n");
  return root;
}

export class LabSession {
  lab!: Lab;
  private stateFile = "";
  private dir = "";
  private static counter = 0;

  async start(name: string): Promise<void> {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `rs-e2e-${name}-`));
    this.lab = await startLab({ dir: this.dir, name: `${name}${process.pid % 1000}`.slice(0, 12) });
    this.stateFile = path.join(this.dir, "state.json");
  }

  async stop(): Promise<void> {
    try {
      await this.lab?.stop();
    } finally {
      if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** Runs one engine operation over `resources`; `refresh` as with `pulumi up/preview --refresh`. */
  async run(op: EngineOp, resources: ResourceSpec[], opts: { refresh?: boolean } = {}): Promise<EngineResult> {
    return runEngine(op, {
      programDir: PROGRAM_DIR,
      stack: "test",
      stateFile: this.stateFile,
      refresh: opts.refresh,
      passphrase: PASSPHRASE,
      env: PROGRAM_ENV,
      configOverrides: { "routerstack:devices": this.lab.devices, "test:resources": resources },
    });
  }

  /** Same as run, but throws with the engine's errors when the operation failed. */
  async ok(op: EngineOp, resources: ResourceSpec[], opts: { refresh?: boolean } = {}): Promise<EngineResult> {
    const r = await this.run(op, resources, opts);
    if (!r.ok) throw new Error(`${op} failed:\n${r.errors.join("\n")}\n${r.log.slice(-4000)}`);
    return r;
  }

  dump(): Promise<LabDump> {
    return this.lab.dump();
  }

  /** Device-side writes (both devices) made while `fn` ran. */
  async writesDuring(fn: () => Promise<unknown>): Promise<number> {
    const a = await this.lab.writes();
    await fn();
    const b = await this.lab.writes();
    return b.crs - a.crs + (b.dlink - a.dlink);
  }

  statePath(): string {
    return this.stateFile;
  }

  static nextName(prefix: string): string {
    return `${prefix}${++LabSession.counter}`;
  }
}

export function differences(before: LabDump, after: LabDump): DumpDifference[] {
  return diffDumps(before, after);
}
