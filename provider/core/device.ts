/**
 * The device endpoint contract: a device's spec and the transport that runs commands on it. provider/transport
 * implements it over SSH; device code (provider/routeros, provider/openwrt) and the kind contract (kind.ts)
 * depend only on this, so it sits in core, below the transport (DESIGN.md "Layout").
 */

/** How exec channels are used on one SSH connection (see DESIGN.md "Device rules"). */
export type ChannelMode = "per-exec" | "sequential" | "parallel";

/** A device as declared in stack config `routerstack:devices.<name>`, with secrets resolved. */
export interface DeviceSpec {
  /** Stack-config key of the device, used in every error and log line. */
  name: string;
  platform: "routeros" | "openwrt";
  host: string;
  /** TCP port, default 22. */
  port: number;
  username: string;
  /** Secret. */
  password?: string;
  /** Secret: an OpenSSH or PEM private key. */
  privateKey?: string;
  /**
   * Pinned host keys: `SHA256:<base64>` fingerprints (a full `ssh-keygen -lf` line is accepted).
   * Also `<key type> SHA256:<base64>` and an OpenSSH public-key line. When every pin names its key type,
   * only those types are negotiated. See transport/pins.ts.
   */
  hostKeys?: string[];
  /**
   * Path of a known_hosts file, alternative to `hostKeys` (both may be given: the union is accepted).
   * Lines for `host` (port 22) or `[host]:port`, hashed `|1|` entries, `@revoked`; `@cert-authority` is not supported.
   */
  knownHostsFile?: string;
  /** Explicit, logged opt-out of host-key verification. */
  insecureSkipHostKeyCheck?: boolean;
  /** Seconds for connect + handshake and for each exec; default 30. */
  timeoutSeconds?: number;
  /** Default: "per-exec" for RouterOS, "sequential" for OpenWrt. */
  channelMode?: ChannelMode;
  /** Cap on concurrent SSH sessions to this device; default 4 (RouterOS `max-sessions` default is 20). */
  maxSessions?: number;
  /**
   * Per-exec mode only: connections logged in ahead of need, so an exec does not wait for a handshake
   * (device.ts `warmUp`). Each still serves exactly one exec, counts against `maxSessions`, and is closed after
   * 1.5 s unused. Default 2; 0 turns it off.
   */
  warmConnections?: number;
  /** When set, a redacted log of every command sent is appended to this file. */
  commandLogFile?: string;
  /**
   * Milliseconds a batch of requests to this device stays open after its first request (batch-window.ts);
   * default 20. 0 dispatches as soon as the I/O events already queued are handled.
   */
  batchWindowMs?: number;
  /**
   * Lock-out guard (provider/routeros/lockout-guard.ts): before a change that can cut the management path, a
   * revert is armed on the device and cancelled only from a fresh SSH connection. `windowSeconds`: how long the
   * device waits before reverting by itself. `false` turns the guard off. Default (unset): on, 60 seconds.
   */
  lockoutGuard?: { windowSeconds: number } | false;
}

export interface ExecOptions {
  /** Bytes written to the command's stdin, then stdin is closed (unless `interactive` is used). */
  stdin?: string;
  /** Values that must never appear in logs or errors; replaced by `***`. */
  secrets?: string[];
  /** Overrides the device timeout for this exec, seconds. */
  timeoutSeconds?: number;
  /**
   * The command changes nothing on the device. Any other exec counts as a change: once it has ended, no
   * connection logged in before it serves another exec (`warmConnections`), because a change can cut new
   * connections while older ones live on, and per-exec mode's fresh connection is what shows such a cut.
   */
  readOnly?: boolean;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status when the server sent one; RouterOS' is meaningless. */
  code: number | null;
}

/** An interactive exec: write to stdin while reading stdout (used for uci transactions). */
export interface InteractiveExec {
  write(data: string): void;
  end(): void;
  /** Resolves with all stdout seen so far once `marker` appears in stdout. */
  waitFor(marker: string): Promise<string>;
  /** Resolves when the channel closes. */
  done: Promise<ExecResult>;
}

/**
 * Counters of one DeviceTransport since it was opened.
 * The first three are the original contract; the optional ones are filled by the ssh2 implementation.
 */
export interface TransportStats {
  /** SSH key exchanges completed (one per connection). */
  handshakes: number;
  /** Exec requests sent on an open channel (interactive ones included; a refused channel is not counted). */
  execs: number;
  /** UTF-8 bytes of commands plus stdin sent. */
  bytesSent: number;
  /** Channel opens the server refused. */
  refusedChannels?: number;
  /** The channel mode in use now (after a fallback: "per-exec"). */
  mode?: ChannelMode;
}

/** One device's SSH endpoint. Implementations queue work per device and respect `maxSessions`. */
export interface DeviceTransport {
  readonly spec: DeviceSpec;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  interactive(command: string, opts?: ExecOptions): Promise<InteractiveExec>;
  /** Counters for tests and benchmarks. */
  stats(): TransportStats;
  close(): Promise<void>;
}

/** Thrown for every transport failure; message names the device and the operation. */
export class TransportError extends Error {
  /**
   * @param notSent true when the command is known not to have reached the device (connection or channel
   *   refused before the exec request went out), so running it again cannot run it twice. Default false.
   */
  constructor(
    message: string,
    readonly device: string,
    readonly kind: "connect" | "auth" | "host-key" | "timeout" | "channel" | "closed",
    readonly notSent: boolean = false,
  ) {
    super(message);
    this.name = "TransportError";
  }
}
