/**
 * `npm run bench` — performance of the routerstack provider against the lab behind a TCP latency proxy
 * (issue 4, measurement half). See bench/README.md for what every figure means.
 *
 *   npm run bench -- [--n 10,100,500] [--runs 3] [--latency-ms 30] [--modes per-exec,sequential,parallel]
 *                    [--no-baseline] [--baseline-concurrency 20] [--parallel N] [--timeout-s 1800]
 *                    [--out bench/results.json] [--quick] [--keep-logs DIR]
 *
 * For each RouterOS channel behaviour (the emulator's and the provider's `channelMode`), each N and each run, on a
 * fresh state: up (all creates), up (no-op), refresh, up (update 10%), destroy — each an operation of the test
 * engine (tests/engine: the real dynamic-provider host under a stand-in for the Pulumi CLI; the CLI's own overhead
 * is not in these figures). Then the same five operations done the baseline way (tests/bench/baseline.ts).
 * Prints a table of medians and writes every figure, with its unit, N, mode and the commit, to results.json.
 *
 * Needs root (the OpenWrt lab host). Exit status: 0 when every operation succeeded, 1 otherwise, 2 without root.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runEngine, type EngineOp, type EngineResult } from "../engine";
import type { ResourceSpec } from "../e2e/harness";
import { runBaseline, type BaselineOp } from "./baseline";
import { startBenchLab, type BenchLab, type ChannelMode } from "./lab";
import { watchProviderHost } from "./procmon";
import { BENCH_PASSPHRASE, BENCH_STACK, writeBenchProgram } from "./program";
import { topology, updated, updateSet } from "./topology";

const ROOT = path.resolve(__dirname, "..", "..");
const ALL_MODES: ChannelMode[] = ["per-exec", "sequential", "parallel"];
const OPS = ["up", "noop", "refresh", "update", "destroy"] as const;
type Op = (typeof OPS)[number];
const OP_LABEL: Record<Op, string> = {
  up: "up (create)",
  noop: "up (no-op)",
  refresh: "refresh",
  update: "up (update 10%)",
  destroy: "destroy",
};

interface Args {
  ns: number[];
  runs: number;
  latencyMs: number;
  modes: ChannelMode[];
  baseline: boolean;
  /**
   * Commands the baseline runs at once (default 20). A program of `command` resources under the CLI runs at most
   * `--parallel` of them, so `--baseline-concurrency 8` is that program at the CLI's default on 2 CPUs.
   */
  baselineConcurrency: number;
  /** engine step limit (`--parallel`); undefined = the engine default, 4 × CPUs like the Pulumi CLI's */
  parallel?: number;
  timeoutS: number;
  out: string;
  quick: boolean;
  /** where to copy each run's command logs (one line per exec, with start time and duration); none by default */
  keepLogs?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    ns: [10, 100],
    runs: 3,
    latencyMs: 30,
    modes: ALL_MODES,
    baseline: true,
    baselineConcurrency: 20,
    parallel: undefined,
    timeoutS: 1800,
    out: path.join(ROOT, "bench", "results.json"),
    quick: false,
  };
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    given.add(k);
    if (k === "--n") a.ns = v().split(",").map(Number);
    else if (k === "--runs") a.runs = Number(v());
    else if (k === "--latency-ms") a.latencyMs = Number(v());
    else if (k === "--modes") a.modes = v().split(",") as ChannelMode[];
    else if (k === "--no-baseline") a.baseline = false;
    else if (k === "--baseline-concurrency") a.baselineConcurrency = Number(v());
    else if (k === "--parallel") a.parallel = Number(v());
    else if (k === "--timeout-s") a.timeoutS = Number(v());
    else if (k === "--out") a.out = path.resolve(v());
    else if (k === "--quick") a.quick = true;
    else if (k === "--keep-logs") a.keepLogs = path.resolve(v());
    else if (k === "--help" || k === "-h") {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0] + "*/\n");
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  if (a.quick) {
    if (!given.has("--n")) a.ns = [10];
    if (!given.has("--runs")) a.runs = 1;
    if (!given.has("--modes")) a.modes = ["per-exec"];
  }
  for (const m of a.modes)
    if (!ALL_MODES.includes(m)) throw new Error(`--modes: ${m} is not one of ${ALL_MODES.join(", ")}`);
  if (a.ns.some((n) => !Number.isInteger(n) || n < 2)) throw new Error("--n: integers ≥ 2");
  if (a.parallel !== undefined && !(Number.isInteger(a.parallel) && a.parallel >= 1))
    throw new Error("--parallel: an integer ≥ 1");
  if (!(a.runs >= 1)) throw new Error("--runs: ≥ 1");
  if (!Number.isInteger(a.baselineConcurrency) || a.baselineConcurrency < 1)
    throw new Error("--baseline-concurrency: an integer ≥ 1");
  if (!(a.latencyMs >= 0)) throw new Error("--latency-ms: ≥ 0");
  return a;
}

