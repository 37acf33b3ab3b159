/**
 * DeviceTransport over ssh2: channel modes, the per-device session cap, the per-exec fallback, stats and
 * the command log. See DESIGN.md "Device rules" for why RouterOS defaults to one connection per exec.
 */
import { CommandLog } from "./command-log";
import { runExec, openInteractive, type ChannelContext } from "./channel";
import { connectSsh, type SshConnection } from "./connection";
import { deviceLabel } from "./device-label";
import { pinsFromSpec } from "./host-key-policy";
import { transportLog } from "./logger";
import type { TransportOptions } from "./options";
import type { HostKeyPin } from "./pins";
import { Semaphore } from "./semaphore";
import { systemTimers, type Timers } from "./timers";
import {
  TransportError,
  type ChannelMode,
  type DeviceSpec,
  type DeviceTransport,
  type ExecOptions,
  type ExecResult,
  type InteractiveExec,
  type TransportStats,
} from "./types";

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_SESSIONS = 4;
/** How long a polite SSH disconnect may take before the socket is destroyed, milliseconds. */
const CLOSE_GRACE_MS = 2000;
export const DEFAULT_WARM_CONNECTIONS = 2;
/** How long a warm connection may wait for an exec before it is closed, milliseconds. */
export const WARM_IDLE_MS = 1500;

/** A connection held for one exec: where it came from and how to give it back. */
interface Lease {
  conn: SshConnection;
  mode: ChannelMode;
  release(): void;
}

/** A per-exec connection logged in ahead of need (warmUp); it holds a session slot from the start. */
interface WarmConnection {
  /** Settles with the logged-in connection, or undefined when the login failed or the transport closed. */
  ready: Promise<SshConnection | undefined>;
  /** Gives the slot back (idempotent). */
  release(): void;
  idle?: unknown;
  /** Taken by an exec, or retired: from then on it is no longer the pool's. */
  claimed: boolean;
  /** The transport's `epoch` when the login began: one from before a change or a close is never used. */
  epoch: number;
}

function positiveSeconds(value: number | undefined, fallback: number, what: string, device: string): number {
  const v = value ?? fallback;
  if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) {
    throw new TransportError(
      `device "${device}": ${what} must be a positive number of seconds, got ${String(value)}`,
      device,
      "connect",
    );
  }
  return v;
}

export class SshDeviceTransport implements DeviceTransport {
  private readonly pins: HostKeyPin[];
  private readonly timers: Timers;
  private readonly maxSessions: number;
  private readonly slots: Semaphore;
  private readonly log?: CommandLog;
  private mode: ChannelMode;
  private shared?: SshConnection;
  private sharedUsers = 0;
  private connecting?: Promise<SshConnection>;
  private readonly live = new Set<SshConnection>();
  private warnedUnverified = false;
  private readonly warmCount: number;
  /** Per-exec mode: connections logged in or logging in ahead of need, oldest first. */
  private warm: WarmConnection[] = [];
  /** A warm-up failed: none is tried again until an exec has connected by itself (and reported any error). */
  private warmFailed = false;
  /**
   * Bumped by close() and at the end of every exec that is not `readOnly`: a warm connection whose login began
   * in an earlier epoch predates a change (or the close) and is ended instead of used.
   */
  private epoch = 0;
  private counters = { handshakes: 0, execs: 0, bytesSent: 0, refusedChannels: 0 };

