/**
 * The engine's side of the wire a Pulumi program talks to: the `pulumirpc.ResourceMonitor` and
 * `pulumirpc.Engine` gRPC services (protos shipped in `@pulumi/pulumi/proto`), served on 127.0.0.1 for the
 * program that `@pulumi/pulumi/cmd/run` runs. Every RegisterResource / ReadResource becomes a
 * `Registration` handed to the deployment (deployment.ts); the answer goes back as the RPC response, as the
 * Go engine's resource monitor does (pulumi/pulumi `pkg/resource/deploy/source_eval.go`, see docs/engine.md).
 *
 * Features offered to the SDK (SupportsFeature): `secrets`, `deletedWith`. Everything else is declined, so
 * the SDK itself refuses what needs it (e.g. `transforms`, resource hooks: "The Pulumi CLI does not support
 * …") or falls back to the older wire form (alias URNs computed by the SDK, plain values instead of output
 * values, resources passed as ids) — the forms the Go engine also accepts.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import { customTimeoutSeconds } from "./duration";
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
  /** `get` id (read) or `import` id (register) */
  id?: string;
  parent?: string;
  deps: string[];
  options: ResourceOptionsState;
  /** whether the program set deleteBeforeReplace at all (`deleteBeforeReplaceDefined` on the wire) */
  deleteBeforeReplaceDefined: boolean;
  aliases: string[];
  /** seconds per operation (Go duration strings parsed as the CLI does, see duration.ts), 0 = not set */
  customTimeouts: { create: number; update: number; delete: number };
  /** options the engine cannot honour for a dynamic resource, by their SDK names; refused by the deployment */
  unsupported: string[];
}

export interface MonitorHandlers {
  /** resolves with the id and output state, rejects with the step error (sent to the program as the RPC error) */
  register(reg: Registration): Promise<{ id: string; state: Props }>;
  registerOutputs(urn: string, outputs: Props): void;
  log(severity: "debug" | "info" | "warning" | "error", message: string, urn: string): void;
  /** the program is done (SignalAndWaitForShutdown): the deployment runs its post-steps (deletes) */
  shutdown(): Promise<void>;
}

/**
 * A registration answered "monitor shut down" (gRPC UNAVAILABLE), as the Go engine answers registrations
 * still waiting when it stops after a failed step or a cancel; the SDK then ends the program quietly
 * ("Resource monitor is terminating").
 */
export class MonitorShutdown extends Error {
  constructor() {
    super("resource monitor shut down while waiting on step's done channel");
  }
}

/** A registration answered with `result: FAIL` (continue-on-error: the step failed or was skipped). */
export class RegistrationFailed extends Error {
  constructor(
    readonly urn: string,
    message: string,
  ) {
    super(message);
  }
}

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
/** Features offered (pulumi/pulumi sdk/nodejs/runtime/settings.ts legacy feature ids). */
const FEATURES = new Set(["secrets", "deletedWith"]);

/**
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, the parent's type chain prefixed unless the
 * parent is the root stack (pulumi/pulumi sdk/go/common/resource/urn.go NewURN).
 */
export function makeUrn(
  stack: string,
  project: string,
  parentUrn: string | undefined,
  type: string,
  name: string,
): string {
  let qualified = type;
  if (parentUrn) {
    const parentType = parentUrn.split("::")[2];
    if (parentType && parentType !== ROOT_STACK_TYPE) qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function fromStruct(s: Struct | undefined): Props {
  return (s?.toJavaScript() ?? {}) as Props;
}

function toStruct(p: Props): Struct {
  return Struct.fromJavaScript(p as Parameters<typeof Struct.fromJavaScript>[0]);
}

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => void;

function unary<Req, Res>(fn: (req: Req) => Promise<Res> | Res): Unary<Req, Res> {
  return (call, cb) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (res) => cb(null, res),
        (e: Error) => {
          const code = e instanceof MonitorShutdown ? grpc.status.UNAVAILABLE : grpc.status.UNKNOWN;
          cb({ code, details: e.message, message: e.message } as grpc.ServiceError, null);
        },
      );
  };
}

function unimplemented(name: string): Unary<unknown, unknown> {
  return (_call, cb) =>
    cb(
      {
        code: grpc.status.UNIMPLEMENTED,
        details: `${name} is not implemented by the test engine`,
      } as grpc.ServiceError,
      null,
    );
}

function invokeRefusal(what: string, tok: string): string {
  return `${what} ${tok} is not supported by the test engine: it hosts only the dynamic provider, which has no functions`;
}

