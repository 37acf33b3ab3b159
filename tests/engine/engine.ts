/**
 * The deployment logic that stands in for the Pulumi CLI's engine (reference §5): runs the program, turns
 * each dynamic-resource registration into Check → Create | Diff → Update | Replace | Same against the real
 * dynamic-provider host, deletes what the program no longer declares, and implements refresh and destroy.
 */
import * as os from "os";
import { crypterFromEncryptionSalt, SymmetricCrypter } from "./crypto";
import { Deployment, EngineStep, errText } from "./deployment";
import { ensureStackCrypter, loadProject, loadStackConfig, readEncryptionSalt } from "./project";
import { Props, unwrapSecrets } from "./properties";
import { readState, StateFile, writeState } from "./state";

export type { EngineStep } from "./deployment";

export type EngineOp = "up" | "preview" | "refresh" | "destroy";

export interface EngineOptions {
  /** holds Pulumi.yaml (name, runtime: nodejs, optional main) and Pulumi.<stack>.yaml */
  programDir: string;
  stack: string;
  /** JSON state; created if missing */
  stateFile: string;
  /** with "preview" or "up": refresh first (like `pulumi preview --refresh`); for preview the refreshed state is NOT saved */
  refresh?: boolean;
  /** default process.env.PULUMI_CONFIG_PASSPHRASE; required when the stack file has secure: values or state has secrets */
  passphrase?: string;
  env?: Record<string, string>;
  /**
   * the CLI's `--parallel`: steps in flight at once (1 = serial); default `PULUMI_PARALLEL`, else 4 × the
   * number of CPUs, as the CLI's (pulumi/pulumi pkg/cmd/pulumi/operations/up.go defaultParallel)
   */
  parallel?: number;
  /** whole operation, default 300 */
  timeoutSeconds?: number;
  /** extra/overriding stack config values (namespaced keys like "routerstack:devices") for tests; not written to files */
  configOverrides?: Record<string, unknown>;
  /** like the CLI's `--continue-on-error`: keep starting independent steps after one failed */
  continueOnError?: boolean;
  /** Ctrl-C: see EngineInterrupt */
  interrupt?: EngineInterrupt;
}

export interface EngineResult {
  ok: boolean;
  op: EngineOp;
  steps: EngineStep[];
  counts: { create: number; update: number; replace: number; delete: number; same: number };
  /** resources the provider's Diff found different after refresh (or gone) */
  drift: { urn: string; name: string; diffs: string[]; gone: boolean }[];
  /** each names the resource (URN) and the provider's message */
  errors: string[];
  /** the root stack's outputs, secrets unwrapped */
  outputs: Record<string, unknown>;
  /** host stdout/stderr and engine messages, for debugging */
  log: string;
  /** every distinct __provider string seen */
  providerStrings: string[];
  /** the run was interrupted (EngineInterrupt) */
  cancelled: boolean;
}

/**
 * Ctrl-C for a run, as the CLI handles SIGINT: the first `interrupt()` lets in-flight steps finish, starts
 * no new one and writes the state; the second stops at once.
 */
export class EngineInterrupt {
  private count = 0;
  private listeners: ((n: number) => void)[] = [];
  interrupt(): void {
    this.count++;
    for (const l of this.listeners) l(this.count);
  }
  /** @internal */
  on(l: (n: number) => void): void {
    this.listeners.push(l);
    if (this.count > 0) l(this.count);
  }
}

