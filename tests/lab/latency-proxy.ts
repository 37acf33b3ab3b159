/**
 * A TCP proxy that adds network latency, for benchmarks: every byte is forwarded after half the round-trip
 * time in each direction, so a request/response pair costs one `latencyMs` round trip; opening a connection
 * costs one more round trip (standing in for the TCP handshake, which a loopback connect does not pay).
 * Counts bytes in both directions (client→server is what the issue calls "bytes sent") and connections.
 *
 * Built on Node's `net` only; knows nothing about SSH or the devices behind it.
 */
import * as net from "net";

export interface LatencyProxyOptions {
  /** Where connections are forwarded to. */
  targetHost: string;
  targetPort: number;
  /** Added round-trip time in milliseconds (half each way); default 30. 0 forwards immediately. */
  latencyMs?: number;
  /** Listen address; default 127.0.0.1, port chosen by the system unless given. */
  host?: string;
  port?: number;
}

export interface LatencyProxyStats {
  /** Connections accepted. */
  connections: number;
  /** Most connections open at once. */
  maxConcurrent: number;
  /** Bytes from clients to the target (what the client sent: SSH handshake, auth, commands, stdin). */
  bytesUp: number;
  /** Bytes from the target to clients. */
  bytesDown: number;
}

export interface LatencyProxy {
  readonly host: string;
  readonly port: number;
  readonly latencyMs: number;
  stats(): LatencyProxyStats;
  stop(): Promise<void>;
}

/**
 * Delays chunks by `delayMs` while keeping their order: one timer per pipe, re-armed for the oldest
 * pending chunk. Back-pressure: the source is paused while the destination's buffer is full.
 */
function delayedPipe(
  from: net.Socket,
  to: net.Socket,
  delayMs: number,
  count: (n: number) => void,
  onEnd: () => void,
): void {
  const queue: { due: number; data: Buffer | null }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    const now = Date.now();
    while (queue.length > 0 && queue[0].due <= now) {
      const { data } = queue.shift()!;
      if (data === null) {
        onEnd();
        continue;
      }
      if (!to.destroyed && !to.write(data)) {
        from.pause();
        to.once("drain", () => from.resume());
      }
    }
    if (queue.length > 0) timer = setTimeout(flush, Math.max(0, queue[0].due - Date.now()));
  };
  const push = (data: Buffer | null): void => {
    if (delayMs <= 0 && queue.length === 0) {
      if (data === null) return onEnd();
      if (!to.destroyed && !to.write(data)) {
        from.pause();
        to.once("drain", () => from.resume());
      }
      return;
    }
    queue.push({ due: Date.now() + delayMs, data });
    if (!timer) timer = setTimeout(flush, Math.max(0, queue[0].due - Date.now()));
  };
  from.on("data", (d: Buffer) => {
    count(d.length);
    push(d);
  });
  from.on("end", () => push(null));
  from.on("close", () => {
    // a reset (no 'end'): pass the close on once what was already in flight has been delivered
    if (!from.readableEnded) push(null);
  });
}

export async function startLatencyProxy(opts: LatencyProxyOptions): Promise<LatencyProxy> {
  const latencyMs = opts.latencyMs ?? 30;
  const half = latencyMs / 2;
  const counters: LatencyProxyStats = { connections: 0, maxConcurrent: 0, bytesUp: 0, bytesDown: 0 };
  let open = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    counters.connections++;
    open++;
    counters.maxConcurrent = Math.max(counters.maxConcurrent, open);
    client.setNoDelay(true);
    client.pause();
    sockets.add(client);
    let closed = false;
    const closeBoth = (): void => {
      if (closed) return;
      closed = true;
      open--;
      client.destroy();
      upstream?.destroy();
    };
    let upstream: net.Socket | undefined;
    client.on("error", closeBoth);
    client.on("close", () => sockets.delete(client));
    // One round trip for the TCP handshake the loopback connection did not pay, then connect upstream.
    setTimeout(() => {
      if (client.destroyed) return closeBoth();
      const up = net.connect({ host: opts.targetHost, port: opts.targetPort });
      upstream = up;
      sockets.add(up);
      up.setNoDelay(true);
      up.on("error", closeBoth);
      up.on("close", () => sockets.delete(up));
      up.on("connect", () => {
        // Each direction half-closes after its data; the whole pair goes once both ends have finished.
        let ends = 0;
        const ended = (sock: net.Socket) => () => {
          if (!sock.destroyed) sock.end();
          if (++ends === 2) closeBoth();
        };
        delayedPipe(client, up, half, (n) => (counters.bytesUp += n), ended(up));
        delayedPipe(up, client, half, (n) => (counters.bytesDown += n), ended(client));
        client.resume();
      });
    }, latencyMs);
  });
  server.maxConnections = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as net.AddressInfo;
  return {
    host: opts.host ?? "127.0.0.1",
    port: addr.port,
    latencyMs,
    stats: () => ({ ...counters }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
