/**
 * Command line for the test engine, printing plans like the Pulumi CLI:
 *   npx tsx tests/engine/cli.ts <up|preview|refresh|destroy> --cwd <programDir> --stack <s> --state <file>
 *        [--refresh] [--parallel N] [--continue-on-error] [--timeout S] [--verbose]
 * Ctrl-C (SIGINT, or SIGTERM) as with the CLI: the first lets in-flight steps finish and writes the state,
 * the second stops at once.
 *   npx tsx tests/engine/cli.ts config set [--secret] <key> <value> --cwd <programDir> --stack <s>
 * The passphrase comes from PULUMI_CONFIG_PASSPHRASE. Exit status: 0 ok, 1 errors, 2 usage.
 */
import * as path from "path";
import { EngineInterrupt, EngineOp, EngineResult, runEngine, setStackConfigValue, stackFilePath } from "./index";
import { leaveInterruptsToCaller } from "./processes";

const OPS: EngineOp[] = ["up", "preview", "refresh", "destroy"];
const SYMBOL: Record<string, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  same: " ",
  refresh: "~",
};

function usage(msg?: string): never {
  if (msg) process.stderr.write(`error: ${msg}\n`);
  process.stderr.write(
    "usage: cli.ts <up|preview|refresh|destroy> --cwd <dir> --stack <name> --state <file> [--refresh] [--parallel N] [--continue-on-error] [--timeout S] [--verbose]\n" +
      "       cli.ts config set [--secret] <key> <value> --cwd <dir> --stack <name>\n",
  );
  process.exit(2);
}

/** Flags per command: name -> takes a value. Anything else is refused (docs/engine.md O9). */
const OP_FLAGS: Record<string, boolean> = {
  cwd: true,
  stack: true,
  state: true,
  parallel: true,
  timeout: true,
  refresh: false,
  "continue-on-error": false,
  verbose: false,
};
const CONFIG_FLAGS: Record<string, boolean> = { cwd: true, stack: true, secret: false };

/**
 * Parses `--name value`, `--name=value` and boolean `--name`. The Pulumi CLI has many more flags
 * (`--target`, `--exclude`, `--target-dependents`, `--exclude-protected`, `--target-replace`, … in pulumi/pulumi
 * pkg/cmd/pulumi/operations/up.go:798-830); the test engine implements none of them, so any flag it does not
 * know is an error naming the flag, never silently ignored: a run that ignored `--target` would touch
 * resources the user meant to leave alone.
 */
export function parseArgs(argv: string[]): { pos: string[]; flags: Record<string, string | true> } {
  const pos: string[] = [];
  const flags: Record<string, string | true> = {};
  const raw: { name: string; arg: string; value?: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("-") || a === "-") {
      pos.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = (eq < 0 ? a : a.slice(0, eq)).replace(/^--?/, "");
    const known = { ...OP_FLAGS, ...CONFIG_FLAGS };
    let value = eq < 0 ? undefined : a.slice(eq + 1);
    if (known[name] === true && value === undefined && a.startsWith("--")) {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    raw.push({ name, arg: eq < 0 ? a : a.slice(0, eq), value });
  }
  const allowed = pos[0] === "config" ? CONFIG_FLAGS : OP_FLAGS;
  for (const { name, arg, value } of raw) {
    if (!arg.startsWith("--") || !(name in allowed)) {
      throw new UsageError(
        `unknown flag ${arg}${pos[0] ? ` for ${pos[0]}` : ""}: the test engine does not implement it (it never ignores a flag)`,
      );
    }
    if (allowed[name]) flags[name] = value!;
    // boolean flags take an optional =true/=false, as the CLI's (pflag) do
    else if (value === undefined || value === "true") flags[name] = true;
    else if (value === "false") delete flags[name];
    else throw new UsageError(`${arg} takes no value other than true or false, not ${JSON.stringify(value)}`);
  }
  return { pos, flags };
}

export class UsageError extends Error {}

function parse(argv: string[]): { pos: string[]; flags: Record<string, string | true> } {
  try {
    return parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) usage(e.message);
    throw e;
  }
}

