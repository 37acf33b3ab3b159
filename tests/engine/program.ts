/**
 * Runs a Pulumi program the way the CLI's Node.js language host does: `node @pulumi/pulumi/cmd/run` with
 * `--monitor`/`--engine` pointing at our gRPC services (monitor.ts), the stack config in `PULUMI_CONFIG` /
 * `PULUMI_CONFIG_SECRET_KEYS`, and `PULUMI_NODEJS_TYPESCRIPT=true` unless Pulumi.yaml turns TypeScript off —
 * cmd/run then loads ts-node (the program's own, else the one bundled with @pulumi/pulumi) and type-checks
 * unless `PULUMI_NODEJS_TRANSPILE_ONLY=true` or the tsconfig says `noCheck`.
 * (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go execRuntime / constructArguments; docs/engine.md.)
 * The whole run is bounded by the operation deadline; the child is killed in every case.
 */
import { spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { MonitorHandlers, startMonitor } from "./monitor";
import { track, untrack } from "./processes";
import type { Props } from "./properties";

export type { Registration } from "./monitor";

export interface ProgramRunOptions extends Pick<MonitorHandlers, "register" | "shutdown"> {
  programDir: string;
  main: string;
  /** Pulumi.yaml `runtime.options.typescript` (default true) */
  typescript: boolean;
  /** Pulumi.yaml `runtime.options.tsconfig` */
  tsconfig?: string;
  /** Pulumi.yaml `runtime.options.nodeargs`, split on spaces */
  nodeargs: string[];
  project: string;
  stack: string;
  preview: boolean;
  /** `--parallel` as the CLI passes it to the language host */
  parallel: number;
  env: Record<string, string>;
  deadline: number;
  log: (line: string) => void;
  /** the program is told to stop (SIGINT, as the language host's Cancel does) when this fires */
  cancelled?: Promise<void>;
}

export interface ProgramRunResult {
  /** outputs registered on the root stack resource (secrets wrapped) */
  outputs?: Props;
  errors: string[];
}

/** Pulumi's own organization name for backends without organizations (the diy backend). */
const ORGANIZATION = "organization";

export async function runProgram(opts: ProgramRunOptions): Promise<ProgramRunResult> {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [opts.programDir] }));
  const errors: string[] = [];
  let outputs: Props | undefined;
  let stackUrn = "";
  const monitor = await startMonitor(opts.project, opts.stack, {
    register: (reg) => {
      if (reg.type === "pulumi:pulumi:Stack" && !reg.parent) stackUrn = reg.urn;
      return opts.register(reg);
    },
    registerOutputs: (urn, outs) => {
      if (urn === stackUrn) outputs = outs;
    },
    log: (severity, message, urn) => {
      // the CLI shows the SDK's debug messages only when asked (`--debug`, `-v`); they carry serialized inputs,
      // secrets included, so they are dropped here as well
      if (severity === "debug") return;
      opts.log(`[program ${severity}]${urn ? ` ${urn}:` : ""} ${message}`);
      if (severity === "error") errors.push(`program: ${urn ? `${urn}: ` : ""}${message.trim()}`);
    },
    shutdown: opts.shutdown,
  });
  const args = [
    path.join(pulumiDir, "cmd", "run"),
    "--monitor",
    monitor.address,
    "--engine",
    monitor.address,
    "--organization",
    ORGANIZATION,
    "--project",
    opts.project,
    "--root-directory",
    opts.programDir,
    "--stack",
    opts.stack,
    "--pwd",
    opts.programDir,
    ...(opts.preview ? ["--dry-run"] : []),
    "--parallel",
    String(opts.parallel),
    opts.main,
  ];
  const env = { ...opts.env };
  // the language host hands the program its config with keys in the old `<ns>:config:<name>` form
  const config = JSON.parse(env.PULUMI_CONFIG ?? "{}") as Record<string, string>;
  env.PULUMI_CONFIG = JSON.stringify(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^([^:]+):/, "$1:config:"), v])),
  );
  if (opts.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (opts.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfig;
  const child = spawn(process.execPath, [...opts.nodeargs, ...args], {
    cwd: opts.programDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  track(child);
  opts.log(`[engine] program pid ${child.pid}: node ${[...opts.nodeargs, ...args].join(" ")}`);
  readline.createInterface({ input: child.stdout! }).on("line", (l) => opts.log(`[program] ${l}`));
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on("line", (l) => {
    stderr.push(l);
    opts.log(`[program stderr] ${l}`);
  });
  void opts.cancelled?.then(() => child.kill("SIGINT"));
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          child.kill("SIGKILL");
          reject(new Error("program run timed out"));
        },
        Math.max(0, opts.deadline - Date.now()),
      );
      child.once("exit", (c, sig) => {
        clearTimeout(timer);
        resolve(sig ? -1 : c);
      });
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    if (code !== 0 && errors.length === 0) {
      const tail = stderr.slice(-20).join("\n").trim();
      errors.push(`program: exited with code ${code}${tail ? `: ${tail}` : ""}`);
    }
    // a registration answered after the exit (none should be) must not outlive the run
    await monitor.idle();
    return { outputs, errors };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    untrack(child);
    await monitor.close();
  }
}