// ------------------------------------------------------------------ figures

interface Figure {
  mode: string;
  n: number;
  op: Op;
  metric: string;
  unit: string;
  /** median over runs */
  value: number;
  runs: number[];
}

interface Sample {
  wall_s: number;
  handshakes_crs: number;
  handshakes_dlink: number;
  handshakes: number;
  execs_crs: number;
  execs_dlink: number;
  execs: number;
  bytes_sent_crs: number;
  bytes_sent_dlink: number;
  bytes_sent: number;
  peak_rss_mb?: number;
  provider_cpu_s?: number;
  max_sessions_crs: number;
  /** baseline only: connections refused before the handshake and retried */
  refused_crs?: number;
  refused_dlink?: number;
}

const UNITS: Record<keyof Sample, string> = {
  wall_s: "s",
  handshakes_crs: "count",
  handshakes_dlink: "count",
  handshakes: "count",
  execs_crs: "count",
  execs_dlink: "count",
  execs: "count",
  bytes_sent_crs: "bytes",
  bytes_sent_dlink: "bytes",
  bytes_sent: "bytes",
  peak_rss_mb: "MB",
  provider_cpu_s: "s",
  max_sessions_crs: "count",
  refused_crs: "count",
  refused_dlink: "count",
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function countLines(file: string, re?: RegExp): number {
  try {
    const lines = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.length > 0);
    return re ? lines.filter((l) => re.test(l)).length : lines.length;
  } catch {
    return 0;
  }
}

/** dropbear (-E) logs one "Child connection from" per accepted TCP connection. */
const DROPBEAR_CONN = /Child connection from/;

interface Counters {
  crs: ReturnType<NonNullable<BenchLab["crs"]>["stats"]>;
  dlinkConns: number;
  dlinkCmds: number;
  crsUp: number;
  dlinkUp: number;
}

function counters(lab: BenchLab, dlinkCmdLog: string): Counters {
  return {
    crs: lab.crs!.stats(),
    dlinkConns: countLines(lab.dlinkDropbearLog, DROPBEAR_CONN),
    dlinkCmds: countLines(dlinkCmdLog),
    crsUp: lab.crsProxy!.stats().bytesUp,
    dlinkUp: lab.dlinkProxy.stats().bytesUp,
  };
}

function delta(a: Counters, b: Counters, wallMs: number, peakKb: number | undefined, dlinkExecs?: number): Sample {
  const s: Sample = {
    wall_s: wallMs / 1000,
    handshakes_crs: b.crs.handshakes - a.crs.handshakes,
    handshakes_dlink: b.dlinkConns - a.dlinkConns,
    handshakes: 0,
    execs_crs: b.crs.execs - a.crs.execs,
    execs_dlink: dlinkExecs ?? b.dlinkCmds - a.dlinkCmds,
    execs: 0,
    bytes_sent_crs: b.crsUp - a.crsUp,
    bytes_sent_dlink: b.dlinkUp - a.dlinkUp,
    bytes_sent: 0,
    max_sessions_crs: b.crs.maxConcurrentSessions,
  };
  s.handshakes = s.handshakes_crs + s.handshakes_dlink;
  s.execs = s.execs_crs + s.execs_dlink;
  s.bytes_sent = s.bytes_sent_crs + s.bytes_sent_dlink;
  if (peakKb !== undefined) s.peak_rss_mb = Math.round(peakKb / 102.4) / 10;
  return s;
}

// ------------------------------------------------------------------ runs

function say(msg: string): void {
  process.stderr.write(msg + "\n");
}

function check(op: Op, r: EngineResult, n: number, k: number): string | undefined {
  if (!r.ok) return r.errors.slice(0, 3).join("; ").slice(0, 600);
  const c = r.counts;
  const want: Record<Op, [string, number, number]> = {
    up: ["create", c.create, n],
    noop: ["same", c.same, n],
    refresh: ["drift", r.drift.length, 0],
    update: ["update", c.update, k],
    destroy: ["delete", c.delete, n],
  };
  const [what, got, expected] = want[op];
  return got === expected ? undefined : `${what}: expected ${expected}, got ${got}`;
}

