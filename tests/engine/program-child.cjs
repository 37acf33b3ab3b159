// @ts-check
/**
 * Runs one Pulumi program under `pulumi.runtime.setMocks` in its own process (setMocks is process-global,
 * reference §6.13) and forwards every resource registration to the engine over the IPC channel
 * (reference §5). Started by program.ts with cwd = program dir and ROUTERSTACK_ENGINE_CHILD = JSON ChildSpec:
 * `node --import tsx program-child.cjs` for a TypeScript program, plain `node program-child.cjs` when the
 * project sets `runtime.options.typescript: false` (as the CLI then loads no TypeScript either). Plain
 * JavaScript so that it needs no loader of its own: tsx's hooks cost ~0.5 s of start-up per run.
 * PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS are already in the environment, so `new pulumi.Config(...)` in
 * the program sees the stack config.
 *
 * Messages: child -> engine `{t:"register", seq, reg: Registration}` and finally `{t:"done", outputs, errors}`;
 * engine -> child `{t:"result", seq, ok, id, state, error}`.
 */
"use strict";
const path = require("path");

/** @typedef {import("./program").ChildSpec} ChildSpec */
/** @typedef {import("./program").ChildMessage} ChildMessage */
/** @typedef {import("./program").EngineMessage} EngineMessage */
/** @typedef {import("./program").Registration} Registration */

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** marks step errors the engine already reported, so their echo as unhandled rejections is not doubled */
const STEP_FAILED = "[engine step failed]";
/** after the first unhandled rejection, how long the program may still settle (reference §6.9) */
const REJECTION_GRACE_MS = 1500;
/** quiet period after the program's RPCs settle, for rejections that arrive just after */
const SETTLE_MS = 200;

// tsx turns on Node's source maps. @pulumi/pulumi formats a stack trace for every promise it makes
// (`debuggablePromise`: `new Error().stack`), and with source maps on each frame is looked up and mapped:
// about a second of CPU at 500 resources. Off, stacks in program errors show the transpiled positions.
process.setSourceMapsEnabled(false);

/** @type {ChildSpec} */
const spec = JSON.parse(process.env.ROUTERSTACK_ENGINE_CHILD ?? "{}");
/** @type {string[]} */
const errors = [];
/** @type {(() => void) | undefined} */
let onFirstRejection;

/** @param {ChildMessage} msg @returns {Promise<void>} */
function send(msg) {
  return new Promise((resolve) => /** @type {NonNullable<typeof process.send>} */ (process.send)(msg, () => resolve()));
}

/** @param {unknown} e @returns {string} */
function describe(e) {
  return e instanceof Error ? e.stack || e.message : String(e);
}

/** @param {unknown} e */
function noteUnhandled(e) {
  const text = describe(e);
  if (!text.includes(STEP_FAILED)) errors.push(`program: ${text}`);
  onFirstRejection?.();
}
process.on("unhandledRejection", noteUnhandled);
process.on("uncaughtException", noteUnhandled);
// The engine went away: nothing left to report to.
process.on("disconnect", () => process.exit(1));

// Use the program's own copy of @pulumi/pulumi: mocks installed in another copy would not apply.
const pulumi = require(spec.pulumiDir);
const { MockMonitor } = require(path.join(spec.pulumiDir, "runtime", "mocks"));
const settings = require(path.join(spec.pulumiDir, "runtime", "settings"));

/** Unknown (preview) -> the RPC sentinel; everything else already JSON (secrets stay wrapped). @param {unknown} v @returns {unknown} */
function toWire(v) {
  if (v === undefined) return undefined;
  if (v !== null && typeof v === "object") {
    if (/** @type {{__pulumiUnknown?: boolean}} */ (v).__pulumiUnknown === true) return UNKNOWN;
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toWire(x)));
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toWire(x);
    return out;
  }
  return v;
}

/** @type {{req: any, monitor: any, kind: "register" | "read"} | undefined} */
let stash;

// Resource options are not passed to newResource; they are in the RegisterResourceRequest, and newResource
// runs synchronously inside registerResource, so the stash is read at its start (reference §5).
const origRegister = MockMonitor.prototype.registerResource;
/** @this {any} @param {any} req @param {unknown} cb */
MockMonitor.prototype.registerResource = function (req, cb) {
  stash = { req, monitor: this, kind: "register" };
  return origRegister.call(this, req, cb);
};
const origRead = MockMonitor.prototype.readResource;
/** @this {any} @param {any} req @param {unknown} cb */
MockMonitor.prototype.readResource = function (req, cb) {
  stash = { req, monitor: this, kind: "read" };
  return origRead.call(this, req, cb);
};

