/**
 * Fault rounds for tests/e2e/faults.test.ts: every resource gets its own device entry (`<device>-<tag>`) that
 * reaches the real lab device through its own fault proxy (tests/lab/fault-proxy.ts), so one engine run can cut
 * a different exec of every kind at once and connection numbers count only that resource's execs.
 */
import * as fs from "fs";
import * as path from "path";
import { runEngine, type EngineOp, type EngineResult } from "../engine";
import { ConnectionLimiter, startFaultProxy, type Fault, type FaultProxy } from "../lab/fault-proxy";
import { PASSPHRASE, PROGRAM_DIR, PROGRAM_ENV, type LabSession, type ResourceSpec } from "./harness";

export const PROJECT = "routerstack-e2e";
export const STACK = "test";
export const identityOf = (name: string) => `${PROJECT}/${STACK}/${name}`;

/** One resource under test: its spec at version 1 and 2 (an in-place update) and its own proxy. */
export interface FaultKind {
  tag: string;
  /** The lab device behind the proxy. */
  lab: "crs" | "dlink";
  spec(version: 1 | 2): ResourceSpec;
  proxy?: FaultProxy;
  /** Extra fields for the device entry (channelMode, timeoutSeconds). */
  entry?: Record<string, unknown>;
}

export const deviceOf = (k: FaultKind) => `${k.lab}-${k.tag}`;

export class FaultBench {
  private knownHosts = "";
  constructor(
    readonly s: LabSession,
    readonly kinds: FaultKind[],
    /** State file of this bench's stack; default the session's. */
    private readonly stateFile?: string,
  ) {}

  async start(): Promise<void> {
    const lab = this.s.lab;
    const lines: string[] = [];
    // dropbear refuses more than a few unauthenticated connections per source address (see ConnectionLimiter).
    const dlinkLimiter = new ConnectionLimiter(4);
    for (const k of this.kinds) {
      const target =
        k.lab === "crs" ? { host: lab.crs.host, port: lab.crs.port } : { host: lab.dlink.host, port: lab.dlink.port };
      k.proxy = await startFaultProxy(target, { limiter: k.lab === "dlink" ? dlinkLimiter : undefined });
      const keys = k.lab === "crs" ? [lab.crs.hostPublicKey] : lab.dlink.hostPublicKeys;
      for (const key of keys) lines.push(`[${k.proxy.host}]:${k.proxy.port} ${key}`);
    }
    this.knownHosts = path.join(lab.dir, `known_hosts_faults_${this.kinds.map((k) => k.tag).join("_")}`);
    fs.writeFileSync(this.knownHosts, lines.join("\n") + "\n");
  }

  async stop(): Promise<void> {
    await Promise.all(this.kinds.map((k) => k.proxy?.close()));
  }

  devices(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = { ...this.s.lab.devices };
    for (const k of this.kinds) {
      const base = this.s.lab.devices[k.lab];
      out[deviceOf(k)] = {
        ...base,
        host: k.proxy!.host,
        port: k.proxy!.port,
        knownHostsFile: this.knownHosts,
        // The rounds count connections as execs ("the k-th exec"): no login ahead of need, so each connection
        // carries an exec (warm connections are tested in tests/unit/transport/warm-connections.test.ts).
        warmConnections: 0,
        ...(k.entry ?? {}),
      };
    }
    return out;
  }

  /** The spec of `k` at `version`, pointed at its proxied device. */
  specOf(k: FaultKind, version: 1 | 2): ResourceSpec {
    const s = k.spec(version);
    return { ...s, args: { ...s.args, device: deviceOf(k) } };
  }

  /**
   * One engine run. `continueOnError` (the CLI's `--continue-on-error`): a fault round cuts one step of every kind
   * at once, so the run must go on starting the other kinds' steps after the first one failed.
   */
  run(op: EngineOp, resources: ResourceSpec[], refresh = false, continueOnError = false): Promise<EngineResult> {
    return runEngine(op, {
      programDir: PROGRAM_DIR,
      stack: STACK,
      stateFile: this.stateFile ?? this.s.statePath(),
      refresh,
      continueOnError,
      passphrase: PASSPHRASE,
      env: PROGRAM_ENV,
      configOverrides: { "routerstack:devices": this.devices(), "test:resources": resources },
    });
  }

  async ok(op: EngineOp, resources: ResourceSpec[], refresh = false): Promise<EngineResult> {
    const r = await this.run(op, resources, refresh);
    if (!r.ok)
      throw new Error(`${op}${refresh ? " --refresh" : ""} failed:\n${r.errors.join("\n")}\n${r.log.slice(-4000)}`);
    return r;
  }

  arm(faults: Map<FaultKind, Fault>): void {
    for (const k of this.kinds) k.proxy!.arm(faults.get(k) ?? { kind: "none" });
  }

  reset(): void {
    for (const k of this.kinds) k.proxy!.reset();
  }
}

/** The error of the run naming resource `name`, or undefined. */
export function errorOf(r: EngineResult, name: string): string | undefined {
  const id = identityOf(name);
  return r.errors.find((e) => e.includes(id) || e.includes(`::${name}`));
}

/** Whether `text` is a clear error: names the device, the resource identity and the operation. */
export function clearError(text: string, device: string, name: string, op: "create" | "update" | "delete"): boolean {
  return (
    text.includes(`device "${device}"`) &&
    text.includes(identityOf(name)) &&
    new RegExp(`\\b${op} failed\\b`).test(text)
  );
}
