/**
 * One exec channel on a ready connection: no pty (RouterOS hangs with one — reference/routeros-cli.md §1.1),
 * UTF-8 output collection, exit status, timeout, and detection of refused or dropped channels.
 */
import { StringDecoder } from "node:string_decoder";
import type { ClientChannel } from "ssh2";
import type { SshConnection } from "./connection";
import { deviceLabel } from "./device-label";
import { redactedPrefix } from "./redact";
import type { Timers } from "./timers";
import { TransportError, type DeviceSpec, type ExecResult, type InteractiveExec } from "./types";

export interface ChannelContext {
  spec: DeviceSpec;
  timers: Timers;
  /** Exec budget, milliseconds, from the exec request until the channel closes. */
  timeoutMs: number;
  /** Values to redact from error messages (exec secrets, device password). */
  secrets: ReadonlyArray<string | undefined>;
  /** Channel mode, for messages. */
  mode: string;
  /** Send EOF on stdin when no stdin is given (shells wait for it; RouterOS's reaction is unverified). */
  endStdinByDefault: boolean;
  /** Called once the exec request went out on an open channel (stats). */
  onSent(): void;
}

/** An open exec channel being collected; shared by `runExec` and `openInteractive`. */
interface Collector {
  stream: ClientChannel;
  stdout: () => string;
  /** Settles when the channel closes (result) or fails (timeout, connection lost). */
  done: Promise<ExecResult>;
  /** Subscribe to stdout growth; returns the unsubscribe function. */
  onStdout(fn: () => void): () => void;
}

/** The state ssh2 keeps for a channel's incoming side; "closed" once the server's CHANNEL_CLOSE arrived. */
function serverClosed(stream: ClientChannel): boolean {
  return (stream as unknown as { incoming?: { state?: string } }).incoming?.state === "closed";
}

function openChannel(conn: SshConnection, command: string, ctx: ChannelContext): Promise<Collector> {
  const { spec, timers } = ctx;
  const label = deviceLabel(spec);
  const shown = () => redactedPrefix(command, ctx.secrets);

  return new Promise<Collector>((resolveOpen, rejectOpen) => {
    let opened = false;
    let settled = false;
    let resolveDone!: (r: ExecResult) => void;
    let rejectDone!: (e: TransportError) => void;
    const done = new Promise<ExecResult>((res, rej) => {
      resolveDone = res;
      rejectDone = rej;
    });
    let stream: ClientChannel | undefined;
    let unsubscribe: () => void = () => undefined;

    const finish = (err: TransportError | undefined, result?: ExecResult) => {
      if (settled) return;
      settled = true;
      timers.clearTimeout(timer);
      unsubscribe();
      if (!opened) {
        rejectOpen(err);
        return;
      }
      if (err) rejectDone(err);
      else resolveDone(result!);
    };

    const timer = timers.setTimeout(() => {
      finish(
        new TransportError(
          `${label}: exec timed out after ${ctx.timeoutMs / 1000} s (${ctx.mode}): ${shown()}`,
          spec.name,
          "timeout",
        ),
      );
      // The command may still be running on the device: kill the channel and drop the connection so a stuck
      // session does not hold one of the router's session slots.
      try {
        stream?.signal("KILL");
        stream?.close();
      } catch {
        // already gone
      }
      conn.destroy();
    }, ctx.timeoutMs);

    // Fires at once when the connection is already closed.
    unsubscribe = conn.onClose(() => {
      if (!stream) {
        finish(
          new TransportError(
            `${label}: connection closed before the channel opened (${ctx.mode}): ${shown()}`,
            spec.name,
            "closed",
            true,
          ),
        );
      } else if (!serverClosed(stream)) {
        finish(
          new TransportError(
            `${label}: connection closed while the command was running (${ctx.mode}); it may have run: ${shown()}`,
            spec.name,
            "closed",
          ),
        );
      }
    });

    if (settled) return;
    try {
      // No `pty` option: ssh2 requests no pseudo-terminal unless asked.
      conn.client.exec(command, {}, (err, channel) => {
        if (settled) {
          channel?.close();
          return;
        }
        if (err) {
          const refused = /Channel open failure/i.test(err.message);
          finish(
            refused
              ? new TransportError(
                  `${label}: server refused to open a channel (${ctx.mode}): ${err.message}`,
                  spec.name,
                  "channel",
                  true,
                )
              : /No response from server/i.test(err.message)
                ? new TransportError(
                    `${label}: connection closed before the channel opened (${ctx.mode}): ${shown()}`,
                    spec.name,
                    "closed",
                    true,
                  )
                : new TransportError(
                    `${label}: exec request failed (${ctx.mode}): ${err.message}: ${shown()}`,
                    spec.name,
                    "channel",
                  ),
          );
          return;
        }
        stream = channel;
        ctx.onSent();
        const out = new StringDecoder("utf8");
        const errDec = new StringDecoder("utf8");
        let stdout = "";
        let stderr = "";
        let code: number | null = null;
        const listeners = new Set<() => void>();
        channel.on("data", (chunk: Buffer) => {
          stdout += out.write(chunk);
          for (const fn of [...listeners]) fn();
        });
        channel.stderr.on("data", (chunk: Buffer) => {
          stderr += errDec.write(chunk);
        });
        channel.on("exit", (exitCode: number | null) => {
          if (typeof exitCode === "number") code = exitCode;
        });
        channel.on("close", () => {
          stdout += out.end();
          stderr += errDec.end();
          for (const fn of [...listeners]) fn();
          finish(undefined, { stdout, stderr, code });
        });
        opened = true;
        resolveOpen({
          stream: channel,
          stdout: () => stdout,
          done,
          onStdout: (fn) => {
            listeners.add(fn);
            return () => listeners.delete(fn);
          },
        });
      });
    } catch (err) {
      // ssh2 throws "Not connected" when the socket is already gone: the request never left.
      finish(
        new TransportError(
          `${label}: connection closed before the channel opened (${ctx.mode}): ${(err as Error).message}`,
          spec.name,
          "closed",
          true,
        ),
      );
    }
  });
}