/** Runs one engine operation. Never throws: failures are in `errors` with `ok: false`. */
export async function runEngine(op: EngineOp, opts: EngineOptions): Promise<EngineResult> {
  const deadline = Date.now() + (opts.timeoutSeconds ?? 300) * 1000;
  const logLines: string[] = [];
  const log = (line: string) => logLines.push(line);
  const result: EngineResult = {
    ok: false,
    op,
    steps: [],
    counts: { create: 0, update: 0, replace: 0, delete: 0, same: 0 },
    drift: [],
    errors: [],
    outputs: {},
    log: "",
    providerStrings: [],
    cancelled: false,
  };
  let dep: Deployment | undefined;
  try {
    const project = loadProject(opts.programDir);
    const passphrase = opts.passphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE;
    const needPassphrase = (): string => {
      if (passphrase === undefined) throw new Error("passphrase required (set PULUMI_CONFIG_PASSPHRASE)");
      return passphrase;
    };
    // Like the CLI with the passphrase secrets provider, operations that write state need the passphrase
    // up front: finding out only when a secret output must be saved would leave created objects untracked.
    if (op !== "preview") needPassphrase();
    const config = loadStackConfig(project, opts.stack, passphrase, opts.configOverrides);
    const state = readState(opts.stateFile, (salt) => {
      const s = salt ?? config.encryptionSalt;
      if (!s) throw new Error(`${opts.stateFile} holds secrets but no encryption salt is known`);
      return crypterFromEncryptionSalt(needPassphrase(), s);
    });
    // The stack's own key (salt created in the stack file on first use, as `pulumi stack init` does),
    // opened before anything runs so that a wrong passphrase cannot strand freshly created objects.
    let stateKey: { crypter: SymmetricCrypter; salt: string } | undefined;
    if (op !== "preview") {
      const crypter = ensureStackCrypter(config.stackFile, needPassphrase());
      stateKey = { crypter, salt: readEncryptionSalt(config.stackFile)! };
    }
    const saveState = (s: StateFile) =>
      writeState(opts.stateFile, s, () => {
        if (!stateKey) throw new Error("internal: state written without a key");
        return stateKey;
      });

    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...(opts.env ?? {}) })) if (v !== undefined) env[k] = v;
    // the passphrase is the engine's; neither the program nor the providers need it
    delete env.PULUMI_CONFIG_PASSPHRASE;
    Object.assign(env, {
      PULUMI_NODEJS_PROJECT: project.name,
      PULUMI_PROJECT: project.name,
      PULUMI_NODEJS_STACK: opts.stack,
      PULUMI_STACK: opts.stack,
      PULUMI_CONFIG: JSON.stringify(config.values),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secretKeys),
    });

    const parallel = Math.max(
      1,
      opts.parallel ?? (Number(env.PULUMI_PARALLEL) > 0 ? Number(env.PULUMI_PARALLEL) : os.availableParallelism() * 4),
    );
    const d = new Deployment(
      {
        stack: opts.stack,
        preview: op === "preview",
        parallel,
        continueOnError: opts.continueOnError ?? false,
        parallelDiff: /^(1|true)$/i.test(env.PULUMI_PARALLEL_DIFF ?? ""),
        env,
        deadline,
        log,
      },
      project,
      config,
    );
    dep = d;
    let onCancel: () => void = () => undefined;
    const cancelled = new Promise<void>((r) => (onCancel = r));
    opts.interrupt?.on((n) => {
      onCancel();
      if (n === 1) d.cancel();
      else void d.abort();
    });
    log(`[engine] ${op}${opts.refresh ? " --refresh" : ""} ${project.name}/${opts.stack}`);
    if (op === "up" || op === "preview") d.prestartHost();

    if (op === "refresh") {
      const refreshed = await d.refresh(state.resources);
      saveState({ ...state, resources: refreshed });
    } else if (op === "destroy") {
      const failed = await d.deleteAll(state.resources);
      saveState({ version: 1, resources: failed, outputs: failed.length === 0 ? undefined : state.outputs });
    } else {
      const base = opts.refresh ? { ...state, resources: await d.refresh(state.resources) } : state;
      d.load(base);
      let outputs: Props | undefined;
      if (d.errors.length === 0) {
        outputs = await d.runProgram(cancelled);
        const resources = await d.finishUp();
        // a failed run keeps the old stack outputs, overlaid with what the program registered
        const stackOutputs =
          d.errors.length > 0 ? { ...(state.outputs ?? {}), ...(outputs ?? {}) } : (outputs ?? state.outputs);
        if (op === "up") saveState({ version: 1, resources, outputs: stackOutputs });
      } else if (op === "up") {
        // the refresh failed: keep what it learnt, run nothing else
        saveState(base);
      }
      if (outputs) result.outputs = unwrapSecrets(outputs);
    }
    if (d.wasCancelled) {
      result.cancelled = true;
      result.errors.push(`${op} canceled`);
    }
  } catch (e) {
    result.errors.push(errText(e));
  } finally {
    await dep?.close();
  }
  if (dep) {
    result.steps = dep.steps;
    result.errors.unshift(...dep.errors);
    result.drift = dep.drift;
    result.providerStrings = [...dep.providerStrings];
  }
  for (const s of result.steps) if (s.op !== "refresh" && !s.error) result.counts[s.op]++;
  result.ok = result.errors.length === 0;
  result.log = logLines.join("\n");
  return result;
}
