/**
 * The real dynamic-provider host of `@pulumi/pulumi` (`cmd/dynamic-provider`) as a child process, and a
 * typed gRPC client for it (reference §2, §4). One host per engine operation, as the CLI starts one
 * `pulumi-nodejs` plugin per deployment.
 *
 * The host is started as `node --require host-lifeline.cjs <dynamic-provider> 127.0.0.1:1`: the engine
 * address is never dialled (reference §2), and the lifeline makes the host exit when the engine's end of
 * its stdin closes, so even a SIGKILLed engine leaves no orphan (reference §6.13).
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { track, untrack } from "./processes";
import { Props } from "./properties";

export interface HostOptions {
  programDir: string;
  env: Record<string, string>;
  /** absolute ms timestamp; startup and every call are bounded by it */
  deadline: number;
  log: (line: string) => void;
}

export type DiffChanges = "none" | "some" | "unknown";

export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** A provider error. `initFailed` is set when Create/Update failed after the object was made (ErrorResourceInitFailed). */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly initFailed?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(message);
  }
}

const HOST_START_LIMIT_MS = 30_000;

function toStruct(p: Props): Struct {
  return Struct.fromJavaScript(p as Parameters<typeof Struct.fromJavaScript>[0]);
}

function fromStruct(s: Struct | undefined): Props {
  return (s?.toJavaScript() ?? {}) as Props;
}

/** Decodes `grpc-status-details-bin` into ErrorResourceInitFailed, as the Go engine does. */
function initFailure(err: grpc.ServiceError): ProviderError["initFailed"] {
  const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
  if (!bin || typeof bin === "string") return undefined;
  try {
    const status = statusproto.Status.deserializeBinary(new Uint8Array(bin));
    for (const any of status.getDetailsList()) {
      if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const d = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return { id: d.getId(), properties: fromStruct(d.getProperties()), reasons: d.getReasonsList() };
    }
  } catch {
    // undecodable details: report the plain message only
  }
  return undefined;
}

export class ProviderHost {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    private readonly deadline: number,
  ) {}

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** Spawns the host in the program directory and waits for its port line. */
  static async start(opts: HostOptions): Promise<ProviderHost> {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [opts.programDir] }));
    const entry = path.join(pulumiDir, "cmd", "dynamic-provider", "index.js");
    const proc = spawn(
      process.execPath,
      ["--require", path.join(__dirname, "host-lifeline.cjs"), entry, "127.0.0.1:1"],
      {
        cwd: opts.programDir,
        env: opts.env,
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    track(proc);
    proc.once("exit", () => untrack(proc));
    readline.createInterface({ input: proc.stderr! }).on("line", (l) => opts.log(`[host stderr] ${l}`));
    const lines = readline.createInterface({ input: proc.stdout! });
    const limit = Math.min(opts.deadline, Date.now() + HOST_START_LIMIT_MS);
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("dynamic-provider host did not print its port in time")),
          Math.max(0, limit - Date.now()),
        );
        let first = true;
        lines.on("line", (l) => {
          if (!first) return opts.log(`[host] ${l}`);
          first = false;
          clearTimeout(timer);
          const n = Number(l.trim());
          if (Number.isInteger(n) && n > 0) resolve(n);
          else reject(new Error(`dynamic-provider host printed ${JSON.stringify(l)} instead of a port`));
        });
        proc.once("exit", (code, sig) => {
          clearTimeout(timer);
          reject(new Error(`dynamic-provider host exited during startup (code ${code}, signal ${sig})`));
        });
        proc.once("error", (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
      opts.log(`[engine] host pid ${proc.pid} listening on 127.0.0.1:${port}`);
      const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      return new ProviderHost(proc, client, opts.deadline);
    } catch (e) {
      proc.kill("SIGKILL");
      throw e;
    }
  }

  /** Every call gets a gRPC deadline, so a handler that never answers (reference §6.2) cannot hang us. */
  private call<Req, Res>(method: string, req: Req): Promise<Res> {
    type Method = (
      req: Req,
      md: grpc.Metadata,
      opts: grpc.CallOptions,
      cb: (err: grpc.ServiceError | null, res: Res) => void,
    ) => void;
    const fn = (this.client as unknown as Record<string, Method>)[method].bind(this.client);
    return new Promise<Res>((resolve, reject) => {
      fn(
        req,
        new grpc.Metadata(),
        { deadline: new Date(Math.max(Date.now() + 1, this.deadline)) },
        (err: grpc.ServiceError | null, res: Res) => {
          if (err) reject(new ProviderError(err.details || err.message, err.code, initFailure(err)));
          else resolve(res);
        },
      );
    });
  }

  /** Must be first, always with args (reference §6.2); args = full namespaced stack config. */
  async configure(args: Props): Promise<void> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(false);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    await this.call("configure", req);
  }

  async check(
    urn: string,
    name: string,
    type: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call<provproto.CheckRequest, provproto.CheckResponse>("check", req);
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    urn: string,
    name: string,
    type: string,
    id: string,
    olds: Props,
    news: Props,
    oldInputs: Props,
  ): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
    req.setId(id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs));
    const res = await this.call<provproto.DiffRequest, provproto.DiffResponse>("diff", req);
    const C = provproto.DiffResponse.DiffChanges;
    const c = res.getChanges();
    return {
      changes: c === C.DIFF_SOME ? "some" : c === C.DIFF_NONE ? "none" : "unknown",
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  async create(
    urn: string,
    name: string,
    type: string,
    props: Props,
    timeoutSec: number,
  ): Promise<{ id: string; outputs: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
    req.setProperties(toStruct(props));
    req.setTimeout(timeoutSec);
    const res = await this.call<provproto.CreateRequest, provproto.CreateResponse>("create", req);
    return { id: res.getId(), outputs: fromStruct(res.getProperties()) };
  }

  /** `inputs` is set only when the provider's read returned inputs (reference §7(a)). */
  async read(
    urn: string,
    name: string,
    type: string,
    id: string,
    props: Props,
    inputs: Props,
  ): Promise<{ id: string; outputs: Props; inputs?: Props }> {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
    req.setId(id);
    req.setProperties(toStruct(props));
    req.setInputs(toStruct(inputs));
    const res = await this.call<provproto.ReadRequest, provproto.ReadResponse>("read", req);
    return {
      id: res.getId(),
      outputs: fromStruct(res.getProperties()),
      inputs: res.getInputs() ? fromStruct(res.getInputs()) : undefined,
    };
  }

  async update(
    urn: string,
    name: string,
    type: string,
    id: string,
    olds: Props,
    news: Props,
    oldInputs: Props,
    timeoutSec: number,
  ): Promise<Props> {
    const req = new provproto.UpdateRequest();
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
    req.setId(id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs));
    req.setTimeout(timeoutSec);
    const res = await this.call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req);
    return fromStruct(res.getProperties());
  }

  async delete(
    urn: string,
    name: string,
    type: string,
    id: string,
    props: Props,
    oldInputs: Props,
    timeoutSec: number,
  ): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
    req.setId(id);
    req.setProperties(toStruct(props));
    req.setOldInputs(toStruct(oldInputs));
    req.setTimeout(timeoutSec);
    await this.call("delete", req);
  }

  /** Closes the channel and kills the host; resolves once it has exited (bounded). */
  async close(): Promise<void> {
    this.client.close();
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once("exit", () => r()));
    this.proc.kill("SIGTERM");
    const t = setTimeout(() => this.proc.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(t);
  }
}