/**
 * `--keep-logs`: the command logs so far (each line: exec start time and duration) and one line of `ops.jsonl`
 * naming the operation and its start (epoch ms) and wall time, so an exec can be placed in its operation.
 */
function keepLogs(dir: string, op: Record<string, unknown>, logs: string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, "ops.jsonl"), JSON.stringify(op) + "\n");
  for (const f of logs)
    if (fs.existsSync(f)) fs.copyFileSync(f, path.join(dir, `${op.mode}-n${op.n}-r${op.run}-${path.basename(f)}`));
}

async function providerRun(
  lab: BenchLab,
  args: Args,
  n: number,
  run: number,
  record: (op: Op, s: Sample) => void,
  failures: string[],
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(lab.dir, `n${n}-r${run}-`));
  const crsCmdLog = path.join(dir, "crs-commands.log");
  const dlinkCmdLog = path.join(dir, "dlink-commands.log");
  const devices = lab.devices({ crsCommandLog: crsCmdLog, dlinkCommandLog: dlinkCmdLog });
  const items = topology(n);
  const specs = items.map((i) => i.spec);
  const upd = updateSet(items);
  const stateFile = path.join(dir, "state.json");
  const plan: [Op, EngineOp, ResourceSpec[]][] = [
    ["up", "up", specs],
    ["noop", "up", specs],
    ["refresh", "refresh", specs],
    ["update", "up", updated(items, upd)],
    ["destroy", "destroy", updated(items, upd)],
  ];
  const programDir = writeBenchProgram(path.join(lab.dir, "program"), ROOT);
  for (const [op, engineOp, resources] of plan) {
    const resourcesFile = path.join(dir, `${op}-resources.json`);
    fs.writeFileSync(resourcesFile, JSON.stringify(resources));
    const before = counters(lab, dlinkCmdLog);
    const mon = watchProviderHost();
    const t0 = performance.now();
    const r = await runEngine(engineOp, {
      programDir,
      stack: BENCH_STACK,
      stateFile,
      passphrase: BENCH_PASSPHRASE,
      parallel: args.parallel,
      timeoutSeconds: args.timeoutS,
      env: { ROUTERSTACK_BENCH_RESOURCES: resourcesFile },
      configOverrides: { "routerstack:devices": devices },
    });
    const wall = performance.now() - t0;
    const peak = mon.stop();
    const after = counters(lab, dlinkCmdLog);
    const s = delta(before, after, wall, peak.peakKb || undefined);
    if (peak.pids.length) s.provider_cpu_s = Math.round(peak.cpuS * 100) / 100;
    const bad = check(op, r, n, upd.size);
    if (bad) {
      failures.push(`${lab.mode} N=${n} run ${run} ${op}: ${bad}`);
      fs.writeFileSync(path.join(dir, `${op}.log`), r.log);
    }
    record(op, s);
    if (args.keepLogs)
      keepLogs(args.keepLogs, { mode: lab.mode, n, run, op, t0: performance.timeOrigin + t0, wall }, [
        crsCmdLog,
        dlinkCmdLog,
      ]);
    say(
      `  ${lab.mode} N=${n} run ${run} ${OP_LABEL[op].padEnd(16)} ${s.wall_s.toFixed(2)} s  hs ${s.handshakes_crs}+${s.handshakes_dlink}  ` +
        `execs ${s.execs_crs}+${s.execs_dlink}  sent ${(s.bytes_sent / 1024).toFixed(1)} KiB  rss ${s.peak_rss_mb ?? "?"} MB  cpu ${s.provider_cpu_s ?? "?"} s${bad ? `  FAILED: ${bad}` : ""}`,
    );
    if (bad && op === "up") break;
  }
}

async function baselineRun(
  lab: BenchLab,
  n: number,
  run: number,
  record: (op: Op, s: Sample) => void,
  failures: string[],
  concurrency: number,
): Promise<void> {
  const items = topology(n);
  const upd = updateSet(items);
  const eps = lab.endpoints();
  for (const op of OPS) {
    const before = counters(lab, "");
    const r = await runBaseline(items, op as BaselineOp, eps, upd, concurrency);
    const after = counters(lab, "");
    // one exec per OpenWrt connection (that is the baseline): count them from the connections dropbear logged
    const dlinkConns = after.dlinkConns - before.dlinkConns;
    const s = delta(before, after, r.ms, undefined, dlinkConns);
    s.refused_crs = r.retriesBy.crs;
    s.refused_dlink = r.retriesBy.dlink;
    if (r.failures.length) failures.push(`baseline N=${n} run ${run} ${op}: ${r.failures.slice(0, 3).join("; ")}`);
    record(op, s);
    say(
      `  baseline N=${n} run ${run} ${OP_LABEL[op].padEnd(16)} ${s.wall_s.toFixed(2)} s  hs ${s.handshakes_crs}+${s.handshakes_dlink}  ` +
        `execs ${s.execs_crs}+${s.execs_dlink}  sent ${(s.bytes_sent / 1024).toFixed(1)} KiB  retries crs ${r.retriesBy.crs} dlink ${r.retriesBy.dlink}` +
        (r.failures.length ? `  FAILED ${r.failures.length}` : ""),
    );
  }
}