/** The plan/summary text for a result (exported for tests and other tools). */
export function render(r: EngineResult, verbose = false): string {
  const lines: string[] = [];
  const verb =
    r.op === "preview"
      ? "Previewing update"
      : r.op === "up"
        ? "Updating"
        : r.op === "refresh"
          ? "Refreshing"
          : "Destroying";
  lines.push(`${verb}:`);
  for (const d of r.drift) {
    lines.push(
      d.gone
        ? `  - ${d.name} (gone from the device; dropped from state)`
        : `  ~ ${d.name} drifted: [${d.diffs.join(", ")}]`,
    );
  }
  for (const s of r.steps) {
    if (s.op === "refresh" || (s.op === "same" && !verbose)) continue;
    const diffs = s.diffs.length > 0 && s.op !== "create" ? ` [diff: ${s.diffs.join(", ")}]` : "";
    lines.push(
      `  ${SYMBOL[s.op]} ${s.type} ${s.name} ${s.op}${s.op === "replace" ? "d" : ""}${diffs}${s.error ? "  **failed**" : ""}`,
    );
  }
  const c = r.counts;
  const parts = [
    c.create && `${c.create} to create`,
    c.update && `${c.update} to update`,
    c.replace && `${c.replace} to replace`,
    c.delete && `${c.delete} to delete`,
    c.same && `${c.same} unchanged`,
  ].filter(Boolean);
  lines.push("", "Resources:", `    ${parts.length > 0 ? parts.join(", ") : "no changes"}`);
  if (r.drift.length > 0) lines.push(`    ${r.drift.length} drifted`);
  const outs = Object.entries(r.outputs);
  if (outs.length > 0) {
    lines.push("", "Outputs:");
    for (const [k, v] of outs) lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  if (r.errors.length > 0) {
    lines.push("", "Diagnostics:");
    for (const e of r.errors) lines.push(`  error: ${e}`);
  }
  return lines.join("\n") + "\n";
}

function positive(flag: string, v: string, integer: boolean): number {
  const n = Number(v);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    usage(`${flag} must be a positive ${integer ? "integer" : "number"}, not ${JSON.stringify(v)}`);
  return n;
}

async function main(): Promise<void> {
  const { pos, flags } = parse(process.argv.slice(2));
  const cwd = path.resolve(typeof flags.cwd === "string" ? flags.cwd : ".");
  const stack = typeof flags.stack === "string" ? flags.stack : usage("--stack is required");
  if (pos[0] === "config") {
    if (pos[1] !== "set" || pos.length !== 4) usage("config set [--secret] <key> <value>");
    setStackConfigValue(
      stackFilePath(cwd, stack),
      pos[2],
      pos[3],
      flags.secret === true,
      process.env.PULUMI_CONFIG_PASSPHRASE,
    );
    return;
  }
  const op = pos[0] as EngineOp;
  if (!OPS.includes(op) || pos.length !== 1) usage();
  const state = typeof flags.state === "string" ? path.resolve(flags.state) : usage("--state is required");
  const interrupt = new EngineInterrupt();
  leaveInterruptsToCaller();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      process.stderr.write(
        `${sig === "SIGINT" ? "^C" : sig} received; ${interruptCount++ === 0 ? "cancelling" : "terminating"}\n`,
      );
      interrupt.interrupt();
    });
  }
  let interruptCount = 0;
  const r = await runEngine(op, {
    programDir: cwd,
    stack,
    stateFile: state,
    refresh: flags.refresh === true,
    continueOnError: flags["continue-on-error"] === true,
    interrupt,
    parallel: typeof flags.parallel === "string" ? positive("--parallel", flags.parallel, true) : undefined,
    timeoutSeconds: typeof flags.timeout === "string" ? positive("--timeout", flags.timeout, false) : undefined,
  });
  process.stdout.write(render(r, flags.verbose === true));
  if (flags.verbose === true) process.stderr.write(r.log + "\n");
  process.exitCode = r.ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
