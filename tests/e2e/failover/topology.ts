/**
 * The reference topology's data plane in network namespaces, for the failover scenarios (README.md here):
 *
 *   client ── core (BIRD2 run by the test: route reflector, AS 65000) ── gpon ── 198.51.100.200 (target)
 *  192.0.2.32/28     │ vlan6 192.0.2.0/29, iBGP
 *                  "lte" (the OpenWrt-like lab host, real BIRD2 converged by routerstack)
 *                    │ wwan0 203.0.113.0/30
 *                  isp-lte ── 203.0.113.200 (target)
 *
 * - "lte" is tests/lab/openwrt/host.ts (netns rs-rsfo); its vlan6 and wwan0 peer ends are moved into "core" and
 *   "isp-lte" and renamed vlan6 / lte there.
 * - "core" stands in for the RouterOS CRS: BIRD2 with a static default via gpon (preference 200, BIRD's static
 *   default: the CRS's distance-1 route), iBGP to 192.0.2.2 as route reflector with next hop self, exporting its
 *   static and connected routes; what it learns over iBGP gets BGP's preference 100, below the static default (the
 *   CRS's distance 200). No ping check: "gpon down" is the gpon link going down, which withdraws the static default
 *   at once, where RouterOS's check-gateway=ping would take its ping timeout.
 * - The uplinks do no NAT (the lab has no fw4): "gpon" and "isp-lte" hold return routes to 192.0.2.0/24 instead.
 * - Each target address lives on the loopback of its uplink namespace, so it is reachable only through that uplink.
 *   A TCP echo server in each uplink namespace answers with the uplink's name.
 *
 * - The site is declared with `DualRouterFailover` (program/), so the component's main-router half needs a RouterOS
 *   device: the lab's RouterOS emulator ("crs"), which holds that configuration but is not in the data path.
 *
 * Everything is named rsfo-* (and rs-rsfo for the lab host); `sweep()` removes what a dead run left behind, and
 * `stop()` (also run on process exit) kills every process in the namespaces and deletes namespaces and files.
 * Needs root.
 */
import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createInterface } from "readline";
import { startOpenWrtHost, type OpenWrtHost } from "../../lab/openwrt/host";
import { startRouterOsEmulator, type RouterOsEmulator } from "../../lab/routeros";
import { killAll, netnsExists, netnsPids } from "../../lab/openwrt/netns";
import { ed25519KeyPair } from "../../lab/keys";
import { runEngine, type EngineResult } from "../../engine";

export const PROGRAM_DIR = path.join(__dirname, "program");
const PASSPHRASE = "routerstack-e2e";
const HOST_NAME = "rsfo";
export const NS = { core: "rsfo-core", gpon: "rsfo-gpon", isp: "rsfo-isplte", client: "rsfo-client" } as const;
export const TARGET = { gpon: "198.51.100.200", isp: "203.0.113.200" } as const;
export const ECHO_PORT = 7007;
const CORE_ROUTER_ID = "192.0.2.1";

/** Knobs of the lte side's BgpSession (program config `failover:bgp`). */
export interface BgpKnobs {
  holdTime: number;
  keepaliveTime: number;
  bfd?: boolean;
  bfdIntervalMs?: number;
  bfdMultiplier?: number;
  standby?: boolean;
}

/** Knobs of the core stand-in's BIRD. */
export interface CoreKnobs {
  bfd?: boolean;
  bfdIntervalMs?: number;
  bfdMultiplier?: number;
}

/** Root is needed (namespaces, mounts). Without it the tests skip with a reason, except under CI=true. */
export function failoverLabAvailable(): boolean {
  const root = process.getuid?.() === 0;
  if (!root && process.env.CI === "true")
    throw new Error("the failover scenarios need root (network namespaces, mounts) and CI=true forbids skipping");
  if (!root)
    process.stderr.write(
      "skipped: the failover scenarios need root (network namespaces, mounts, BIRD installing routes)\n",
    );
  return root;
}

