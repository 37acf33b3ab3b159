/**
 * One authenticated ssh2 connection to a device: host-key check before authentication, error
 * classification into TransportError kinds, and a close notification used to detect a connection
 * that dies under an open channel.
 */
import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from "ssh2";
import { deviceLabel } from "./device-label";
import { checkHostKey, describePresentedKey, resolveHostKeyPolicy, type PresentedKey } from "./host-key-policy";
import type { HostKeyPin } from "./pins";
import { redact } from "./redact";
import type { Timers } from "./timers";
import { TransportError, type DeviceSpec } from "./types";

export interface ConnectContext {
  spec: DeviceSpec;
  /** Parsed `spec.hostKeys`. */
  pins: HostKeyPin[];
  timers: Timers;
  /** Connect + handshake + authentication budget, milliseconds. */
  timeoutMs: number;
  /** Called once per completed key exchange (stats). */
  onHandshake(): void;
  /** Called when a key is accepted without checking (`insecureSkipHostKeyCheck`). */
  onUnverifiedKey(presented: PresentedKey): void;
  /** ssh2 debug output, for integration debugging. */
  debug?: (message: string) => void;
}

/** A ready (authenticated) connection. */
export class SshConnection {
  private isClosed = false;
  private readonly closeListeners = new Set<() => void>();

  constructor(readonly client: Client) {
    // 'close' is emitted before ssh2 tears down the open channels, so listeners see each channel's state
    // as the server left it (see channel.ts).
    client.on("close", () => {
      this.isClosed = true;
      for (const fn of [...this.closeListeners]) fn();
      this.closeListeners.clear();
    });
    // Errors after 'ready' (socket resets) surface through 'close'; a listener keeps them from being thrown.
    client.on("error", () => undefined);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Registers `fn` for the moment the connection closes; returns the unsubscribe function. */
  onClose(fn: () => void): () => void {
    if (this.isClosed) {
      fn();
      return () => undefined;
    }
    this.closeListeners.add(fn);
    return () => this.closeListeners.delete(fn);
  }

  /**
   * Marks a cached connection idle (no open channel) or busy. An idle connection does not keep the Node
   * process alive, so `beforeExit` (where the dynamic provider calls `closeAllDevices`) still fires.
   */
  setIdle(idle: boolean): void {
    const sock = (this.client as unknown as { _sock?: { ref?(): void; unref?(): void } })._sock;
    if (idle) sock?.unref?.();
    else sock?.ref?.();
  }

  /** Polite close (SSH disconnect). */
  end(): void {
    this.client.end();
  }

  /** Immediate close of the socket (after a timeout). */
  destroy(): void {
    this.client.destroy();
  }
}

/**
 * Opens and authenticates a connection.
 * @throws TransportError (always `notSent`): "host-key" (mismatch, revoked, unpinned, or the server offers
 *   none of the pinned key types), "auth" (credentials rejected or unusable private key), "timeout"
 *   (no ready connection within `timeoutMs`), "connect" (socket or protocol failure).
 */
export async function connectSsh(ctx: ConnectContext): Promise<SshConnection> {
  const { spec, timers } = ctx;
  const label = deviceLabel(spec);
  const secrets = [spec.password, spec.privateKey];
  const policy = await resolveHostKeyPolicy(spec, ctx.pins);

  return new Promise<SshConnection>((resolve, reject) => {
    const client = new Client();
    let settled = false;
    let hostKeyError: TransportError | undefined;

    const fail = (err: TransportError) => {
      if (settled) return;
      settled = true;
      timers.clearTimeout(timer);
      client.destroy();
      reject(err);
    };
    const timer = timers.setTimeout(() => {
      fail(
        new TransportError(
          `${label}: connect + SSH handshake did not complete within ${ctx.timeoutMs / 1000} s`,
          spec.name,
          "timeout",
          true,
        ),
      );
    }, ctx.timeoutMs);

    client.on("handshake", () => ctx.onHandshake());
    client.on("ready", () => {
      if (settled) {
        client.end();
        return;
      }
      settled = true;
      timers.clearTimeout(timer);
      resolve(new SshConnection(client));
    });
    client.on("error", (err: Error & { level?: string }) => {
      fail(classifyConnectError(err, hostKeyError, policy.mode === "pinned" ? policy.algorithms : undefined));
    });
    client.on("close", () => {
      fail(
        hostKeyError ??
          new TransportError(`${label}: connection closed during SSH handshake`, spec.name, "connect", true),
      );
    });

    const config: ConnectConfig = {
      host: spec.host,
      port: spec.port ?? 22,
      username: spec.username,
      password: spec.password,
      privateKey: spec.privateKey,
      // ssh2's own timer is a wall-clock backstop; ours above uses the injectable clock.
      readyTimeout: ctx.timeoutMs,
      debug: ctx.debug,
      // Runs during key exchange, i.e. before any authentication request is sent.
      hostVerifier: (blob: Buffer): boolean => {
        const presented = describePresentedKey(blob);
        hostKeyError = checkHostKey(spec, policy, presented);
        if (hostKeyError) return false;
        if (policy.mode === "skip") ctx.onUnverifiedKey(presented);
        return true;
      },
    };
    // "Only the pinned key types are negotiated": a server holding a pinned key cannot steer us to another.
    if (policy.mode === "pinned" && policy.algorithms)
      config.algorithms = { serverHostKey: policy.algorithms as ServerHostKeyAlgorithm[] };

    try {
      client.connect(config);
    } catch (err) {
      // ssh2 throws synchronously for an unparsable private key or an unsupported algorithm name.
      const message = redact((err as Error).message, secrets);
      const isKey = /privateKey|private key/i.test(message);
      fail(
        new TransportError(
          `${label}: ${isKey ? "cannot use privateKey" : "invalid SSH settings"}: ${message}`,
          spec.name,
          isKey ? "auth" : "connect",
          true,
        ),
      );
    }
  });

  function classifyConnectError(
    err: Error & { level?: string },
    hostKeyError: TransportError | undefined,
    algorithms: string[] | undefined,
  ): TransportError {
    if (hostKeyError) return hostKeyError;
    const message = redact(err.message, secrets);
    if (algorithms && /no matching host key format/.test(message)) {
      return new TransportError(
        `${label}: the server offers none of the pinned host-key types (${algorithms.join(", ")}); ` +
          `only pinned key types are negotiated. Pin the key the router actually uses.`,
        spec.name,
        "host-key",
        true,
      );
    }
    switch (err.level) {
      case "client-authentication":
        return new TransportError(
          `${label}: authentication failed for user "${spec.username}" (tried: ${[spec.privateKey && "publickey", spec.password && "password"].filter(Boolean).join(", ") || "none"})`,
          spec.name,
          "auth",
          true,
        );
      case "client-timeout":
        return new TransportError(
          `${label}: connect + SSH handshake did not complete within ${ctx.timeoutMs / 1000} s`,
          spec.name,
          "timeout",
          true,
        );
      case "client-socket":
        return new TransportError(`${label}: cannot connect: ${message}`, spec.name, "connect", true);
      default:
        return new TransportError(`${label}: SSH connection failed: ${message}`, spec.name, "connect", true);
    }
  }
}
