/**
 * In-process ssh2 Server for the transport tests. It never runs a shell: each exec command is answered
 * from a tiny script language (below), and the fixture counts what the transport did to it.
 *
 * Commands:
 *   echo <text>          stdout "<text>\n", exit 0
 *   fail <n> <text>      stderr "<text>\n", exit n
 *   noexit <text>        stdout "<text>\n", no exit status
 *   utf8-split           "é€" written one byte at a time
 *   cat                  stdout = stdin (after EOF), exit 0
 *   sleep <ms>           exit 0 after ms, stdout "slept\n"
 *   stall                accepts the exec and never answers
 *   die-mid-output       writes "partial", then drops the whole connection
 *   interactive          answers each stdin line "x" with "got: x\n"; exits 0 on EOF
 *   anything else        stdout "ok:<command>\n"
 */
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Server, utils, type Connection, type ServerChannel } from "ssh2";

export interface FixtureKey {
  /** OpenSSH private key text. */
  private: string;
  /** `ssh-ed25519 AAAA…` line. */
  public: string;
  /** Raw public-key blob. */
  blob: Buffer;
  /** `SHA256:<base64>` without padding. */
  fingerprint: string;
  type: string;
}

/**
 * A fresh key pair. ssh2 1.17's generateKeyPairSync drops a leading zero byte of an ed25519 public key
 * (about 1 key in 256 comes out 31 bytes long and its own parseKey rejects it), so such pairs are discarded.
 */
export function makeKey(type: "ed25519" | "rsa" = "ed25519"): FixtureKey {
  for (;;) {
    const key = tryMakeKey(type);
    if (key) return key;
  }
}

function tryMakeKey(type: "ed25519" | "rsa"): FixtureKey | undefined {
  const pair = type === "rsa" ? utils.generateKeyPairSync("rsa", { bits: 2048 }) : utils.generateKeyPairSync("ed25519");
  const parsed = utils.parseKey(pair.public);
  const priv = utils.parseKey(pair.private);
  if (parsed instanceof Error || priv instanceof Error || !priv.getPublicSSH().equals(parsed.getPublicSSH()))
    return undefined;
  const blob = parsed.getPublicSSH();
  return {
    private: pair.private,
    public: pair.public,
    blob,
    fingerprint: `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`,
    type: parsed.type,
  };
}

export interface FixtureOptions {
  hostKeys?: FixtureKey[];
  username?: string;
  password?: string;
  /** Public keys accepted for `username`. */
  authorizedKeys?: FixtureKey[];
  /** Reject every session channel after the first on one connection (a server without multiplexing). */
  refuseSecondChannel?: boolean;
}

export class SshFixture {
  readonly hostKeys: FixtureKey[];
  port = 0;
  connections = 0;
  openConnections = 0;
  maxOpenConnections = 0;
  authAttempts = 0;
  authMethods: string[] = [];
  channelsNow = 0;
  maxChannels = 0;
  refusedChannels = 0;
  ptyRequests = 0;
  commands: string[] = [];
  /** Per exec request: which connection (1-based, in accept order) and when, in ms, it logged in and asked. */
  execs: Array<{ command: string; connection: number; readyAt: number; requestedAt: number }> = [];
  stdins: string[] = [];
  private readonly server: Server;
  private readonly clients = new Set<Connection>();

  constructor(private readonly opts: FixtureOptions = {}) {
    this.hostKeys = opts.hostKeys ?? [makeKey()];
    this.server = new Server({ hostKeys: this.hostKeys.map((k) => k.private) }, (client) => this.onClient(client));
  }