// ------------------------------------------------------------------ output

function gitInfo(): { commit: string; dirty: string[] } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "provider", "sdk", "tests/engine", "tests/lab"], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter(Boolean)
      .map((l) => l.trim());
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: [] };
  }
}

function table(figs: Figure[], modes: string[], ns: number[]): string {
  const get = (mode: string, n: number, op: Op, metric: string) =>
    figs.find((f) => f.mode === mode && f.n === n && f.op === op && f.metric === metric)?.value;
  const head = [
    "mode",
    "N",
    "operation",
    "wall s",
    "handshakes crs+dlink",
    "execs crs+dlink",
    "KiB sent",
    "peak RSS MB",
    "host CPU s",
  ];
  const rows: string[][] = [];
  for (const mode of modes) {
    for (const n of ns) {
      for (const op of OPS) {
        const w = get(mode, n, op, "wall_s");
        if (w === undefined) continue;
        const hs = `${get(mode, n, op, "handshakes_crs")}+${get(mode, n, op, "handshakes_dlink")}`;
        const ex = `${get(mode, n, op, "execs_crs")}+${get(mode, n, op, "execs_dlink")}`;
        const kb = ((get(mode, n, op, "bytes_sent") ?? 0) / 1024).toFixed(1);
        const rss = get(mode, n, op, "peak_rss_mb");
        const cpu = get(mode, n, op, "provider_cpu_s");
        rows.push([
          mode,
          String(n),
          OP_LABEL[op],
          w.toFixed(2),
          hs,
          ex,
          kb,
          rss === undefined ? "-" : rss.toFixed(0),
          cpu === undefined ? "-" : cpu.toFixed(1),
        ]);
      }
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const lines = [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)];
  // speed-up against the baseline, where both were measured
  const sp: string[] = [];
  for (const mode of modes.filter((m) => m !== "baseline")) {
    for (const n of ns) {
      const parts: string[] = [];
      for (const op of ["up", "refresh"] as Op[]) {
        const p = get(mode, n, op, "wall_s");
        const b = get("baseline", n, op, "wall_s");
        if (p !== undefined && b !== undefined) parts.push(`${OP_LABEL[op]} ${(b / p).toFixed(2)}x`);
      }
      if (parts.length) sp.push(`  ${mode} N=${n}: ${parts.join(", ")}`);
    }
  }
  if (sp.length) lines.push("", "speed-up vs baseline (baseline wall / provider wall; > 1 = provider faster):", ...sp);
  return lines.join("\n");
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    say(`bench: ${(e as Error).message}`);
    process.exit(2);
  }
  if (process.getuid?.() !== 0) {
    say("bench: needs root (the OpenWrt lab host uses network namespaces and mounts)");
    process.exit(2);
  }
  if (!fs.existsSync(path.join(ROOT, "node_modules", "routerstack", "dist")))
    say("bench: run `npm run prepare` first (node_modules/routerstack is not built)");
  const git = gitInfo();
  const started = new Date();
  say(
    `bench: N=${args.ns.join(",")} runs=${args.runs} latency=${args.latencyMs} ms RTT modes=${args.modes.join(",")} baseline=${args.baseline} ` +
      `engine parallel=${args.parallel ?? `default (${os.availableParallelism() * 4})`} commit=${git.commit.slice(0, 12)}${git.dirty.length ? " (+uncommitted changes)" : ""}`,
  );
  const samples = new Map<string, Sample[]>(); // mode|n|op -> per run
  const failures: string[] = [];
  const recorder = (mode: string, n: number) => (op: Op, s: Sample) => {
    const key = `${mode}|${n}|${op}`;
    samples.set(key, [...(samples.get(key) ?? []), s]);
  };

  const figures = (): Figure[] => {
    const out: Figure[] = [];
    for (const [key, ss] of samples) {
      const [mode, n, op] = key.split("|");
      for (const metric of Object.keys(UNITS) as (keyof Sample)[]) {
        const vals = ss.map((s) => s[metric]).filter((v): v is number => v !== undefined);
        if (vals.length === 0) continue;
        out.push({
          mode,
          n: Number(n),
          op: op as Op,
          metric,
          unit: UNITS[metric],
          value: Math.round(median(vals) * 1000) / 1000,
          runs: vals,
        });
      }
    }
    return out;
  };
  const write = (done: boolean) => {
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    const doc = {
      commit: git.commit,
      uncommittedChanges: git.dirty,
      started: started.toISOString(),
      finished: done ? new Date().toISOString() : undefined,
      complete: done,
      what:
        "routerstack provider timed under the test engine (tests/engine: real dynamic-provider host, stand-in for the Pulumi CLI; " +
        "the CLI's own overhead is not included), lab devices behind a TCP latency proxy. Figures are medians over runs; `runs` holds each run.",
      settings: {
        latencyMsRoundTrip: args.latencyMs,
        runs: args.runs,
        ns: args.ns,
        modes: args.modes,
        baseline: args.baseline,
        baselineConcurrency: args.baselineConcurrency,
        engineParallel: args.parallel ?? os.availableParallelism() * 4,
        routerosEmulatorMaxSessions: 20,
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
      },
      metrics: {
        wall_s:
          "wall-clock seconds of the whole operation (engine start to end, provider host start included; baseline: first connect to last close)",
        handshakes_crs: "SSH handshakes the RouterOS emulator completed (device side)",
        handshakes_dlink: "TCP connections dropbear accepted on the OpenWrt host (its log; each is one SSH handshake)",
        execs_crs: "exec requests the RouterOS emulator served (device side)",
        execs_dlink:
          "execs to the OpenWrt host: the provider's command log (one line per exec); baseline: one per connection",
        bytes_sent:
          "bytes client→device through the latency proxies (SSH transport bytes: handshake, auth, commands, stdin)",
        provider_cpu_s: "CPU seconds (user + system) of the dynamic-provider host, last /proc reading before it exited",
        peak_rss_mb: "peak RSS (VmHWM) of the dynamic-provider host process, polled from /proc every 25 ms",
        refused_crs: "baseline: connections the RouterOS emulator dropped (max-sessions 20), retried after 50 ms",
        refused_dlink: "baseline: connections dropbear dropped (its unauthenticated-per-IP limit), retried after 50 ms",
        max_sessions_crs:
          "most concurrent SSH sessions the RouterOS emulator saw since this mode's emulator started (cumulative)",
      },
      failures,
      figures: figures(),
    };
    fs.writeFileSync(args.out, JSON.stringify(doc, null, 2) + "\n");
  };

  const labDir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-bench-"));
  let lab: BenchLab | undefined;
  const stop = async () => {
    await lab?.stop();
    fs.rmSync(labDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    lab = await startBenchLab(labDir, args.latencyMs);
    for (const mode of args.modes) {
      await lab.useMode(mode);
      say(`mode ${mode}: RouterOS emulator channel behaviour ${mode}, provider channelMode ${mode}`);
      for (const n of args.ns) {
        for (let run = 1; run <= args.runs; run++) {
          await providerRun(lab, args, n, run, recorder(mode, n), failures);
          write(false);
        }
      }
    }
    if (args.baseline) {
      // Any emulator mode serves the baseline alike (one exec per connection); the session limit is 20.
      if (lab.mode !== "per-exec") await lab.useMode("per-exec");
      say(
        `baseline: one SSH connection and one command per resource operation, concurrency min(N, ${args.baselineConcurrency})`,
      );
      for (const n of args.ns)
        for (let run = 1; run <= args.runs; run++) {
          await baselineRun(lab, n, run, recorder("baseline", n), failures, args.baselineConcurrency);
          write(false);
        }
    }
  } finally {
    write(true);
    await stop();
  }
  const modes = [...args.modes, ...(args.baseline ? ["baseline"] : [])];
  process.stdout.write(
    `\nrouterstack bench — commit ${git.commit.slice(0, 12)}${git.dirty.length ? " + uncommitted changes in " + git.dirty.length + " files" : ""}; ` +
      `${args.latencyMs} ms RTT; median of ${args.runs} run(s); provider timed under the test engine (not the Pulumi CLI)\n\n` +
      table(figures(), modes, args.ns) +
      "\n\n" +
      (failures.length ? `FAILURES:\n${failures.map((f) => `  ${f}`).join("\n")}\n` : "all operations succeeded\n") +
      `results: ${path.relative(process.cwd(), args.out)}\n`,
  );
  process.exitCode = failures.length ? 1 : 0;
}

void main().catch((e) => {
  say(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