let seq = 0;
/** @type {Map<number, {resolve: (v: {id: string, state: Record<string, unknown>}) => void, reject: (e: Error) => void}>} */
const pending = new Map();
process.on("message", (/** @type {EngineMessage} */ m) => {
  if (m.t !== "result") return;
  const p = pending.get(m.seq);
  if (!p) return;
  pending.delete(m.seq);
  if (m.ok) p.resolve({ id: m.id ?? "", state: m.state ?? {} });
  else p.reject(new Error(`${STEP_FAILED} ${m.error}`));
});

/** @param {any} args @returns {Registration} */
function registration(args) {
  const s = stash;
  stash = undefined;
  const req = s?.req;
  /** @type {string} */
  const parent = req?.getParent?.() || "";
  /** @type {string} */
  const urn = s ? s.monitor.newUrn(parent, args.type, args.name) : `urn:pulumi:${spec.stack}::${spec.project}::${args.type}::${args.name}`;
  /** @type {Set<string>} */
  const deps = new Set(s?.kind === "register" ? req.getDependenciesList() : []);
  if (s?.kind === "register") {
    req.getPropertydependenciesMap().forEach((/** @type {any} */ v) => v.getUrnsList().forEach((/** @type {string} */ u) => deps.add(u)));
  }
  const reg = s?.kind === "register";
  return {
    kind: s?.kind ?? "register",
    type: args.type,
    name: args.name,
    urn,
    custom: !!args.custom,
    inputs: /** @type {Record<string, unknown>} */ (toWire(args.inputs ?? {})),
    id: args.id || undefined,
    parent: parent || undefined,
    deps: [...deps],
    options: {
      protect: reg ? !!req.getProtect() : undefined,
      retainOnDelete: reg ? !!req.getRetainondelete() : undefined,
      deleteBeforeReplace: reg ? !!req.getDeletebeforereplace() : undefined,
      ignoreChanges: reg ? req.getIgnorechangesList() : [],
      replaceOnChanges: reg ? req.getReplaceonchangesList() : [],
      // a top-level field of RegisterResourceRequest (not part of the object/properties)
      additionalSecretOutputs: reg ? req.getAdditionalsecretoutputsList() : [],
    },
  };
}

const mocks = {
  /** @param {any} args @returns {Promise<{id: string, state: Record<string, unknown>}>} */
  newResource(args) {
    const reg = registration(args);
    const n = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(n, { resolve, reject });
      void send({ t: "register", seq: n, reg });
    });
  },
  /** @param {any} args @returns {Record<string, unknown>} */
  call(args) {
    throw new Error(`invoke ${args.token} is not supported by the test engine`);
  },
};

/** Resolves a stack output to JSON: unknown -> sentinel, secret -> wrapped. @param {unknown} v @returns {Promise<unknown>} */
async function resolveOutput(v) {
  const o = pulumi.output(v);
  const [value, secret] = await Promise.all([o.promise(true), o.isSecret]);
  const wire = toWire(value);
  return secret ? { [SIG_KEY]: SECRET_SIG, value: wire } : wire;
}

/** @template T @param {Promise<T>} p @param {number} ms @param {string} what @returns {Promise<T>} */
function withDeadline(p, ms, what) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: timed out`)), Math.max(0, ms));
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

async function main() {
  /** @type {Record<string, unknown> | undefined} */
  let outputs;
  try {
    await pulumi.runtime.setMocks(mocks, spec.project, spec.stack, spec.preview);
    let exported = require(spec.main);
    // `export = async () => ({...})` programs return their outputs, as under the real language host.
    if (typeof exported === "function") exported = await exported();
    // Settles when every registration (including those waiting on other resources' outputs) is done; an
    // unhandled rejection (e.g. a provider that cannot be serialized) leaves promises pending forever, so
    // it ends the wait after a grace period.
    let sawRejection = false;
    const rejected = new Promise((resolve) => (onFirstRejection = () => ((sawRejection = true), setTimeout(resolve, REJECTION_GRACE_MS))));
    if (errors.length > 0) onFirstRejection?.();
    // The grace period only matters when a rejection leaves waitForRPCs pending forever (reference §6.9).
    // waitForRPCs can settle a moment before a failed __provider serialization rejects (observed with
    // 3.270), so wait until a quiet period passes with no new registration and no rejection.
    for (;;) {
      const mark = seq;
      await withDeadline(Promise.race([settings.waitForRPCs(), rejected]), spec.deadline - Date.now(), "program");
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      if (sawRejection || seq === mark) break;
    }
    if (exported && typeof exported === "object" && errors.length === 0) {
      outputs = {};
      for (const [k, v] of Object.entries(exported)) {
        if (k === "__esModule" || k === "default" || typeof v === "function") continue;
        outputs[k] = await withDeadline(resolveOutput(v), Math.min(5000, spec.deadline - Date.now()), `output ${k}`);
      }
    }
  } catch (e) {
    const text = describe(e);
    if (!text.includes(STEP_FAILED)) errors.push(`program: ${text}`);
  }
  for (const [, p] of pending) p.reject(new Error("program finished"));
  await send({ t: "done", outputs, errors });
  process.exit(0);
}

void main();
