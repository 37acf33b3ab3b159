/**
 * The emulator behind an ssh2 `Server` (routeros-cli.md §1): exec requests only — pty and shell are refused —,
 * stdout in CRLF, exit status 0 and empty stderr in every case (§1.1 [V CENTRS; I for all cases]), ed25519 host
 * key generated per start, password and public-key login (a user with a key may not log in by password, §1.4
 * DOC-SSH), a `max-sessions` cap (§1.4, default 20) and the three channel behaviours of DESIGN.md "Device rules".
 */
import { ed25519KeyPair, sshFingerprint } from "../keys";
import type { AddressInfo } from "net";
import { Server, utils, type Connection, type ParsedKey } from "ssh2";
import { createConsole, type RouterOsVersion } from "./cli";
import type { Variation } from "./interpreter";
import { sshReachable } from "./reachability";
import type { SchedulerRun } from "./scheduler";

export interface RouterOsEmulatorOptions {
  version?: RouterOsVersion;
  host?: string;
  port?: number;
  users: { name: string; password?: string; publicKey?: string }[];
  channelMode?: "per-exec" | "sequential" | "parallel";
  maxSessions?: number;
  variation?: Variation;
  startingConfig?: "reference" | "site" | "empty" | "defconf";
  /**
   * Reachability model (reachability.ts): when set, new connections are accepted only while the router could be
   * reached at this IPv4 address (normally `host`, e.g. 127.0.0.2). Unset: always reachable.
   */
  managementAddress?: string;
}

export interface RouterOsEmulatorStats {
  handshakes: number;
  execs: number;
  openSessions: number;
  maxConcurrentSessions: number;
  refusedChannels: number;
  refusedSessions: number;
}

export interface RouterOsEmulator {
  readonly host: string;
  readonly port: number;
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
  readonly version: string;
  dump(): Record<string, unknown[]>;
  readonly writeLog: string[];
  readonly execLog: string[];
  stats(): RouterOsEmulatorStats;
  outOfBand(line: string): string;
  renumber(): void;
  stop(): Promise<void>;
  /** Scheduler jobs run so far (scheduler.ts; real clock, checked every 200 ms). */
  readonly schedulerRuns: SchedulerRun[];
  /** Connections refused by the reachability model, with the reason. */
  readonly unreachableLog: string[];
}

function parsePublicKey(line: string): ParsedKey {
  const k = utils.parseKey(line);
  if (k instanceof Error) throw new Error(`bad public key: ${k.message}`);
  return Array.isArray(k) ? k[0] : k;
}

/** `SHA256:<base64 without padding>` of the key blob, as `ssh-keygen -lf` prints it. */
export function fingerprintOf(key: ParsedKey): string {
  return sshFingerprint(key.getPublicSSH());
}

export async function startRouterOsEmulator(opts: RouterOsEmulatorOptions): Promise<RouterOsEmulator> {
  const cli = createConsole({ version: opts.version, variation: opts.variation, startingConfig: opts.startingConfig });
  const hostKey = ed25519KeyPair();
  const hostPublic = parsePublicKey(hostKey.public);
  const users = opts.users.map((u) => ({ ...u, key: u.publicKey ? parsePublicKey(u.publicKey) : undefined }));
  const mode = opts.channelMode ?? "per-exec";
  const maxSessions = opts.maxSessions ?? 20;
  const writeLog: string[] = [];
  const execLog: string[] = [];
  const counters = {
    handshakes: 0,
    execs: 0,
    openSessions: 0,
    maxConcurrentSessions: 0,
    refusedChannels: 0,
    refusedSessions: 0,
  };
  const clients = new Set<Connection>();

  const unreachableLog: string[] = [];
  /** Under cutEndsLiveSessions: whether an open connection from `ip` has lost its path (then it is ended). */
  const cutOff = (ip: string): boolean => {
    if (!opts.variation?.cutEndsLiveSessions || !opts.managementAddress) return false;
    const r = sshReachable(cli.state, opts.managementAddress, addr.port, ip);
    if (!r.ok) unreachableLog.push(`live session ended: ${r.why}`);
    return !r.ok;
  };
  const server = new Server({ hostKeys: [hostKey.private] }, (client, info) => {
    client.on("error", () => undefined);
    const clientIp = info.ip;
    if (opts.managementAddress) {
      const r = sshReachable(cli.state, opts.managementAddress, addr.port, info.ip);
      if (!r.ok) {
        // Cut off: the connection goes nowhere (closed before the handshake).
        unreachableLog.push(r.why);
        client.end();
        return;
      }
    }
    if (counters.openSessions >= maxSessions) {
      // Over /ip service max-sessions: the connection is dropped before the handshake [I: exact behaviour].
      counters.refusedSessions++;
      client.end();
      return;
    }
    clients.add(client);
    counters.openSessions++;
    counters.maxConcurrentSessions = Math.max(counters.maxConcurrentSessions, counters.openSessions);
    client.on("close", () => {
      clients.delete(client);
      counters.openSessions--;
    });
    client.on("handshake", () => counters.handshakes++);
    client.on("authentication", (ctx) => {
      const user = users.find((u) => u.name === ctx.username);
      const methods: ("password" | "publickey")[] = ["publickey", "password"];
      if (!user) return ctx.reject(methods);
      if (ctx.method === "password" && !user.key && user.password !== undefined && ctx.password === user.password) {
        return ctx.accept();
      }
      if (ctx.method === "publickey" && user.key) {
        const k = user.key;
        if (ctx.key.algo !== k.type || !ctx.key.data.equals(k.getPublicSSH())) return ctx.reject(methods);
        if (!ctx.signature) return ctx.accept(); // key probe: "this key would be accepted"
        if (k.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      return ctx.reject(methods);
    });
    client.on("ready", () => {
      let opened = 0;
      let open = 0;
      client.on("session", (accept, reject) => {
        // per-exec: one channel per connection (§1.4 [I]); sequential: one at a time; parallel: any.
        if ((mode === "per-exec" && opened >= 1) || (mode === "sequential" && open >= 1)) {
          counters.refusedChannels++;
          return reject();
        }
        opened++;
        open++;
        const session = accept();
        let closed = false;
        const onClose = (): void => {
          if (!closed) open--;
          closed = true;
        };
        session.on("close", onClose);
        session.on("pty", (_a, rej) => rej?.());
        session.on("shell", (_a, rej) => rej());
        session.on("subsystem", (_a, rej) => rej());
        session.on("env", (_a, rej) => rej?.());
        session.on("exec", (acc, _rej, info) => {
          const stream = acc();
          if (cutOff(clientIp)) return void client.end();
          counters.execs++;
          execLog.push(info.command);
          const out = cli.runLogged(info.command, (entry) => writeLog.push(entry));
          // The line cut the path it came in on: under the variation its reply is lost with the connection.
          if (cutOff(clientIp)) return void client.end();
          stream.write(out);
          stream.exit(0);
          stream.end();
          stream.on("close", onClose);
        });
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const ticker = setInterval(() => cli.scheduler.tick(), 200);
  ticker.unref();

  return {
    host: opts.host ?? "127.0.0.1",
    port: addr.port,
    hostKeyFingerprint: fingerprintOf(hostPublic),
    hostPublicKey: hostKey.public.trim().split(/\s+/).slice(0, 2).join(" "),
    version: cli.state.fullVersion,
    dump: () => cli.dump(),
    writeLog,
    execLog,
    stats: () => ({ ...counters }),
    outOfBand: (line) => cli.run(line),
    renumber: () => cli.state.renumber(),
    schedulerRuns: cli.scheduler.runs,
    unreachableLog,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(ticker);
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