export interface MonitorServer {
  address: string;
  /** settles when every registration answered so far has been answered (SignalAndWaitForShutdown) */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts both services on one port (the CLI uses two; one address for both is what cmd/run needs). */
export async function startMonitor(project: string, stack: string, h: MonitorHandlers): Promise<MonitorServer> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const inFlight = new Set<Promise<unknown>>();
  let root = "";

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.then(
      () => inFlight.delete(p),
      () => inFlight.delete(p),
    );
    return p;
  };

  const registration = (req: resproto.RegisterResourceRequest): Registration => {
    const parent = req.getParent() || undefined;
    const deps = new Set(req.getDependenciesList());
    for (const [, d] of req.getPropertydependenciesMap().entries()) for (const u of d.getUrnsList()) deps.add(u);
    const unsupported: string[] = [];
    if (req.getReplaceWithList().length > 0) unsupported.push("replaceWith");
    if (req.getReplacementTrigger()) unsupported.push("replacementTrigger");
    if (req.getTransformsList().length > 0) unsupported.push("transforms");
    if (req.getHooks()) unsupported.push("hooks");
    if (req.getProvider() || req.getProvidersMap().getLength() > 0) unsupported.push("provider");
    if (req.getAliasesList().length > 0) unsupported.push("aliases");
    const ct = req.getCustomtimeouts();
    // Go durations, seconds as a float; an invalid value fails the registration as the CLI's does
    const timeouts = {
      create: customTimeoutSeconds(ct?.getCreate()),
      update: customTimeoutSeconds(ct?.getUpdate()),
      delete: customTimeoutSeconds(ct?.getDelete()),
    };
    return {
      kind: "register",
      type: req.getType(),
      name: req.getName(),
      urn: makeUrn(stack, project, parent, req.getType(), req.getName()),
      custom: req.getCustom(),
      inputs: fromStruct(req.getObject()),
      id: req.getImportid() || undefined,
      parent,
      deps: [...deps],
      options: {
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        deletedWith: req.getDeletedwith() || undefined,
      },
      deleteBeforeReplaceDefined: req.getDeletebeforereplacedefined(),
      aliases: req.getAliasurnsList(),
      customTimeouts: timeouts,
      unsupported,
    };
  };

  server.addService(resrpc.ResourceMonitorService, {
    supportsFeature: unary((req: resproto.SupportsFeatureRequest) => {
      const res = new resproto.SupportsFeatureResponse();
      res.setHassupport(FEATURES.has(req.getId()));
      return res;
    }),
    getDeploymentInfo: unimplemented("GetDeploymentInfo"),
    // The CLI runs an invoke on the provider plugin of the token's package; the test engine hosts only the
    // dynamic provider, which has no functions, so it refuses every invoke, naming it (docs/engine.md,
    // "Where the test engine still differs"). routerstack programs make none.
    invoke: unary((req: resproto.ResourceInvokeRequest) => {
      throw new Error(invokeRefusal("invoke", req.getTok()));
    }),
    call: unary((req: resproto.ResourceCallRequest) => {
      throw new Error(invokeRefusal("call", req.getTok()));
    }),
    streamInvoke: (call: grpc.ServerWritableStream<resproto.ResourceInvokeRequest, unknown>) => {
      const message = invokeRefusal("stream invoke", call.request.getTok());
      call.emit("error", { code: grpc.status.UNKNOWN, details: message, message } as grpc.ServiceError);
    },
    readResource: unary(async (req: resproto.ReadResourceRequest) => {
      const parent = req.getParent() || undefined;
      const reg: Registration = {
        kind: "read",
        type: req.getType(),
        name: req.getName(),
        urn: makeUrn(stack, project, parent, req.getType(), req.getName()),
        custom: true,
        inputs: fromStruct(req.getProperties()),
        id: req.getId(),
        parent,
        deps: req.getDependenciesList(),
        options: { additionalSecretOutputs: req.getAdditionalsecretoutputsList() },
        deleteBeforeReplaceDefined: false,
        aliases: [],
        customTimeouts: { create: 0, update: 0, delete: 0 },
        unsupported: req.getProvider() ? ["provider"] : [],
      };
      const r = await track(h.register(reg));
      const res = new resproto.ReadResourceResponse();
      res.setUrn(reg.urn);
      res.setProperties(toStruct(r.state));
      return res;
    }),
    registerResource: unary(async (req: resproto.RegisterResourceRequest) => {
      const reg = registration(req);
      const res = new resproto.RegisterResourceResponse();
      res.setUrn(reg.urn);
      let r: { id: string; state: Props };
      try {
        r = await track(h.register(reg));
      } catch (e) {
        if (!(e instanceof RegistrationFailed)) throw e;
        res.setResult(resproto.Result.FAIL);
        return res;
      }
      res.setId(r.id);
      res.setObject(toStruct(r.state));
      return res;
    }),
    registerResourceOutputs: unary((req: resproto.RegisterResourceOutputsRequest) => {
      h.registerOutputs(req.getUrn(), fromStruct(req.getOutputs()));
      return new Empty();
    }),
    registerStackTransform: unimplemented("RegisterStackTransform"),
    registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
    registerResourceHook: unimplemented("RegisterResourceHook"),
    registerErrorHook: unimplemented("RegisterErrorHook"),
    registerPackage: unimplemented("RegisterPackage"),
    signalAndWaitForShutdown: unary(async () => {
      // the program is held until the deployment's deletes are done (source_eval.go SignalAndWaitForShutdown)
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await h.shutdown();
      return new Empty();
    }),
  });

  server.addService(engrpc.EngineService, {
    log: unary((req: engproto.LogRequest) => {
      const S = engproto.LogSeverity;
      const sev = req.getSeverity();
      h.log(
        sev === S.ERROR ? "error" : sev === S.WARNING ? "warning" : sev === S.INFO ? "info" : "debug",
        req.getMessage(),
        req.getUrn(),
      );
      return new Empty();
    }),
    getRootResource: unary(() => {
      const res = new engproto.GetRootResourceResponse();
      res.setUrn(root);
      return res;
    }),
    setRootResource: unary((req: engproto.SetRootResourceRequest) => {
      root = req.getUrn();
      return new engproto.SetRootResourceResponse();
    }),
    startDebugging: unimplemented("StartDebugging"),
    requirePulumiVersion: unary(() => new Empty()),
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}
