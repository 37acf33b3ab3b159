/**
 * A fault-injecting TCP proxy for the lab: sits between the provider and one lab device (the RouterOS emulator
 * or the OpenWrt host's dropbear) and forwards bytes unchanged, counting connections and the bytes each one
 * carried from the server. It knows nothing of SSH (it cannot read the encrypted stream); faults are placed by
 * connection number and by byte count:
 *
 * - `cut-at-accept`   connection #n is closed as soon as it is accepted (before the SSH handshake): with one
 *                     connection per exec, "the n-th exec never reaches the device";
 * - `cut-after-bytes` connection #n is destroyed (both sides) once the server has sent `bytes` bytes on it:
 *                     with `bytes` just short of what that connection carried in a fault-free run, "the command
 *                     ran but its reply was cut" (mid-output);
 * - `stall`           connection #n stops forwarding in both directions once the server has sent `bytes`
 *                     bytes (0 = at once) and keeps both sockets open: the client sees silence, not a close.
 *
 * Connection numbers count from 1 since the last `arm()`/`reset()`; a fault fires once. Never imports provider/.
 */
import * as net from "net";

export type Fault =
  | { kind: "none" }
  | { kind: "cut-at-accept"; connection: number }
  | { kind: "cut-after-bytes"; connection: number; bytes: number }
  | { kind: "stall"; connection: number; bytes?: number };

export interface FaultProxyStats {
  /** Connections accepted since the last arm/reset. */
  connections: number;
  /** Bytes the server sent on each connection since the last arm/reset (index 0 = connection #1). */
  serverBytes: number[];
  /** Faults that fired since the proxy started. */
  fired: number;
}

export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** Sets the fault for the next connections and restarts the connection count. */
  arm(fault: Fault): void;
  /** No fault; restarts the connection count. */
  reset(): void;
  stats(): FaultProxyStats;
  /** Whether the armed fault has fired. */
  fired(): boolean;
  close(): Promise<void>;
}

/**
 * Caps the upstream connections open at once across the proxies that share it. dropbear drops connections
 * beyond a few unauthenticated ones per source address (MAX_UNAUTH_PER_IP, 5 by default), and every proxy
 * reaches the device from the same address; a connection waits for a slot before it is forwarded.
 */
export class ConnectionLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly max: number) {}
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.active++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          this.waiting.shift()?.();
        });
      };
      if (this.active < this.max) grant();
      else this.waiting.push(grant);
    });
  }
}

export async function startFaultProxy(
  target: { host: string; port: number },
  opts: { listenHost?: string; limiter?: ConnectionLimiter } = {},
): Promise<FaultProxy> {
  const listenHost = opts.listenHost ?? "127.0.0.1";
  let fault: Fault = { kind: "none" };
  let count = 0;
  let serverBytes: number[] = [];
  let firedNow = false;
  let firedTotal = 0;
  const sockets = new Set<net.Socket>();

  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
  };

  const server = net.createServer((client) => {
    track(client);
    const n = ++count;
    const slot = n - 1;
    serverBytes[slot] = 0;
    const mine = !firedNow && fault.kind !== "none" && fault.connection === n ? fault : undefined;
    if (mine?.kind === "cut-at-accept") {
      firedNow = true;
      firedTotal++;
      client.destroy();
      return;
    }
    // Client bytes that arrive while waiting for a limiter slot are held, in order, until upstream exists.
    const early: Buffer[] = [];
    let clientGone = false;
    const hold = (chunk: Buffer) => early.push(chunk);
    client.on("data", hold);
    client.on("close", () => {
      clientGone = true;
    });
    void (opts.limiter ? opts.limiter.acquire() : Promise.resolve(() => undefined)).then((release) => {
      if (clientGone) {
        release();
        return;
      }
      client.off("data", hold);
      forward(client, n, slot, mine, release, early);
    });
  });

  function forward(
    client: net.Socket,
    n: number,
    slot: number,
    mine: Fault | undefined,
    release: () => void,
    early: Buffer[],
  ): void {
    void n;
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    upstream.on("close", release);
    for (const chunk of early) upstream.write(chunk);
    let stalled = false;
    const fire = () => {
      firedNow = true;
      firedTotal++;
    };
    const stall = () => {
      stalled = true;
      fire();
      client.pause();
      upstream.pause();
    };
    if (mine?.kind === "stall" && (mine.bytes ?? 0) === 0) stall();

    client.on("data", (chunk: Buffer) => {
      if (stalled) return;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (stalled) return;
      const before = serverBytes[slot];
      if (mine?.kind === "cut-after-bytes" && before + chunk.length >= mine.bytes) {
        const keep = Math.max(0, mine.bytes - before);
        serverBytes[slot] += keep;
        fire();
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        if (keep > 0) client.write(chunk.subarray(0, keep), end);
        else end();
        return;
      }
      if (mine?.kind === "stall" && before + chunk.length >= (mine.bytes ?? 0)) {
        const keep = Math.max(0, (mine.bytes ?? 0) - before);
        serverBytes[slot] += keep;
        if (keep > 0) client.write(chunk.subarray(0, keep));
        stall();
        return;
      }
      serverBytes[slot] += chunk.length;
      client.write(chunk);
    });
    client.on("end", () => {
      if (!stalled) upstream.end();
    });
    upstream.on("end", () => {
      if (!stalled) client.end();
    });
    client.on("close", () => {
      if (!stalled) upstream.destroy();
    });
    upstream.on("close", () => {
      if (!stalled) client.destroy();
    });
  }

  server.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, listenHost, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  const proxy: FaultProxy = {
    host: listenHost,
    port,
    arm(f) {
      fault = f;
      count = 0;
      serverBytes = [];
      firedNow = false;
      // Stalled sockets of an earlier fault are dropped so they hold no session on the device.
      for (const s of sockets) s.destroy();
    },
    reset() {
      proxy.arm({ kind: "none" });
    },
    stats() {
      return { connections: count, serverBytes: [...serverBytes], fired: firedTotal };
    },
    fired() {
      return firedNow;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
