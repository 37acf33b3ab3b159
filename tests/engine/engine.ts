/**
 * The deployment logic that stands in for the Pulumi CLI's engine (reference §5): runs the program, turns
 * each dynamic-resource registration into Check → Create | Diff → Update | Replace | Same against the real
 * dynamic-provider host, deletes what the program no longer declares, and implements refresh and destroy.
 */
import { crypterFromEncryptionSalt, SymmetricCrypter } from "./crypto";
import { ProviderError, ProviderHost } from "./host";
import { runProgram, Registration } from "./program";
import { ensureStackCrypter, loadProject, loadStackConfig, ProjectInfo, readEncryptionSalt, StackConfig } from "./project";
import {
  annotateSecrets,
  applyIgnoreChanges,
  changedKeys,
  PROVIDER_KEY,
  Props,
  replaceOnChangesHit,
  secretKeysOf,
  unwrapSecrets,
} from "./properties";
import { readState, StateFile, StateResource, writeState } from "./state";

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
  /** max concurrent provider calls (1 = serial); default unbounded, like the Pulumi CLI's `--parallel` (reference §7(e)) */
  parallel?: number;
  /** whole operation, default 300 */
  timeoutSeconds?: number;
  /** extra/overriding stack config values (namespaced keys like "routerstack:devices") for tests; not written to files */
  configOverrides?: Record<string, unknown>;
  /** like the CLI's `--continue-on-error`: keep starting independent steps after one failed */
  continueOnError?: boolean;
}

export interface EngineStep {
  op: "create" | "update" | "replace" | "delete" | "same" | "refresh";
  urn: string;
  type: string;
  name: string;
  /** changed input keys (update/replace) or changed output keys (refresh) */
  diffs: string[];
  error?: string;
}

export interface EngineResult {
  ok: boolean;
  op: EngineOp;
  steps: EngineStep[];
  counts: { create: number; update: number; replace: number; delete: number; same: number };
  /** what refresh found different from state */
  drift: { urn: string; name: string; diffs: string[]; gone: boolean }[];
  /** each names the resource (URN) and the provider's message */
  errors: string[];
  /** stack outputs if the program exports any (best effort), secrets unwrapped */
  outputs: Record<string, unknown>;
  /** host stdout/stderr and engine messages, for debugging */
  log: string;
  /** every distinct __provider string seen */
  providerStrings: string[];
}

/** dynamic resources as typed by `pulumi.dynamic.Resource` (reference §3) */
const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic(\/[^:]*)?:/;