/**
 * Runs `command` on a new channel of `conn`, writes `stdin` (then EOF) and collects output until the
 * channel closes.
 * @returns stdout and stderr decoded as UTF-8; `code` is the exit status or null when none was sent.
 * @throws TransportError "channel" (`notSent`) when the server refused the channel; "channel" when it
 *   refused the exec request; "closed" when the connection dropped (`notSent` if before the channel
 *   opened); "timeout" after `ctx.timeoutMs` (the channel is killed and the connection destroyed).
 */
export async function runExec(
  conn: SshConnection,
  command: string,
  stdin: string | undefined,
  ctx: ChannelContext,
): Promise<ExecResult> {
  const collector = await openChannel(conn, command, ctx);
  if (stdin !== undefined) collector.stream.end(stdin);
  else if (ctx.endStdinByDefault) collector.stream.end();
  return collector.done;
}

/**
 * Opens `command` for interactive use. The whole session is bounded by `ctx.timeoutMs`.
 * `waitFor(marker)` rejects with TransportError "closed" if the channel ends without printing the marker.
 * `done` settles like `runExec`; it is pre-handled so an unobserved failure does not crash the process.
 */
export async function openInteractive(
  conn: SshConnection,
  command: string,
  stdin: string | undefined,
  ctx: ChannelContext,
): Promise<InteractiveExec & { written(): string }> {
  const collector = await openChannel(conn, command, ctx);
  const label = deviceLabel(ctx.spec);
  let written = "";
  let ended = false;
  // Pre-handle `done`: a failure nobody awaits must not become an unhandled rejection.
  collector.done.catch(() => undefined);
  const write = (data: string) => {
    if (ended) throw new TransportError(`${label}: write after end() on an interactive exec`, ctx.spec.name, "channel");
    written += data;
    collector.stream.write(data);
  };
  if (stdin !== undefined) write(stdin);
  return {
    write,
    end() {
      if (ended) return;
      ended = true;
      collector.stream.end();
    },
    waitFor(marker: string): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        let unsubscribe: () => void = () => undefined;
        const check = () => {
          const seen = collector.stdout();
          if (!seen.includes(marker)) return false;
          unsubscribe();
          resolve(seen);
          return true;
        };
        if (check()) return;
        unsubscribe = collector.onStdout(() => void check());
        collector.done.then(
          () => {
            if (!check()) {
              unsubscribe();
              reject(
                new TransportError(
                  `${label}: the command ended without printing the expected marker ${JSON.stringify(marker)}`,
                  ctx.spec.name,
                  "closed",
                ),
              );
            }
          },
          (err: TransportError) => {
            if (!check()) {
              unsubscribe();
              reject(err);
            }
          },
        );
      });
    },
    done: collector.done,
    written: () => written,
  };
}