  get hostKey(): FixtureKey {
    return this.hostKeys[0];
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.end();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Drops every open connection, as a router does with idle sessions. */
  dropConnections(): void {
    for (const c of this.clients) c.end();
  }

  private onClient(client: Connection): void {
    this.connections++;
    const connection = this.connections;
    let readyAt = NaN;
    this.openConnections++;
    this.maxOpenConnections = Math.max(this.maxOpenConnections, this.openConnections);
    this.clients.add(client);
    let channelsOnConnection = 0;
    // One close listener per session below.
    client.setMaxListeners(0);
    // A connection stops counting when the client's FIN arrives ('end'): from then on the server is
    // tearing the session down, and the client cannot see its own 'close' before this point.
    let open = true;
    const gone = () => {
      if (!open) return;
      open = false;
      this.openConnections--;
      this.clients.delete(client);
    };
    client.on("end", gone);
    client.on("close", gone);
    client.on("error", () => undefined);
    client.on("authentication", (ctx) => {
      this.authAttempts++;
      this.authMethods.push(ctx.method);
      const userOk = ctx.username === (this.opts.username ?? "admin");
      if (
        ctx.method === "password" &&
        userOk &&
        this.opts.password !== undefined &&
        ctx.password === this.opts.password
      )
        return ctx.accept();
      if (ctx.method === "publickey" && userOk) {
        const match = (this.opts.authorizedKeys ?? []).find((k) => k.blob.equals(ctx.key.data));
        if (match) {
          if (!ctx.signature) return ctx.accept();
          const pub = utils.parseKey(match.public);
          if (!(pub instanceof Error) && ctx.blob && pub.verify(ctx.blob, ctx.signature, ctx.hashAlgo))
            return ctx.accept();
        }
      }
      ctx.reject(["password", "publickey"]);
    });
    client.on("ready", () => {
      readyAt = performance.now();
      client.on("session", (accept, reject) => {
        if (this.opts.refuseSecondChannel && channelsOnConnection >= 1) {
          this.refusedChannels++;
          reject();
          return;
        }
        channelsOnConnection++;
        const session = accept();
        this.channelsNow++;
        this.maxChannels = Math.max(this.maxChannels, this.channelsNow);
        let counted = true;
        const uncount = () => {
          if (counted) {
            counted = false;
            this.channelsNow--;
          }
        };
        session.on("close", uncount);
        client.on("close", uncount);
        session.on("pty", (_accept, rejectPty) => {
          this.ptyRequests++;
          rejectPty?.();
        });
        session.on("exec", (acceptExec, _rejectExec, info) => {
          this.commands.push(info.command);
          this.execs.push({ command: info.command, connection, readyAt, requestedAt: performance.now() });
          this.run(client, acceptExec(), info.command, uncount);
        });
      });
    });
  }

  /** `uncount` is called when the server ends the channel itself: ssh2 emits the session's 'close' only
   *  later, possibly after the client already opened its next channel in the same TCP read. */
  private run(client: Connection, stream: ServerChannel, command: string, uncount: () => void): void {
    const [verb, ...rest] = command.split(" ");
    const arg = rest.join(" ");
    const finish = (code: number | null) => {
      uncount();
      if (code !== null) stream.exit(code);
      stream.end();
    };
    let stdin = "";
    stream.on("data", (d: Buffer) => {
      stdin += d.toString("utf8");
    });
    const onEof = (fn: () => void) =>
      stream.on("end", () => {
        this.stdins.push(stdin);
        fn();
      });
    switch (verb) {
      case "echo":
        stream.write(`${arg}\n`);
        return finish(0);
      case "fail": {
        const [n, ...text] = rest;
        stream.stderr.write(`${text.join(" ")}\n`);
        return finish(Number(n));
      }
      case "noexit":
        stream.write(`${arg}\n`);
        return finish(null);
      case "utf8-split": {
        const bytes = Buffer.from("é€\n", "utf8");
        for (const b of bytes) stream.write(Buffer.from([b]));
        return finish(0);
      }
      case "cat":
        onEof(() => {
          stream.write(stdin);
          finish(0);
        });
        return;
      case "sleep":
        setTimeout(() => {
          stream.write("slept\n");
          finish(0);
        }, Number(arg));
        return;
      case "stall":
        return;
      case "die-mid-output":
        stream.write("partial");
        setTimeout(() => client.end(), 20);
        return;
      case "interactive": {
        let buffered = "";
        stream.on("data", (d: Buffer) => {
          buffered += d.toString("utf8");
          let nl: number;
          while ((nl = buffered.indexOf("\n")) >= 0) {
            stream.write(`got: ${buffered.slice(0, nl)}\n`);
            buffered = buffered.slice(nl + 1);
          }
        });
        onEof(() => finish(0));
        return;
      }
      default:
        stream.write(`ok:${command}\n`);
        return finish(0);
    }
  }
}
