/**
 * One deployment, step by step as the Pulumi CLI's Go engine runs it (pulumi/pulumi v3.259, see
 * docs/engine.md for the file and line each behaviour follows):
 * - registrations are taken one at a time: ignoreChanges, Check and Diff run inline, in arrival order
 *   (Diff moves to the step workers under `PULUMI_PARALLEL_DIFF`); the resulting step runs on the workers
 *   (at most `--parallel` at once) and answers the registration when done;
 * - after the first failed step no new step starts (unless `--continue-on-error`), in-flight steps finish,
 *   later registrations are answered "monitor shut down", and nothing is deleted;
 * - a preview answers with the new inputs (create, update, replace) or the old outputs (same);
 * - a replacement re-runs Check without olds, honours the program's deleteBeforeReplace over the provider's,
 *   refuses a protected resource, and leaves `pendingDelete` / `pendingReplacement` state when interrupted;
 * - refresh reads every resource and asks the provider's Diff (stored inputs against what was read) whether
 *   it drifted.
 */
import { ProviderError, ProviderHost } from "./host";
import { MonitorShutdown, RegistrationFailed } from "./monitor";
import { runProgram, Registration } from "./program";
import type { ProjectInfo, StackConfig } from "./project";
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
import type { StateFile, StateResource } from "./state";

export interface EngineStep {
  op: "create" | "update" | "replace" | "delete" | "same" | "refresh";
  urn: string;
  type: string;
  name: string;
  /** changed input keys (update/replace) or changed keys (refresh) */
  diffs: string[];
  error?: string;
}

export interface DeploymentOptions {
  stack: string;
  preview: boolean;
  /** `--parallel`: steps in flight at once (Infinity = unbounded); the CLI defaults to 4 × the CPUs (engine.ts) */
  parallel: number;
  continueOnError: boolean;
  /** `PULUMI_PARALLEL_DIFF` */
  parallelDiff: boolean;
  env: Record<string, string>;
  deadline: number;
  log: (line: string) => void;
}

/** dynamic resources as typed by `pulumi.dynamic.Resource` (reference §3) */
const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic(\/[^:]*)?:/;

/** A counting semaphore for the step workers: at most `n` steps in flight. */
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

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Answer = { id: string; state: Props };
type Exec = () => Promise<Answer>;

export class Deployment {
  readonly steps: EngineStep[] = [];
  readonly errors: string[] = [];
  readonly drift: { urn: string; name: string; diffs: string[]; gone: boolean }[] = [];
  readonly providerStrings = new Set<string>();
  private hostPromise?: Promise<ProviderHost>;
  private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>;
  /** old state still to be matched by a registration (URN -> resource) */
  private readonly olds = new Map<string, StateResource>();
  /** new state, set when a resource's step completes */
  private readonly news = new Map<string, StateResource>();
  /** URNs in registration order, so the saved state is in program (dependency) order */
  private readonly order: string[] = [];
  /** old halves of create-before-delete replacements, and leftovers of earlier runs */
  private readonly pendingDeletes: StateResource[] = [];
  /** serial step generation: each registration's Check/Diff waits for the previous one's */
  private generation: Promise<unknown> = Promise.resolve();
  /** URNs whose step failed or was skipped (continue-on-error skips their dependents) */
  private readonly errored = new Set<string>();
  /** no new step starts: a step failed (without continue-on-error) or the run was cancelled */
  private halted = false;
  private cancelledByUser = false;
  /** the program itself failed (not one of its steps): the CLI then runs no post-steps either */
  private programFailed = false;

  constructor(
    private readonly opts: DeploymentOptions,
    private readonly project: ProjectInfo,
    private readonly config: StackConfig,
  ) {
    this.limit = limiter(opts.parallel);
  }

  /** Starts the host alongside the program (two start-ups of about a second each then overlap). */
  prestartHost(): void {
    this.host().catch(() => undefined);
  }