  /**
   * @throws TransportError "host-key" for a malformed `hostKeys` entry, "connect" for a bad timeout or
   *   `maxSessions` (checked here so a bad spec fails before any I/O).
   */
  constructor(
    readonly spec: DeviceSpec,
    private readonly options: TransportOptions = {},
  ) {
    this.pins = pinsFromSpec(spec);
    this.timers = options.timers ?? systemTimers;
    positiveSeconds(spec.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS, "timeoutSeconds", spec.name);
    this.maxSessions = spec.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isInteger(this.maxSessions) || this.maxSessions < 1) {
      throw new TransportError(
        `device "${spec.name}": maxSessions must be an integer ≥ 1, got ${spec.maxSessions}`,
        spec.name,
        "connect",
      );
    }
    this.warmCount = spec.warmConnections ?? DEFAULT_WARM_CONNECTIONS;
    if (!Number.isInteger(this.warmCount) || this.warmCount < 0) {
      throw new TransportError(
        `device "${spec.name}": warmConnections must be an integer ≥ 0, got ${spec.warmConnections}`,
        spec.name,
        "connect",
      );
    }
    this.mode = spec.channelMode ?? (spec.platform === "routeros" ? "per-exec" : "sequential");
    this.slots = new Semaphore(this.mode === "sequential" ? 1 : this.maxSessions);
    if (spec.commandLogFile) this.log = new CommandLog(spec.commandLogFile, spec.name);
  }

  stats(): TransportStats {
    return { ...this.counters, mode: this.mode };
  }

  /**
   * Runs one command. See `runExec` for the errors; connection errors come from `connectSsh`.
   * In sequential/parallel mode a refused channel switches this device to per-exec and the command is
   * run once more on its own connection (it never ran); nothing that reached an open channel is retried.
   */
  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const startedAt = this.timers.now();
    let mode: ChannelMode = this.mode;
    try {
      const result = await this.withRetry(async (lease) => {
        mode = lease.mode;
        try {
          return await runExec(lease.conn, command, opts.stdin, this.channelContext(command, opts, lease.mode));
        } finally {
          lease.release();
        }
      });
      await this.logExec(startedAt, mode, command, opts, `ok exit=${result.code ?? "none"}`);
      return result;
    } catch (err) {
      await this.logExec(
        startedAt,
        mode,
        command,
        opts,
        `error kind=${err instanceof TransportError ? err.kind : "unknown"}`,
      );
      throw err;
    } finally {
      if (!opts.readOnly) this.changed();
    }
  }

  /**
   * Opens `command` with stdin left open. The session slot (and, per-exec, the connection) is held until
   * `done` settles; the whole session is bounded by the exec timeout. `opts.stdin`, if given, is written
   * first. The command-log line is written when the session ends, with everything written to stdin.
   * `waitFor` rejects (session ended without the marker, timeout, connection lost) only after `done` settled.
   */
  async interactive(command: string, opts: ExecOptions = {}): Promise<InteractiveExec> {
    const startedAt = this.timers.now();
    let mode: ChannelMode = this.mode;
    let session: Awaited<ReturnType<typeof openInteractive>>;
    try {
      session = await this.withRetry(async (lease) => {
        mode = lease.mode;
        try {
          const s = await openInteractive(
            lease.conn,
            command,
            opts.stdin,
            this.channelContext(command, opts, lease.mode),
          );
          s.done.then(lease.release, lease.release);
          return s;
        } catch (err) {
          lease.release();
          throw err;
        }
      });
    } catch (err) {
      if (!opts.readOnly) this.changed();
      await this.logExec(
        startedAt,
        mode,
        command,
        opts,
        `error kind=${err instanceof TransportError ? err.kind : "unknown"}`,
      );
      throw err;
    }
    if (!opts.readOnly) session.done.then(this.changed, this.changed);
    const logged = session.done.then(
      (r) =>
        this.logExec(startedAt, mode, command, { ...opts, stdin: session.written() }, `ok exit=${r.code ?? "none"}`),
      (e: unknown) =>
        this.logExec(
          startedAt,
          mode,
          command,
          { ...opts, stdin: session.written() },
          `error kind=${e instanceof TransportError ? e.kind : "unknown"}`,
        ),
    );
    // `done` resolves after the log line is written, so a caller that awaits it can read the log.
    const done = logged.then(() => session.done);
    done.catch(() => undefined);
    // A waitFor that fails because the session ended is settled only after `done`, so a caller racing the
    // two (uci-transaction.ts) sees the session's own result, which tells more than "marker not seen".
    const waitFor = (marker: string) =>
      session.waitFor(marker).catch(async (err: unknown) => {
        await done.catch(() => undefined);
        throw err;
      });
    return { write: session.write, end: session.end, waitFor, done };
  }

  /** Closes the cached connection and every connection still open; running execs fail with kind "closed". */
  async close(): Promise<void> {
    this.epoch++;
    this.retireWarm();
    const conns = [...this.live];
    this.shared = undefined;
    this.connecting = undefined;
    await Promise.all(
      conns.map(
        (c) =>
          new Promise<void>((resolve) => {
            c.onClose(resolve);
            c.end();
            // A server that never answers the disconnect must not hold close() up.
            const t = this.timers.setTimeout(() => {
              c.destroy();
              resolve();
            }, CLOSE_GRACE_MS);
            c.onClose(() => this.timers.clearTimeout(t));
          }),
      ),
    );
  }

  private channelContext(command: string, opts: ExecOptions, mode: ChannelMode): ChannelContext {
    const seconds = positiveSeconds(
      opts.timeoutSeconds ?? this.spec.timeoutSeconds,
      DEFAULT_TIMEOUT_SECONDS,
      "timeoutSeconds",
      this.spec.name,
    );
    return {
      spec: this.spec,
      timers: this.timers,
      timeoutMs: seconds * 1000,
      secrets: this.secrets(opts),
      mode,
      // POSIX shells (OpenWrt) wait for EOF; what RouterOS does on an early EOF is unverified, so it gets none.
      endStdinByDefault: this.spec.platform !== "routeros",
      onSent: () => {
        this.counters.execs++;
        this.counters.bytesSent +=
          Buffer.byteLength(command, "utf8") + (opts.stdin === undefined ? 0 : Buffer.byteLength(opts.stdin, "utf8"));
      },
    };
  }

  private secrets(opts: ExecOptions): Array<string | undefined> {
    return [...(opts.secrets ?? []), this.spec.password, this.spec.privateKey];
  }

  private async logExec(
    startedAt: number,
    mode: ChannelMode,
    command: string,
    opts: ExecOptions,
    outcome: string,
  ): Promise<void> {
    if (!this.log) return;
    await this.log.append(
      {
        startedAt,
        device: this.spec.name,
        mode,
        command,
        stdin: opts.stdin,
        durationMs: this.timers.now() - startedAt,
        outcome,
      },
      this.secrets(opts),
    );
  }

  /**
   * Leases a connection and runs `body`; runs it once more when the first attempt failed with a
   * `notSent` "channel" or "closed" error on a shared connection (refused channel → per-exec fallback;
   * cached connection found dead → reconnect). Connect errors are never retried.
   */
  private async withRetry<T>(body: (lease: Lease) => Promise<T>): Promise<T> {
    const first = await this.lease();
    try {
      return await body(first);
    } catch (err) {
      if (
        !(err instanceof TransportError) ||
        !err.notSent ||
        first.mode === "per-exec" ||
        (err.kind !== "channel" && err.kind !== "closed")
      )
        throw err;
      if (err.kind === "channel") this.fallBackToPerExec(first.mode, err);
      const second = await this.lease();
      return body(second);
    }
  }

  private fallBackToPerExec(from: ChannelMode, err: TransportError): void {
    this.counters.refusedChannels++;
    if (this.mode === "per-exec") return;
    this.mode = "per-exec";
    this.slots.setCapacity(this.maxSessions);
    transportLog(
      "info",
      `${deviceLabel(this.spec)}: the server refused a channel on a shared connection (${from} mode: ${err.message}); ` +
        `using one connection per exec for this device from now on, and retrying the refused command once`,
    );
    this.retireSharedIfIdle();
  }

  private retireSharedIfIdle(): void {
    if (this.mode === "per-exec" && this.shared && this.sharedUsers === 0) {
      this.shared.end();
      this.shared = undefined;
    }
  }

  private async lease(): Promise<Lease> {
    // A login already under way is always sooner than a new one.
    const warm = this.mode === "per-exec" ? this.takeWarm() : undefined;
    if (warm) {
      const conn = await warm.ready;
      if (conn && !conn.closed && warm.epoch === this.epoch) {
        this.warmUp();
        return this.perExecLease(conn, warm.release);
      }
      if (conn) this.perExecLease(conn, warm.release).release();
      else warm.release();
    }
    const release = await this.slots.acquire();
    const mode = this.mode;
    if (mode === "per-exec") {
      let conn: SshConnection;
      try {
        conn = await this.connect();
      } catch (err) {
        release();
        throw err;
      }
      this.warmFailed = false;
      this.warmUp();
      return this.perExecLease(conn, release);
    }
    let conn: SshConnection;
    try {
      conn = await this.sharedConnection();
    } catch (err) {
      release();
      throw err;
    }
    this.sharedUsers++;
    conn.setIdle(false);
    let done = false;
    return {
      conn,
      mode,
      release: () => {
        if (done) return;
        done = true;
        this.sharedUsers--;
        if (this.sharedUsers === 0) conn.setIdle(true);
        if (conn !== this.shared && this.sharedUsers === 0 && !conn.closed) conn.end();
        this.retireSharedIfIdle();
        release();
      },
    };
  }

  /** One exec on `conn`, then the connection is closed; `release` gives its session slot back once it has. */
  private perExecLease(conn: SshConnection, release: () => void): Lease {
    let done = false;
    return {
      conn,
      mode: "per-exec",
      release: () => {
        if (done) return;
        done = true;
        // The router counts a session until its side has closed, so the slot is given back only when the
        // connection is fully closed, not when we ask for the close.
        const t = this.timers.setTimeout(() => conn.destroy(), CLOSE_GRACE_MS);
        conn.onClose(() => {
          this.timers.clearTimeout(t);
          release();
        });
        conn.end();
      },
    };
  }

  /**
   * An exec that may have changed the device has ended: warm connections logged in before now are ended (one
   * still logging in is ended when it arrives), and new ones are logged in for what comes next.
   */
  private readonly changed = (): void => {
    if (this.warmCount === 0) return;
    this.epoch++;
    this.retireWarm();
    this.warmUp();
  };

  /** Takes every unclaimed warm connection out of the pool and ends it, once logged in, giving its slot back. */
  private retireWarm(): void {
    for (const w of this.warm) {
      w.claimed = true;
      if (w.idle !== undefined) this.timers.clearTimeout(w.idle);
      void w.ready.then((conn) => (conn ? this.perExecLease(conn, w.release).release() : w.release()));
    }
    this.warm = [];
  }

  /** The oldest warm connection, taken out of the pool; its slot passes to the lease. */
  private takeWarm(): WarmConnection | undefined {
    const w = this.warm.shift();
    if (!w) return undefined;
    w.claimed = true;
    if (w.idle !== undefined) this.timers.clearTimeout(w.idle);
    return w;
  }

  /**
   * Per-exec mode: logs in up to `warmConnections` connections ahead of need, so the next exec skips the
   * handshake (several round trips and the router's key exchange) that per-exec mode otherwise pays per exec.
   * Each still serves one exec only (reference/routeros-cli.md §1.4), and holds a session slot from the start:
   * only a slot free now and wanted by nobody is taken, so warming never delays an exec or passes `maxSessions`.
   * Unused after WARM_IDLE_MS, it is closed. A failed warm-up is not reported; the next exec connects itself.
   */
  private warmUp(): void {
    const epoch = this.epoch;
    while (this.mode === "per-exec" && !this.warmFailed && this.warm.length < this.warmCount) {
      const release = this.slots.tryAcquire();
      if (!release) return;
      const w: WarmConnection = { release, claimed: false, epoch, ready: Promise.resolve(undefined) };
      const retire = (conn: SshConnection) => {
        w.claimed = true;
        this.warm = this.warm.filter((x) => x !== w);
        this.perExecLease(conn, release).release();
      };
      w.ready = this.connect().then(
        (conn) => {
          // A claimant checks the epoch itself. Unclaimed: after a change or close, fallen back to a shared
          // connection, or while execs queue for its slot, it is given back.
          if (w.claimed) return conn;
          if (epoch !== this.epoch || this.mode !== "per-exec") return void retire(conn);
          if (this.slots.contended) return void retire(conn);
          w.idle = this.timers.setTimeout(() => {
            if (!w.claimed) retire(conn);
          }, WARM_IDLE_MS);
          conn.onClose(() => {
            if (w.claimed) return;
            w.claimed = true;
            this.timers.clearTimeout(w.idle);
            this.warm = this.warm.filter((x) => x !== w);
            release();
          });
          return conn;
        },
        () => {
          this.warmFailed = true;
          this.warm = this.warm.filter((x) => x !== w);
          release();
          return undefined;
        },
      );
      this.warm.push(w);
    }
  }

  private sharedConnection(): Promise<SshConnection> {
    if (this.shared && !this.shared.closed) return Promise.resolve(this.shared);
    if (!this.connecting) {
      const attempt = (async () => {
        try {
          const conn = await this.connect();
          this.shared = conn;
          return conn;
        } finally {
          this.connecting = undefined;
        }
      })();
      this.connecting = attempt;
    }
    return this.connecting;
  }

  private async connect(): Promise<SshConnection> {
    const seconds = positiveSeconds(
      this.spec.timeoutSeconds,
      DEFAULT_TIMEOUT_SECONDS,
      "timeoutSeconds",
      this.spec.name,
    );
    const conn = await connectSsh({
      spec: this.spec,
      pins: this.pins,
      timers: this.timers,
      timeoutMs: seconds * 1000,
      debug: this.options.debug,
      onHandshake: () => {
        this.counters.handshakes++;
      },
      onUnverifiedKey: (presented) => {
        if (this.warnedUnverified) return;
        this.warnedUnverified = true;
        transportLog(
          "warn",
          `${deviceLabel(this.spec)}: host-key verification is OFF (insecureSkipHostKeyCheck); ` +
            `accepted ${presented.keyType} ${presented.fingerprint} without checking it`,
        );
      },
    });
    this.live.add(conn);
    conn.onClose(() => {
      this.live.delete(conn);
      if (this.shared === conn) this.shared = undefined;
    });
    return conn;
  }
}