function run(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout ?? "";
}

function runAsync(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", (e) => resolve({ code: 127, stdout, stderr: stderr + e.message }));
    p.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const ip = (...args: string[]): string => run("ip", args);
const nsx = (ns: string, ...args: string[]): string => run("ip", ["netns", "exec", ns, ...args]);

/** Deletes our namespaces and the processes in them; synchronous (exit handler) and idempotent. */
export function sweepNamespaces(): void {
  for (const ns of Object.values(NS)) {
    killAll(() => netnsPids(ns));
    if (netnsExists(ns)) spawnSync("ip", ["netns", "delete", ns], { stdio: "ignore" });
  }
}

const OWNER_FILE = "owner.pid";

/** Removes working dirs (os.tmpdir()/rsfo-*) left by runs whose process is gone. */
export function sweepStaleDirs(): void {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (!entry.startsWith("rsfo-")) continue;
    const dir = path.join(os.tmpdir(), entry);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(dir, OWNER_FILE), "utf8"));
    } catch {
      continue; // not one of ours
    }
    if (owner && owner !== process.pid && !pidAlive(owner)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

const ECHO_SERVER = `
const net = require("net"), dgram = require("dgram");
const [name, port] = process.argv.slice(1);
net.createServer((s) => { s.on("data", (d) => { s.end(name + " " + d.toString()); }); s.on("error", () => {}); }).listen(+port, "0.0.0.0");
const u = dgram.createSocket("udp4");
u.on("message", (m, r) => u.send(name + " " + m.toString(), r.port, r.address));
u.bind(+port, "0.0.0.0");
`;

/** Long-lived client in the client namespace: one JSON request per line, one JSON answer per line. */
const CLIENT_AGENT = `
const net = require("net"), dgram = require("dgram"), rl = require("readline").createInterface({ input: process.stdin });
function tcp(host, port, ms) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }); let data = ""; const t = setTimeout(() => { s.destroy(); resolve({ ok: false, error: "timeout" }); }, ms);
    s.on("connect", () => s.write("ping"));
    s.on("data", (d) => (data += d));
    s.on("end", () => { clearTimeout(t); resolve({ ok: true, reply: data }); });
    s.on("error", (e) => { clearTimeout(t); resolve({ ok: false, error: e.code || e.message }); });
  });
}
function udp(host, port, ms) {
  return new Promise((resolve) => {
    const s = dgram.createSocket("udp4"); const t = setTimeout(() => { s.close(); resolve({ ok: false, error: "timeout" }); }, ms);
    s.on("message", (m) => { clearTimeout(t); s.close(); resolve({ ok: true, reply: m.toString() }); });
    s.on("error", (e) => { clearTimeout(t); try { s.close(); } catch {} resolve({ ok: false, error: e.code || e.message }); });
    s.send("ping", port, host);
  });
}
rl.on("line", async (line) => {
  const q = JSON.parse(line);
  const r = await (q.proto === "udp" ? udp : tcp)(q.host, q.port, q.timeoutMs);
  process.stdout.write(JSON.stringify({ id: q.id, ...r }) + "\\n");
});
`;

function coreBirdConf(dir: string, k: CoreKnobs): string {
  const bfd = k.bfd ? `protocol bfd core_bfd {\n\tinterface "vlan6";\n}\n` : "";
  const bfdOpt = k.bfd
    ? `\tbfd { ${k.bfdIntervalMs !== undefined ? `interval ${k.bfdIntervalMs} ms; ` : ""}${k.bfdMultiplier !== undefined ? `multiplier ${k.bfdMultiplier}; ` : ""}};\n`
    : "";
  return `# The "core" stand-in for the RouterOS CRS (tests/e2e/failover/topology.ts), generated by the test.
router id ${CORE_ROUTER_ID};
log "${dir}/bird.log" all;
protocol device { scan time 10; }
protocol direct connected { ipv4; ipv6; interface "vlan6", "lan", "gpon"; }
protocol kernel { ipv4 { import none; export all; }; }
protocol kernel { ipv6 { import none; export all; }; }
# The CRS's distance-1 default through its fibre uplink (preference 200 beats iBGP's 100, the CRS's distance 200).
protocol static gpon_default { ipv4 { preference 200; }; route 0.0.0.0/0 via 198.51.100.129; }
${bfd}
# iBGP to the LTE router: route reflector, next hop forced to self, our static and connected routes announced
# (RouterOS: local.role=ibgp-rr, nexthop-choice=force-self, output.redistribute=connected,static). Hold time left
# at BIRD's default (240 s) so the negotiated one is what the lte side's BgpSession sets.
protocol bgp lte {
\tlocal ${CORE_ROUTER_ID} as 65000;
\tneighbor 192.0.2.2 as 65000;
\tinterface "vlan6";
\tdirect;
\trr client;
\tconnect delay time 1;
\terror wait time 1, 5;
${bfdOpt}\tipv4 { import all; export where source ~ [RTS_STATIC, RTS_DEVICE]; next hop self; };
\tipv6 { import all; export where source ~ [RTS_STATIC, RTS_DEVICE]; next hop self; extended next hop on; };
}
`;
}

export interface Exchange {
  ok: boolean;
  reply?: string;
  error?: string;
}

export class FailoverLab {
  host!: OpenWrtHost;
  /** The RouterOS emulator that takes the component's main-router half (configuration only, no data path). */
  crs?: RouterOsEmulator;
  readonly dir: string;
  private stateFile: string;
  private agent?: ChildProcess;
  private pending = new Map<number, (e: Exchange) => void>();
  private nextId = 1;
  private coreDir: string;
  private exitHandler = (): void => this.stopSync();
  private signalHandler = (sig: NodeJS.Signals): void => {
    this.stopSync();
    process.kill(process.pid, sig);
  };
  private stopped = false;
  devices: Record<string, Record<string, unknown>> = {};
  coreKnobs: CoreKnobs = {};

  constructor() {
    sweepStaleDirs();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "rsfo-"));
    fs.writeFileSync(path.join(this.dir, OWNER_FILE), String(process.pid));
    this.stateFile = path.join(this.dir, "state.json");
    this.coreDir = path.join(this.dir, "core");
  }

  get coreSock(): string {
    return path.join(this.coreDir, "bird.ctl");
  }

  /** Builds the namespaces, starts the lab host, core BIRD, echo servers and the client agent. */
  async start(): Promise<void> {
    process.on("exit", this.exitHandler);
    for (const sig of SIGNALS) process.once(sig, this.signalHandler);
    sweepNamespaces();
    const key = ed25519KeyPair();
    const keyFile = path.join(this.dir, "id_ed25519");
    fs.writeFileSync(keyFile, key.private, { mode: 0o600 });
    this.host = await startOpenWrtHost({
      stateDir: path.join(this.dir, "lte"),
      name: HOST_NAME,
      authorizedKeys: [key.public],
    });
    this.crs = await startRouterOsEmulator({
      port: 0,
      users: [{ name: "admin", publicKey: key.public }],
      startingConfig: "site",
    });
    const knownHosts = path.join(this.dir, "known_hosts");
    fs.writeFileSync(
      knownHosts,
      [
        ...this.host.hostPublicKeys.map((k) => `${this.host.host} ${k}`),
        `[${this.crs.host}]:${this.crs.port} ${this.crs.hostPublicKey}`,
      ].join("\n") + "\n",
    );
    this.devices = {
      crs: {
        platform: "routeros",
        host: this.crs.host,
        port: this.crs.port,
        username: "admin",
        privateKeyFile: keyFile,
        knownHostsFile: knownHosts,
      },
      lte: {
        platform: "openwrt",
        host: this.host.host,
        port: this.host.port,
        username: "root",
        privateKeyFile: keyFile,
        knownHostsFile: knownHosts,
        timeoutSeconds: 20,
      },
    };

    for (const ns of Object.values(NS)) {
      ip("netns", "add", ns);
      ip("-n", ns, "link", "set", "lo", "up");
    }
    const { core, gpon, isp, client } = NS;
    // lte's vlan6 peer → core "vlan6"; lte's wwan0 peer → isp-lte "lte".
    ip("link", "set", this.host.links.vlan6, "netns", core);
    ip("-n", core, "link", "set", this.host.links.vlan6, "name", "vlan6");
    ip("-n", core, "addr", "add", "192.0.2.1/29", "dev", "vlan6");
    ip("-n", core, "addr", "add", "2001:db8:6::1/64", "dev", "vlan6", "nodad");
    ip("-n", core, "link", "set", "vlan6", "up");
    ip("link", "set", this.host.links.wwan0, "netns", isp);
    ip("-n", isp, "link", "set", this.host.links.wwan0, "name", "lte");
    ip("-n", isp, "addr", "add", "203.0.113.1/30", "dev", "lte");
    ip("-n", isp, "link", "set", "lte", "up");
    ip("-n", isp, "addr", "add", `${TARGET.isp}/32`, "dev", "lo");
    ip("-n", isp, "route", "add", "192.0.2.0/24", "via", "203.0.113.2"); // return route instead of NAT
    // core ↔ gpon
    ip("link", "add", "rsfo-g0", "netns", core, "type", "veth", "peer", "name", "rsfo-g1", "netns", gpon);
    ip("-n", core, "link", "set", "rsfo-g0", "name", "gpon");
    ip("-n", gpon, "link", "set", "rsfo-g1", "name", "core");
    ip("-n", core, "addr", "add", "198.51.100.130/30", "dev", "gpon");
    ip("-n", gpon, "addr", "add", "198.51.100.129/30", "dev", "core");
    ip("-n", core, "link", "set", "gpon", "up");
    ip("-n", gpon, "link", "set", "core", "up");
    ip("-n", gpon, "addr", "add", `${TARGET.gpon}/32`, "dev", "lo");
    ip("-n", gpon, "route", "add", "192.0.2.0/24", "via", "198.51.100.130"); // return route instead of NAT
    // core ↔ client
    ip("link", "add", "rsfo-c0", "netns", core, "type", "veth", "peer", "name", "rsfo-c1", "netns", client);
    ip("-n", core, "link", "set", "rsfo-c0", "name", "lan");
    ip("-n", client, "link", "set", "rsfo-c1", "name", "eth0");
    ip("-n", core, "addr", "add", "192.0.2.33/28", "dev", "lan");
    ip("-n", client, "addr", "add", "192.0.2.34/28", "dev", "eth0");
    ip("-n", core, "link", "set", "lan", "up");
    ip("-n", client, "link", "set", "eth0", "up");
    ip("-n", client, "route", "add", "default", "via", "192.0.2.33");
    for (const ns of [core, this.host.netns])
      nsx(ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");

    await this.startCore(this.coreKnobs);
    for (const [ns, name] of [
      [gpon, "gpon"],
      [isp, "isp-lte"],
    ] as const) {
      const p = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", ECHO_SERVER, name, String(ECHO_PORT)], {
        stdio: "ignore",
        detached: false,
      });
      p.on("error", () => undefined);
    }
    this.agent = spawn("ip", ["netns", "exec", client, process.execPath, "-e", CLIENT_AGENT], {
      stdio: ["pipe", "pipe", "ignore"],
    });
    this.agent.on("error", () => undefined);
    createInterface({ input: this.agent.stdout! }).on("line", (line) => {
      const r = JSON.parse(line) as Exchange & { id: number };
      this.pending.get(r.id)?.({ ok: r.ok, reply: r.reply, error: r.error });
      this.pending.delete(r.id);
    });
    // Echo servers listening?
    await waitUntil(
      async () =>
        (await runAsync("ip", ["netns", "exec", gpon, "ss", "-ltn"])).stdout.includes(`:${ECHO_PORT}`) &&
        (await runAsync("ip", ["netns", "exec", isp, "ss", "-ltn"])).stdout.includes(`:${ECHO_PORT}`),
      10_000,
      "echo servers listening",
    );
  }

  /** (Re)starts core's BIRD with the given knobs. */
  async startCore(k: CoreKnobs): Promise<void> {
    this.coreKnobs = k;
    await this.stopCore();
    fs.mkdirSync(this.coreDir, { recursive: true });
    const conf = path.join(this.coreDir, "bird.conf");
    fs.writeFileSync(conf, coreBirdConf(this.coreDir, k));
    nsx(NS.core, "bird", "-c", conf, "-s", this.coreSock, "-P", path.join(this.coreDir, "bird.pid"));
  }

  /** Rewrites core's config and reconfigures (a BFD change restarts the BGP session). */
  async reconfigureCore(k: CoreKnobs): Promise<void> {
    this.coreKnobs = k;
    fs.writeFileSync(path.join(this.coreDir, "bird.conf"), coreBirdConf(this.coreDir, k));
    const r = await runAsync("birdc", ["-s", this.coreSock, "configure"]);
    if (!/Reconfigured|Reconfiguration in progress/.test(r.stdout))
      throw new Error(`core birdc configure: ${r.stdout}${r.stderr}`);
  }

  async stopCore(): Promise<void> {
    const pidFile = path.join(this.coreDir, "bird.pid");
    if (!fs.existsSync(pidFile)) return;
    const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
    killAll(() => (pidAlive(pid) ? [pid] : []));
    fs.rmSync(pidFile, { force: true });
  }

  /** routerstack converges the lte host with the given knobs through the test engine. */
  async converge(bgp: BgpKnobs): Promise<EngineResult> {
    const r = await runEngine("up", {
      programDir: PROGRAM_DIR,
      stack: "test",
      stateFile: this.stateFile,
      passphrase: PASSPHRASE,
      configOverrides: { "routerstack:devices": this.devices, "failover:bgp": bgp },
    });
    if (!r.ok) throw new Error(`up failed:\n${r.errors.join("\n")}\n${r.log.slice(-4000)}`);
    return r;
  }

  async destroy(): Promise<EngineResult> {
    return runEngine("destroy", {
      programDir: PROGRAM_DIR,
      stack: "test",
      stateFile: this.stateFile,
      passphrase: PASSPHRASE,
      configOverrides: { "routerstack:devices": this.devices, "failover:bgp": { holdTime: 6, keepaliveTime: 2 } },
    });
  }

  // ------------------------------------------------------------------------------------------ observations

  /** `ip route show default` in a namespace, e.g. "default via 198.51.100.129 dev gpon proto bird metric 32". */
  async kernelDefault(ns: string): Promise<string> {
    const r = await runAsync("ip", ["-n", ns, "-4", "route", "show", "default"]);
    return r.stdout.trim();
  }

  async coreBirdc(cmd: string): Promise<string> {
    return (await runAsync("birdc", ["-s", this.coreSock, ...cmd.split(" ")])).stdout;
  }

  async lteBirdc(cmd: string): Promise<string> {
    return (await this.host.exec(`birdc ${cmd}`)).stdout;
  }

  /** BGP session state of core's protocol "lte" ("Established", "Active", …). */
  async coreSessionState(): Promise<string> {
    return (await this.coreSession()).state;
  }

  /** core's protocol "lte": BGP state and the time of its last state change. */
  async coreSession(): Promise<{ state: string; since: string }> {
    const out = await this.coreBirdc("show protocols lte");
    const f =
      out
        .split("\n")
        .find((l) => l.startsWith("lte "))
        ?.trim()
        .split(/\s+/) ?? [];
    return { since: f[4] ?? "", state: f.slice(5).join(" ") };
  }

  /** Routes for 0.0.0.0/0 in core's master4 as `birdc show route` prints them. */
  async coreDefaults(): Promise<string> {
    return this.coreBirdc("show route 0.0.0.0/0 table master4");
  }

  async lteDefaults(table = "master4"): Promise<string> {
    return this.lteBirdc(`show route 0.0.0.0/0 table ${table}`);
  }

  /** One TCP (or UDP) exchange from the client to `host`; `reply` names the uplink that answered. */
  exchange(host: string, proto: "tcp" | "udp" = "tcp", timeoutMs = 400): Promise<Exchange> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (!this.agent?.stdin?.writable) return resolve({ ok: false, error: "no client agent" });
      this.pending.set(id, resolve);
      this.agent.stdin.write(JSON.stringify({ id, host, port: ECHO_PORT, proto, timeoutMs }) + "\n");
    });
  }

  // ------------------------------------------------------------------------------------------ cuts

  async setLink(ns: string, dev: string, up: boolean): Promise<void> {
    const r = await runAsync("ip", ["-n", ns, "link", "set", dev, up ? "up" : "down"]);
    if (r.code !== 0) throw new Error(`ip -n ${ns} link set ${dev}: ${r.stderr}`);
  }

  gpon(up: boolean): Promise<void> {
    return this.setLink(NS.core, "gpon", up);
  }

  wwan0(up: boolean): Promise<void> {
    return this.setLink(this.host.netns, "wwan0", up);
  }

  /** Pid of BIRD on the lte host (no pid namespace: the pid is the test machine's). */
  async ltePid(): Promise<number> {
    const r = await this.host.exec("cat /var/run/bird.pid");
    const pid = Number(r.stdout.trim());
    if (!pid) throw new Error(`no BIRD pid on lte: ${r.stdout}${r.stderr}`);
    // The lab host runs in its own PID namespace: its pid file holds the namespace's pid. Signals are sent from
    // here, so find the process whose innermost pid (the last NSpid field) is that one.
    for (const d of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      let status: string;
      try {
        status = fs.readFileSync(`/proc/${d}/status`, "utf8");
      } catch {
        continue;
      }
      const ns = /^NSpid:\s+(.+)$/m.exec(status)?.[1].trim().split(/\s+/) ?? [];
      if (/^Name:\s+bird$/m.test(status) && ns.length > 1 && Number(ns[ns.length - 1]) === pid) return Number(d);
    }
    return pid;
  }

  async restartLteBird(): Promise<void> {
    const r = await this.host.exec("/etc/init.d/bird restart");
    if (r.code !== 0) throw new Error(`/etc/init.d/bird restart: ${r.stdout}${r.stderr}`);
  }

  // ------------------------------------------------------------------------------------------ teardown

  async stop(): Promise<void> {
    try {
      this.agent?.stdin?.end();
    } catch {
      // gone
    }
    this.stopSync();
    await this.host?.stop();
    await this.crs?.stop();
  }

  /** Kills every process in our namespaces, deletes them, the lab host and the files. Synchronous, idempotent. */
  stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.removeListener("exit", this.exitHandler);
    for (const sig of SIGNALS) process.removeListener(sig, this.signalHandler);
    sweepNamespaces();
    // the lab host stops itself on exit too; stop() awaits it
    try {
      if (this.host) (this.host as unknown as { stop(): Promise<void> }).stop().catch(() => undefined);
    } catch {
      // best effort
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `pred` every `intervalMs` until true; returns the milliseconds it took; throws after `timeoutMs`. */
export async function waitUntil(
  pred: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 20,
): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (await pred()) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