  host(): Promise<ProviderHost> {
    this.hostPromise ??= (async () => {
      const h = await ProviderHost.start({
        programDir: this.project.dir,
        env: this.opts.env,
        deadline: this.opts.deadline,
        log: this.opts.log,
      });
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

  /** First interrupt: finish in-flight steps, start none, write state. */
  cancel(): void {
    if (this.halted && this.cancelledByUser) return;
    this.cancelledByUser = true;
    this.halted = true;
    this.opts.log("[engine] cancelling: in-flight steps finish, no new step starts");
  }

  /** Second interrupt: stop now; in-flight provider calls are cut off with the host. */
  async abort(): Promise<void> {
    this.cancel();
    this.opts.log("[engine] aborting: the provider host is killed");
    await this.close();
  }

  get wasCancelled(): boolean {
    return this.cancelledByUser;
  }

  private call<T>(fn: (h: ProviderHost) => Promise<T>): Promise<T> {
    return this.host().then(fn);
  }

  private noteProvider(inputs: Props): void {
    const p = unwrapSecrets(inputs[PROVIDER_KEY]);
    if (typeof p === "string") this.providerStrings.add(p);
  }

  private fail(step: EngineStep, message: string): Error {
    step.error = message;
    const text = `${step.urn}: ${message}`;
    this.errors.push(text);
    this.errored.add(step.urn);
    if (!this.opts.continueOnError) this.halted = true;
    return new Error(text);
  }

  /** What a registration is answered with once its step failed (pulumi/pulumi source_eval.go, step.go Fail). */
  private failedAnswer(urn: string, e: unknown): Error {
    return this.opts.continueOnError ? new RegistrationFailed(urn, errText(e)) : new MonitorShutdown();
  }

  load(state: StateFile): void {
    for (const r of state.resources) {
      if (r.pendingDelete) this.pendingDeletes.push(r);
      else this.olds.set(r.urn, r);
    }
  }

  // ---------------------------------------------------------------- refresh

  /** Reads every resource at once; an empty id means gone (dropped). Returns the refreshed resource list. */
  async refresh(resources: StateResource[]): Promise<StateResource[]> {
    const out = await Promise.all(resources.map((r) => this.limit(() => this.refreshOne(r))));
    return out.filter((r): r is StateResource => r !== undefined);
  }

  private async refreshOne(r: StateResource): Promise<StateResource | undefined> {
    // a resource already deleted by a delete-before-replace has nothing to read (step.go RefreshStep)
    if (r.pendingReplacement) return r;
    const step: EngineStep = { op: "refresh", urn: r.urn, type: r.type, name: r.name, diffs: [] };
    this.steps.push(step);
    this.noteProvider(r.inputs);
    try {
      const res = await this.call((h) =>
        h.read(r.urn, r.name, r.type, r.id, unwrapSecrets(r.outputs), unwrapSecrets(r.inputs)),
      );
      if (!res.id) {
        this.drift.push({ urn: r.urn, name: r.name, diffs: [], gone: true });
        step.diffs = ["(gone)"];
        return undefined;
      }
      const outSecrets = new Set([
        ...secretKeysOf(r.outputs),
        ...secretKeysOf(r.inputs),
        ...(r.options.additionalSecretOutputs ?? []),
      ]);
      const outputs = annotateSecrets(res.outputs, outSecrets);
      const inputs = res.inputs ? annotateSecrets(res.inputs, secretKeysOf(r.inputs)) : r.inputs;
      // The provider decides whether what was read differs from what the program declared: Diff with the
      // read state as olds and the stored inputs as news (then inverted for display).
      const d = await this.call((h) =>
        h.diff(
          r.urn,
          r.name,
          r.type,
          res.id,
          unwrapSecrets(res.outputs),
          unwrapSecrets(r.inputs),
          unwrapSecrets(inputs),
        ),
      );
      const inputKeys = changedKeys(r.inputs, inputs);
      const drifted = d.changes === "some" || (d.changes === "unknown" && inputKeys.length > 0) || res.id !== r.id;
      if (drifted) {
        step.diffs = [...new Set([...changedKeys(r.outputs, outputs), ...inputKeys])].sort();
        this.drift.push({ urn: r.urn, name: r.name, diffs: step.diffs, gone: false });
      }
      return { ...r, id: res.id, outputs, inputs };
    } catch (e) {
      this.fail(step, `refresh failed: ${errText(e)}`);
      return r;
    }
  }

  // ---------------------------------------------------------------- up / preview

  async runProgram(cancelled: Promise<void>): Promise<Props | undefined> {
    const run = await runProgram({
      programDir: this.project.dir,
      main: this.project.main,
      typescript: this.project.typescript,
      tsconfig: this.project.tsconfig,
      nodeargs: this.project.nodeargs,
      project: this.project.name,
      stack: this.opts.stack,
      preview: this.opts.preview,
      parallel: this.opts.parallel === Infinity ? 2147483647 : this.opts.parallel,
      env: this.opts.env,
      deadline: this.opts.deadline,
      log: this.opts.log,
      cancelled,
      register: (reg) => this.register(reg),
      shutdown: async () => {
        await this.finishUp();
      },
    });
    // After a failed step (without continue-on-error) or a cancel the program is let go with "monitor shut
    // down"; what it then prints is a consequence, not a second error.
    this.programFailed = run.errors.length > 0;
    if (!this.halted) this.errors.push(...run.errors);
    else for (const e of run.errors) this.opts.log(`[engine] after the stop: ${e}`);
    return run.outputs;
  }

  private register(reg: Registration): Promise<Answer> {
    if (this.halted) return Promise.reject(new MonitorShutdown());
    if (!reg.custom) return Promise.resolve({ id: "", state: {} }); // local components: no outputs
    if (!DYNAMIC_TYPE.test(reg.type)) {
      return Promise.reject(new Error(`${reg.urn}: only dynamic resources are managed by the test engine`));
    }
    this.noteProvider(reg.inputs);
    if (reg.kind === "read") return this.readExternal(reg);
    const exec = this.generation.then(() => this.generate(reg));
    this.generation = exec.catch(() => undefined);
    return exec.then((run) => run());
  }

  /** `get`/`opts.id`: Read with the given id; the resource stays unmanaged (not stored). */
  private async readExternal(reg: Registration): Promise<Answer> {
    const inputs = unwrapSecrets(reg.inputs);
    const res = await this.limit(() =>
      this.call((h) => h.read(reg.urn, reg.name, reg.type, reg.id ?? "", inputs, inputs)),
    );
    if (!res.id) throw new Error(`${reg.urn}: resource ${reg.id} does not exist`);
    return { id: res.id, state: annotateSecrets(res.outputs, reg.options.additionalSecretOutputs ?? []) };
  }

  private record(
    reg: Registration,
    id: string,
    inputs: Props,
    outputs: Props,
    extra: Partial<StateResource> = {},
  ): StateResource {
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
      ...(Object.values(reg.customTimeouts).some((v) => v !== 0) ? { customTimeouts: reg.customTimeouts } : {}),
      ...extra,
    };
    this.news.set(reg.urn, r);
    return r;
  }

  /** Runs a step on a worker; a failure answers the registration as the CLI does. */
  private worker(step: EngineStep, fn: () => Promise<Answer>): Exec {
    return () =>
      this.limit(async () => {
        if (this.halted && !step.error) throw new MonitorShutdown();
        try {
          return await fn();
        } catch (e) {
          if (e instanceof MonitorShutdown || e instanceof RegistrationFailed) throw e;
          if (!step.error) this.fail(step, errText(e));
          throw this.failedAnswer(step.urn, e);
        }
      });
  }

  /** Step generation for one registration: runs inline, one registration at a time. */
  private async generate(reg: Registration): Promise<Exec> {
    if (this.halted) throw new MonitorShutdown();
    if (this.news.has(reg.urn)) throw new Error(`${reg.urn}: duplicate resource URN`);
    let old = this.olds.get(reg.urn);
    if (!old) {
      const alias = reg.aliases.find((a) => this.olds.has(a));
      if (alias) old = this.olds.get(alias);
    }
    if (old) this.olds.delete(old.urn);
    this.order.push(reg.urn);
    const step: EngineStep = { op: old ? "same" : "create", urn: reg.urn, type: reg.type, name: reg.name, diffs: [] };
    this.steps.push(step);
    const keepOld = () => {
      if (old && !this.news.has(reg.urn)) this.news.set(reg.urn, { ...old, urn: reg.urn });
    };
    try {
      // continue-on-error: a resource that depends on a failed one is skipped (deployment_executor.go)
      const failedDep = reg.deps.find((d) => this.errored.has(d));
      if (failedDep) {
        keepOld();
        this.errored.add(reg.urn);
        step.error = `skipped: depends on ${failedDep}, which failed`;
        throw new RegistrationFailed(reg.urn, step.error);
      }
      if (reg.unsupported.length > 0) {
        throw this.fail(
          step,
          `resource option ${reg.unsupported.map((o) => `"${o}"`).join(", ")} is not supported for dynamic resources by the test engine`,
        );
      }
      if (reg.id !== undefined) {
        // The CLI's import reads the object with the id alone; the dynamic host then has no __provider to
        // run, so importing a dynamic resource fails (pulumi/pulumi#16175). Refused here before any step.
        throw this.fail(
          step,
          `resource option "import" is not supported for dynamic resources (pulumi/pulumi#16175); use routerstack's adopt: true`,
        );
      }
      const exec = await this.plan(reg, old, step);
      // a step that fails keeps the old state, as the CLI's engine does (a failed update or replacement
      // leaves the resource as it was in state)
      return () =>
        exec().catch((e: unknown) => {
          keepOld();
          throw e;
        });
    } catch (e) {
      keepOld();
      if (e instanceof MonitorShutdown || e instanceof RegistrationFailed) throw e;
      if (!step.error) this.fail(step, errText(e));
      throw this.failedAnswer(reg.urn, e);
    }
  }

  private async check(
    reg: Registration,
    step: EngineStep,
    olds: Props,
    news: Props,
    secretIns: string[],
  ): Promise<Props> {
    const check = await this.call((h) => h.check(reg.urn, reg.name, reg.type, olds, unwrapSecrets(news)));
    if (check.failures.length > 0) {
      const what = check.failures
        .map((f) => (f.property ? `property "${f.property}": ${f.reason}` : f.reason))
        .join("; ");
      throw this.fail(step, `check failed: ${what}`);
    }
    return annotateSecrets(check.inputs, secretIns);
  }

  private async plan(reg: Registration, old: StateResource | undefined, step: EngineStep): Promise<Exec> {
    // ignoreChanges is applied to the program's inputs before Check (step_generator.go processIgnoreChanges)
    const ignore = reg.options.ignoreChanges ?? [];
    const news = old && ignore.length > 0 ? applyIgnoreChanges(old.inputs, reg.inputs, ignore) : reg.inputs;
    const secretIns = secretKeysOf(news);
    const secretOuts = [...secretIns, ...(reg.options.additionalSecretOutputs ?? [])];
    const oldInputs = old ? unwrapSecrets(old.inputs) : {};
    const checked = await this.check(reg, step, oldInputs, news, secretIns);

    if (!old) {
      step.diffs = Object.keys(checked)
        .filter((k) => k !== PROVIDER_KEY)
        .sort();
      if (this.opts.preview) return async () => ({ id: "", state: checked });
      return this.worker(step, async () => {
        const created = await this.create(reg, checked, secretOuts, step);
        return { id: created.id, state: created.outputs };
      });
    }

    const diff = async () => {
      const d = await this.call((h) =>
        h.diff(reg.urn, reg.name, reg.type, old.id, unwrapSecrets(old.outputs), unwrapSecrets(checked), oldInputs),
      );
      const keys = changedKeys(old.inputs, checked);
      // DIFF_UNKNOWN: the engine diffs the inputs itself; only then are there changed keys for replaceOnChanges
      const changes = d.changes === "unknown" ? (keys.length > 0 ? "some" : "none") : d.changes;
      const roc =
        d.changes === "unknown" && keys.length > 0
          ? replaceOnChangesHit(old.inputs, checked, reg.options.replaceOnChanges ?? [], keys)
          : [];
      return { ...d, changes, keys, roc };
    };

    const afterDiff = async (d: Awaited<ReturnType<typeof diff>>): Promise<Exec> => {
      if (d.replaces.length > 0 || d.roc.length > 0 || old.pendingReplacement)
        return this.replace(reg, old, step, news, secretIns, secretOuts, d);
      if (d.changes === "some") {
        step.op = "update";
        step.diffs = d.keys;
        if (this.opts.preview) return async () => ({ id: old.id, state: checked });
        return this.worker(step, async () => {
          try {
            const outs = await this.call((h) =>
              h.update(
                reg.urn,
                reg.name,
                reg.type,
                old.id,
                unwrapSecrets(old.outputs),
                unwrapSecrets(checked),
                oldInputs,
                reg.customTimeouts.update,
              ),
            );
            const outputs = annotateSecrets(outs, secretOuts);
            this.record(reg, old.id, checked, outputs);
            return { id: old.id, state: outputs };
          } catch (e) {
            if (e instanceof ProviderError && e.initFailed?.id) {
              this.record(reg, old.id, checked, annotateSecrets(e.initFailed.properties, secretOuts));
            }
            throw this.fail(step, `update failed: ${errText(e)}`);
          }
        });
      }
      step.op = "same";
      // a no-op keeps the outputs and takes the (equivalent) new inputs and options
      this.record(reg, old.id, checked, old.outputs);
      return async () => ({ id: old.id, state: old.outputs });
    };

    if (!this.opts.parallelDiff) return afterDiff(await diff());
    // PULUMI_PARALLEL_DIFF: the Diff runs on a step worker and the step follows from there
    return () =>
      this.limit(diff)
        .then(afterDiff, (e) => {
          this.fail(step, errText(e));
          throw this.failedAnswer(reg.urn, e);
        })
        .then((run) => run());
  }

  private async replace(
    reg: Registration,
    old: StateResource,
    step: EngineStep,
    news: Props,
    secretIns: string[],
    secretOuts: string[],
    d: { replaces: string[]; roc: string[]; keys: string[]; deleteBeforeReplace: boolean },
  ): Promise<Exec> {
    step.op = "replace";
    step.diffs = [...new Set([...d.keys, ...d.replaces, ...d.roc.map((p) => p.split(/[.[]/)[0])])].sort();
    if (reg.options.protect && old.options.protect) {
      throw this.fail(
        step,
        `unable to replace resource "${reg.urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
      );
    }
    // a replacement is a new object: Check again without olds, so defaults are computed afresh
    const checked = await this.check(reg, step, {}, news, secretIns);
    if (this.opts.preview) return async () => ({ id: "", state: checked });
    const deleteBeforeReplace = reg.deleteBeforeReplaceDefined
      ? !!reg.options.deleteBeforeReplace
      : d.deleteBeforeReplace;
    return this.worker(step, async () => {
      if (deleteBeforeReplace) {
        if (!old.pendingReplacement) {
          await this.deleteOne(old, step, true);
          // deleted on the device; until the create succeeds the old state stays, marked
          this.news.set(reg.urn, { ...old, urn: reg.urn, pendingReplacement: true });
        }
      }
      const created = await this.create(reg, checked, secretOuts, step);
      // create-before-delete: once the new object exists, the old one is deleted after the program, with the
      // other deletes (step.go: the old state is marked delete only after the create succeeded)
      if (!deleteBeforeReplace) this.pendingDeletes.push({ ...old, pendingDelete: true });
      return { id: created.id, state: created.outputs };
    });
  }

  private async create(
    reg: Registration,
    checked: Props,
    secretOuts: string[],
    step: EngineStep,
  ): Promise<StateResource> {
    try {
      const res = await this.call((h) =>
        h.create(reg.urn, reg.name, reg.type, unwrapSecrets(checked), reg.customTimeouts.create),
      );
      return this.record(reg, res.id, checked, annotateSecrets(res.outputs, secretOuts));
    } catch (e) {
      // ErrorResourceInitFailed: the object exists, so it is tracked and still an error
      if (e instanceof ProviderError && e.initFailed?.id) {
        this.record(reg, e.initFailed.id, checked, annotateSecrets(e.initFailed.properties, secretOuts));
      }
      throw this.fail(step, `create failed: ${errText(e)}`);
    }
  }

  private async deleteOne(r: StateResource, step: EngineStep, replacing = false): Promise<void> {
    if (r.options.protect && !replacing) {
      throw this.failDelete(
        step,
        `unable to delete resource "${r.urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
      );
    }
    if (r.options.retainOnDelete) {
      this.opts.log(`[engine] ${r.urn}: retainOnDelete, left on the device`);
      return;
    }
    if (r.pendingReplacement) return; // already deleted on the device
    try {
      await this.call((h) =>
        h.delete(
          r.urn,
          r.name,
          r.type,
          r.id,
          unwrapSecrets(r.outputs),
          unwrapSecrets(r.inputs),
          r.customTimeouts?.delete ?? 0,
        ),
      );
    } catch (e) {
      throw this.fail(step, `delete failed: ${errText(e)}`);
    }
  }

  /** A protected delete is reported but never stops the deployment (step_executor.go deleteProtectedError). */
  private failDelete(step: EngineStep, message: string): Error {
    step.error = message;
    const text = `${step.urn}: ${message}`;
    this.errors.push(text);
    this.errored.add(step.urn);
    return new Error(text);
  }

  /**
   * Deletes in reverse dependency order: a resource goes only once nothing left in the set depends on it
   * (dependsOn, input dependencies and parent). Independent ones are deleted concurrently. A resource
   * whose `deletedWith` target is deleted in the same run is not deleted itself. Returns the resources that
   * could not be deleted (and those kept because a dependent failed).
   */
  async deleteAll(resources: StateResource[]): Promise<StateResource[]> {
    let left = [...resources];
    const failed: StateResource[] = [];
    const deleting = new Set(resources.map((r) => r.urn));
    const dependedOnIn = (set: StateResource[]): Set<string> => {
      const urns = new Set<string>();
      for (const r of set) {
        for (const u of r.deps) if (u !== r.urn) urns.add(u);
        if (r.parent !== undefined && r.parent !== r.urn) urns.add(r.parent);
      }
      return urns;
    };
    while (left.length > 0) {
      if (this.halted && !this.opts.continueOnError) {
        failed.push(...left);
        break;
      }
      const dependedOn = dependedOnIn(left);
      let wave = left.filter((r) => !dependedOn.has(r.urn));
      if (wave.length === 0) wave = [left[left.length - 1]]; // a cycle: break it rather than stall
      const inWave = new Set(wave);
      left = left.filter((r) => !inWave.has(r));
      await Promise.all(
        wave.map((r) =>
          this.limit(async () => {
            const step: EngineStep = { op: "delete", urn: r.urn, type: r.type, name: r.name, diffs: [] };
            this.steps.push(step);
            this.noteProvider(r.inputs);
            if (this.opts.preview) return;
            if (r.options.deletedWith && deleting.has(r.options.deletedWith)) {
              this.opts.log(`[engine] ${r.urn}: deleted with ${r.options.deletedWith}`);
              return;
            }
            try {
              await this.deleteOne(r, step);
            } catch {
              failed.push(r);
            }
          }),
        ),
      );
      // what a failed delete depends on must stay
      if (failed.length > 0 && !this.opts.preview) {
        const neededByFailed = new Set(
          failed.flatMap((f) => (f.parent === undefined ? f.deps : [...f.deps, f.parent])),
        );
        const kept = left.filter((r) => neededByFailed.has(r.urn));
        for (const k of kept) this.opts.log(`[engine] ${k.urn}: not deleted because a dependent failed to delete`);
        failed.push(...kept);
        left = left.filter((r) => !kept.includes(r));
      }
    }
    return failed;
  }

  private registered(): StateResource[] {
    return this.order.map((u) => this.news.get(u)).filter((r): r is StateResource => r !== undefined);
  }

  private finished?: Promise<StateResource[]>;

  /**
   * After the program: delete what it no longer declares and the old halves of replacements. Runs once,
   * when the program signals it is done (it waits for this) or, failing that, when it has exited.
   */
  finishUp(): Promise<StateResource[]> {
    this.finished ??= this.postSteps();
    return this.finished;
  }

  private async postSteps(): Promise<StateResource[]> {
    const unregistered = [...this.olds.values()];
    const pending = () => this.pendingDeletes.map((r) => ({ ...r, pendingDelete: true }));
    if ((this.halted && !this.opts.continueOnError) || this.programFailed) {
      // the CLI stops before its post-steps: nothing is deleted, replaced olds stay pending
      return [...unregistered, ...this.registered(), ...pending()];
    }
    // an old already deleted by a delete-before-replace and no longer declared just leaves the state
    const toDelete = unregistered.filter((r) => !r.pendingReplacement);
    // continue-on-error: what a failed step depends on is not deleted
    const needed = new Set<string>();
    const visit = (urn: string) => {
      const r = this.news.get(urn) ?? this.olds.get(urn);
      for (const d of r?.deps ?? []) {
        if (needed.has(d)) continue;
        needed.add(d);
        visit(d);
      }
    };
    for (const u of this.errored) visit(u);
    const keep = toDelete.filter((r) => needed.has(r.urn));
    const failed = await this.deleteAll([...toDelete.filter((r) => !needed.has(r.urn)), ...this.pendingDeletes]);
    return [
      ...this.registered(),
      ...keep,
      ...failed.map((r) => (this.pendingDeletes.includes(r) ? { ...r, pendingDelete: true } : r)),
    ];
  }
}