/** A counting semaphore: at most `n` provider calls in flight (reference §6.15); none when unbounded. */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  if (n === Infinity) return (fn) => fn();
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>) => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class Deployment {
  readonly steps: EngineStep[] = [];
  readonly errors: string[] = [];
  readonly drift: EngineResult["drift"] = [];
  readonly providerStrings = new Set<string>();
  private hostPromise?: Promise<ProviderHost>;
  private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>;
  /** resources of the old state still to be matched by a registration (URN -> resource) */
  private olds = new Map<string, StateResource>();
  /** resources of the new state (set when their step completes) */
  private readonly news = new Map<string, StateResource>();
  /** URNs in registration order, so the saved state is in program (dependency) order */
  private readonly order: string[] = [];
  /** old halves of create-before-delete replacements, and leftovers of earlier failed runs */
  private readonly pendingDeletes: StateResource[] = [];

  constructor(
    private readonly opts: EngineOptions,
    private readonly project: ProjectInfo,
    private readonly config: StackConfig,
    private readonly env: Record<string, string>,
    private readonly deadline: number,
    private readonly log: (line: string) => void,
    private readonly preview: boolean,
  ) {
    this.limit = limiter(opts.parallel === undefined ? Infinity : Math.max(1, opts.parallel));
  }

  /**
   * Starts the host now, alongside the program, instead of at the program's first registration: the two
   * start-ups (about a second each) then overlap. The host is the same process, configured the same way,
   * before any call; a start-up error surfaces at the first call that needs the host.
   */
  prestartHost(): void {
    this.host().catch(() => undefined);
  }

  /** started on first use (or by prestartHost), so destroy/refresh of an empty stack need no host */
  host(): Promise<ProviderHost> {
    this.hostPromise ??= (async () => {
      const h = await ProviderHost.start({ programDir: this.project.dir, env: this.env, deadline: this.deadline, log: this.log });
      // Configure first, always with args: the full namespaced config, values as Pulumi config strings.
      await h.configure({ ...this.config.values });
      return h;
    })();
    return this.hostPromise;
  }

  async close(): Promise<void> {
    if (!this.hostPromise) return;
    try {
      await (await this.hostPromise).close();
    } catch {
      // a host that failed to start was already killed
    }
  }

  private timeoutSec(): number {
    return Math.max(1, Math.floor((this.deadline - Date.now()) / 1000));
  }

  private call<T>(fn: (h: ProviderHost) => Promise<T>): Promise<T> {
    return this.limit(async () => fn(await this.host()));
  }

  private noteProvider(inputs: Props): void {
    const p = unwrapSecrets(inputs[PROVIDER_KEY]);
    if (typeof p === "string") this.providerStrings.add(p);
  }

  private fail(step: EngineStep, message: string): Error {
    step.error = message;
    const text = `${step.urn}: ${message}`;
    this.errors.push(text);
    return new Error(text);
  }

  load(state: StateFile): void {
    for (const r of state.resources) {
      if (r.pendingDelete) this.pendingDeletes.push(r);
      else this.olds.set(r.urn, r);
    }
  }

  // ---------------------------------------------------------------- refresh

  /** Reads every resource; an empty id means gone (dropped). Returns the refreshed resource list. */
  async refresh(resources: StateResource[]): Promise<StateResource[]> {
    const out = await Promise.all(resources.map((r) => this.refreshOne(r)));
    return out.filter((r): r is StateResource => r !== undefined);
  }

  private async refreshOne(r: StateResource): Promise<StateResource | undefined> {
    const step: EngineStep = { op: "refresh", urn: r.urn, type: r.type, name: r.name, diffs: [] };
    this.steps.push(step);
    this.noteProvider(r.inputs);
    try {
      const res = await this.call((h) => h.read(r.urn, r.name, r.type, r.id, unwrapSecrets(r.outputs), unwrapSecrets(r.inputs)));
      if (!res.id) {
        this.drift.push({ urn: r.urn, name: r.name, diffs: [], gone: true });
        step.diffs = ["(gone)"];
        return undefined;
      }
      const outSecrets = new Set([...secretKeysOf(r.outputs), ...secretKeysOf(r.inputs), ...(r.options.additionalSecretOutputs ?? [])]);
      const outputs = annotateSecrets(res.outputs, outSecrets);
      const inputs = res.inputs ? annotateSecrets(res.inputs, secretKeysOf(r.inputs)) : r.inputs;
      const diffs = [...new Set([...changedKeys(r.outputs, outputs), ...changedKeys(r.inputs, inputs)])].sort();
      step.diffs = diffs;
      if (diffs.length > 0 || res.id !== r.id) this.drift.push({ urn: r.urn, name: r.name, diffs, gone: false });
      return { ...r, id: res.id, outputs, inputs };
    } catch (e) {
      this.fail(step, `refresh failed: ${errText(e)}`);
      return r;
    }
  }

  // ---------------------------------------------------------------- up / preview

  async runProgram(): Promise<Props | undefined> {
    const run = await runProgram({
      programDir: this.project.dir,
      main: this.project.main,
      typescript: this.project.typescript,
      project: this.project.name,
      stack: this.opts.stack,
      preview: this.preview,
      env: this.env,
      deadline: this.deadline,
      log: this.log,
      onRegister: (reg) => this.register(reg),
    });
    this.errors.push(...run.errors);
    return run.outputs;
  }

  private async register(reg: Registration): Promise<{ id: string; state: Props }> {
    if (!reg.custom || !DYNAMIC_TYPE.test(reg.type)) {
      // Components and non-dynamic resources are not managed by this engine; echo them as mocks do.
      if (reg.custom) this.log(`[engine] ${reg.urn}: not a dynamic resource, not managed`);
      return { id: reg.custom ? reg.id ?? `${reg.name}_id` : "", state: reg.inputs };
    }
    this.noteProvider(reg.inputs);
    if (reg.kind === "read") return this.readExternal(reg);
    if (this.news.has(reg.urn)) throw new Error(`${reg.urn}: duplicate resource URN`);
    const old = this.olds.get(reg.urn);
    this.olds.delete(reg.urn);
    this.order.push(reg.urn);
    const step: EngineStep = { op: "same", urn: reg.urn, type: reg.type, name: reg.name, diffs: [] };
    this.steps.push(step);
    try {
      return await this.plan(reg, old, step);
    } catch (e) {
      // keep the old resource in state when its step failed
      if (old && !this.news.has(reg.urn)) this.news.set(reg.urn, old);
      if (!step.error) throw this.fail(step, errText(e));
      throw e;
    }
  }

  /** `get`/`opts.id`: Read with the given id; the resource stays unmanaged (not stored). */
  private async readExternal(reg: Registration): Promise<{ id: string; state: Props }> {
    const inputs = unwrapSecrets(reg.inputs);
    const res = await this.call((h) => h.read(reg.urn, reg.name, reg.type, reg.id ?? "", inputs, inputs));
    if (!res.id) throw new Error(`${reg.urn}: resource ${reg.id} does not exist`);
    return { id: res.id, state: annotateSecrets(res.outputs, reg.options.additionalSecretOutputs ?? []) };
  }

  private record(reg: Registration, id: string, inputs: Props, outputs: Props): StateResource {
    const r: StateResource = {
      urn: reg.urn,
      type: reg.type,
      name: reg.name,
      id,
      inputs,
      outputs,
      deps: reg.deps,
      parent: reg.parent,
      options: reg.options,
    };
    this.news.set(reg.urn, r);
    return r;
  }

  private async plan(reg: Registration, old: StateResource | undefined, step: EngineStep): Promise<{ id: string; state: Props }> {
    const ignore = reg.options.ignoreChanges ?? [];
    const news = old && ignore.length > 0 ? applyIgnoreChanges(old.inputs, reg.inputs, ignore) : reg.inputs;
    const secretIns = secretKeysOf(news);
    const secretOuts = [...secretIns, ...(reg.options.additionalSecretOutputs ?? [])];
    const oldInputs = old ? unwrapSecrets(old.inputs) : {};

    const check = await this.call((h) => h.check(reg.urn, reg.name, reg.type, oldInputs, unwrapSecrets(news)));
    if (check.failures.length > 0) {
      step.op = old ? "update" : "create";
      const what = check.failures.map((f) => (f.property ? `property "${f.property}": ${f.reason}` : f.reason)).join("; ");
      throw this.fail(step, `check failed: ${what}`);
    }
    const checked = annotateSecrets(check.inputs, secretIns);

    if (!old) {
      step.op = "create";
      step.diffs = Object.keys(checked).filter((k) => k !== PROVIDER_KEY).sort();
      if (this.preview) return { id: "", state: checked };
      const created = await this.create(reg, checked, secretOuts, step);
      return { id: created.id, state: created.outputs };
    }

    const diffs = changedKeys(old.inputs, checked);
    const d = await this.call((h) => h.diff(reg.urn, reg.name, reg.type, old.id, unwrapSecrets(old.outputs), unwrapSecrets(checked), oldInputs));
    const roc = diffs.length > 0 ? replaceOnChangesHit(old.inputs, checked, reg.options.replaceOnChanges ?? [], diffs) : [];
    if (d.replaces.length > 0 || roc.length > 0) {
      step.op = "replace";
      step.diffs = [...new Set([...diffs, ...d.replaces, ...roc.map((p) => p.split(/[.[]/)[0])])].sort();
      if (this.preview) return { id: "", state: checked };
      if (reg.options.deleteBeforeReplace || d.deleteBeforeReplace) {
        await this.deleteOne(old, step);
      } else {
        // create-before-delete: the old object goes at the end of the deployment, as the engine does (§6.14)
        this.pendingDeletes.push({ ...old, pendingDelete: true });
      }
      const created = await this.create(reg, checked, secretOuts, step);
      return { id: created.id, state: created.outputs };
    }
    if (d.changes === "some" || (d.changes === "unknown" && diffs.length > 0)) {
      step.op = "update";
      step.diffs = diffs;
      if (this.preview) return { id: old.id, state: { ...old.outputs, ...checked } };
      try {
        const outs = await this.call((h) =>
          h.update(reg.urn, reg.name, reg.type, old.id, unwrapSecrets(old.outputs), unwrapSecrets(checked), oldInputs, this.timeoutSec()),
        );
        const outputs = annotateSecrets(outs, secretOuts);
        this.record(reg, old.id, checked, outputs);
        return { id: old.id, state: outputs };
      } catch (e) {
        throw this.fail(step, `update failed: ${errText(e)}`);
      }
    }
    step.op = "same";
    // a no-op keeps the outputs and takes the (equivalent) new inputs and options, as the engine does
    this.record(reg, old.id, checked, old.outputs);
    return { id: old.id, state: old.outputs };
  }

  private async create(reg: Registration, checked: Props, secretOuts: string[], step: EngineStep): Promise<StateResource> {
    try {
      const res = await this.call((h) => h.create(reg.urn, reg.name, reg.type, unwrapSecrets(checked), this.timeoutSec()));
      return this.record(reg, res.id, checked, annotateSecrets(res.outputs, secretOuts));
    } catch (e) {
      // ErrorResourceInitFailed: the object exists, so it is tracked (as the engine does) and still an error
      if (e instanceof ProviderError && e.initFailed?.id) {
        this.record(reg, e.initFailed.id, checked, annotateSecrets(e.initFailed.properties, secretOuts));
      }
      throw this.fail(step, `create failed: ${errText(e)}`);
    }
  }

  private async deleteOne(r: StateResource, step: EngineStep): Promise<void> {
    if (r.options.protect) throw this.fail(step, "resource is protected; unprotect it before deleting");
    if (r.options.retainOnDelete) {
      this.log(`[engine] ${r.urn}: retainOnDelete, left on the device`);
      return;
    }
    try {
      await this.call((h) => h.delete(r.urn, r.name, r.type, r.id, unwrapSecrets(r.outputs), unwrapSecrets(r.inputs), this.timeoutSec()));
    } catch (e) {
      throw this.fail(step, `delete failed: ${errText(e)}`);
    }
  }

  /**
   * Deletes in reverse dependency order: a resource goes only once nothing left in the set depends on it
   * (dependsOn, input dependencies and parent). Independent ones are deleted concurrently.
   * Returns the resources that could not be deleted.
   */
  async deleteAll(resources: StateResource[]): Promise<StateResource[]> {
    let left = [...resources];
    const failed: StateResource[] = [];
    // URNs something in `set` depends on (a resource never blocks another of its own URN); linear, not
    // pairwise over the set, so a destroy of hundreds of resources costs nothing here
    const dependedOnIn = (set: StateResource[]): Set<string> => {
      const urns = new Set<string>();
      for (const r of set) {
        for (const u of r.deps) if (u !== r.urn) urns.add(u);
        if (r.parent !== undefined && r.parent !== r.urn) urns.add(r.parent);
      }
      return urns;
    };
    while (left.length > 0) {
      const dependedOn = dependedOnIn(left);
      let wave = left.filter((r) => !dependedOn.has(r.urn));
      if (wave.length === 0) wave = [left[left.length - 1]]; // a cycle: break it rather than stall
      const inWave = new Set(wave);
      left = left.filter((r) => !inWave.has(r));
      await Promise.all(
        wave.map(async (r) => {
          const step: EngineStep = { op: "delete", urn: r.urn, type: r.type, name: r.name, diffs: [] };
          this.steps.push(step);
          this.noteProvider(r.inputs);
          if (this.preview) return;
          try {
            await this.deleteOne(r, step);
          } catch {
            failed.push(r);
          }
        }),
      );
      // dependents of a failed delete are already gone; what they depended on must stay
      if (failed.length > 0 && !this.preview) {
        const neededByFailed = new Set(failed.flatMap((f) => (f.parent === undefined ? f.deps : [...f.deps, f.parent])));
        const kept = left.filter((r) => neededByFailed.has(r.urn));
        for (const k of kept) this.log(`[engine] ${k.urn}: not deleted because a dependent failed to delete`);
        failed.push(...kept);
        left = left.filter((r) => !kept.includes(r));
      }
    }
    return failed;
  }

  /** After the program: delete what it no longer declares (only if it ran cleanly) and replaced olds. */
  private registered(): StateResource[] {
    return this.order.map((u) => this.news.get(u)).filter((r): r is StateResource => r !== undefined);
  }

  async finishUp(): Promise<StateResource[]> {
    const unregistered = [...this.olds.values()];
    if (this.errors.length > 0) {
      // a failed deployment deletes nothing; replaced olds stay pending for the next run
      return [...unregistered, ...this.registered(), ...this.pendingDeletes.map((r) => ({ ...r, pendingDelete: true }))];
    }
    const failed = await this.deleteAll([...unregistered, ...this.pendingDeletes]);
    return [...this.registered(), ...failed.map((r) => (this.pendingDeletes.includes(r) ? { ...r, pendingDelete: true } : r))];
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

    dep = new Deployment(opts, project, config, env, deadline, log, op === "preview");
    log(`[engine] ${op}${opts.refresh ? " --refresh" : ""} ${project.name}/${opts.stack}`);
    if (op === "up" || op === "preview") dep.prestartHost();

    if (op === "refresh") {
      const refreshed = await dep.refresh(state.resources);
      saveState({ ...state, resources: refreshed });
    } else if (op === "destroy") {
      const failed = await dep.deleteAll(state.resources);
      saveState({ version: 1, resources: failed, outputs: failed.length === 0 ? undefined : state.outputs });
    } else {
      const base = opts.refresh ? { ...state, resources: await dep.refresh(state.resources) } : state;
      dep.load(base);
      let outputs: Props | undefined;
      if (dep.errors.length === 0) {
        outputs = await dep.runProgram();
        const resources = await dep.finishUp();
        if (op === "up") saveState({ version: 1, resources, outputs: outputs ?? state.outputs });
      } else if (op === "up") {
        // the refresh failed: keep what it learnt, run nothing else
        saveState(base);
      }
      if (outputs) result.outputs = unwrapSecrets(outputs);
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
