/**
 * Engine side of a program run: starts program-child.cjs in a fresh process (cwd = program dir; under
 * `node --import tsx` unless the project turns TypeScript off) and answers its resource registrations
 * (reference §5, §6.13). The whole run is bounded by the operation deadline; the child is killed in every case.
 */
import { spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { pathToFileURL } from "url";
import { track, untrack } from "./processes";
import type { Props } from "./properties";
import type { ResourceOptionsState } from "./state";

/** One resource registration from the program (`kind: "read"` = `get`/`opts.id`). */
export interface Registration {
  kind: "register" | "read";
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  /** secrets wrapped, unknowns as the sentinel string */
  inputs: Props;
  /** import/get id */
  id?: string;
  parent?: string;
  deps: string[];
  options: ResourceOptionsState;
}

export interface ChildSpec {
  main: string;
  project: string;
  stack: string;
  preview: boolean;
  pulumiDir: string;
  deadline: number;
}

export type ChildMessage =
  | { t: "register"; seq: number; reg: Registration }
  | { t: "done"; outputs?: Props; errors: string[] };

export type EngineMessage = { t: "result"; seq: number; ok: boolean; id?: string; state?: Props; error?: string };

export interface ProgramRunOptions {
  programDir: string;
  main: string;
  /** Pulumi.yaml `runtime.options.typescript` (default true): run the program under a TypeScript loader */
  typescript: boolean;
  project: string;
  stack: string;
  preview: boolean;
  env: Record<string, string>;
  deadline: number;
  log: (line: string) => void;
  /** answers one registration: resolves with the resource's id and output state, rejects with the step error */
  onRegister: (reg: Registration) => Promise<{ id: string; state: Props }>;
}

export interface ProgramRunResult {
  outputs?: Props;
  errors: string[];
}

/** tsx 4's loader, resolved from this repository (tsx is a devDependency here, not of the program). */
function tsxLoaderUrl(): string {
  return pathToFileURL(require.resolve("tsx", { paths: [path.resolve(__dirname, "..", "..")] })).href;
}

export async function runProgram(opts: ProgramRunOptions): Promise<ProgramRunResult> {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [opts.programDir] }));
  const spec: ChildSpec = {
    main: opts.main,
    project: opts.project,
    stack: opts.stack,
    preview: opts.preview,
    pulumiDir,
    deadline: opts.deadline,
  };
  // tsx stands in for the ts-node the CLI loads for TypeScript; with `typescript: false` the CLI loads none,
  // and bare node also spares the ~0.5 s that tsx's module hooks add to every run.
  const loader = opts.typescript ? ["--import", tsxLoaderUrl()] : [];
  const child = spawn(process.execPath, [...loader, path.join(__dirname, "program-child.cjs")], {
    cwd: opts.programDir,
    env: { ...opts.env, ROUTERSTACK_ENGINE_CHILD: JSON.stringify(spec) },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  track(child);
  opts.log(`[engine] program pid ${child.pid}`);
  readline.createInterface({ input: child.stdout! }).on("line", (l) => opts.log(`[program] ${l}`));
  readline.createInterface({ input: child.stderr! }).on("line", (l) => opts.log(`[program stderr] ${l}`));

  const inFlight = new Set<Promise<void>>();
  try {
    return await new Promise<ProgramRunResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("program run timed out")), Math.max(0, opts.deadline - Date.now()));
      const finish = (r: ProgramRunResult | Error) => {
        clearTimeout(timer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      child.on("message", (m: ChildMessage) => {
        if (m.t === "register") {
          const p = opts.onRegister(m.reg).then(
            (r) => reply({ t: "result", seq: m.seq, ok: true, id: r.id, state: r.state }),
            (e: Error) => reply({ t: "result", seq: m.seq, ok: false, error: e.message }),
          );
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        } else if (m.t === "done") {
          done = true;
          // registrations are all answered before the child reports done, but keep the ordering explicit
          void Promise.all(inFlight).then(() => finish({ outputs: m.outputs, errors: m.errors }));
        }
      });
      let done = false;
      child.once("exit", (code, sig) => done || finish(new Error(`program process exited before finishing (code ${code}, signal ${sig})`)));
      child.once("error", (e) => finish(e));
    });
  } finally {
    // wait for the exit (bounded) so the process is reaped, not left as a zombie, when we return
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      const t = setTimeout(() => child.kill("SIGKILL"), 1000);
      let give: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (give = setTimeout(r, 3000)))]);
      clearTimeout(t);
      clearTimeout(give);
    }
    untrack(child);
  }

  function reply(msg: EngineMessage): void {
    if (child.connected) child.send(msg);
  }
}
