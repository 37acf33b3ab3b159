/**
 * The OpenWrt-like lab host (DESIGN.md "The lab"), started and stopped from Node.
 *
 * A host is a root tree under `stateDir/root` (see ./rootfs.ts) run in
 * - a network namespace `rs-<name>` with the links of ./netns.ts (dropbear listens on the lab end of
 *   the management /30, reachable from the test process),
 * - private mount and UTS namespaces (`unshare --mount --uts --propagation private`), so the bind
 *   mounts that make /bin, /sbin, /usr and the host's / read-only exist only there and vanish with the
 *   host's last process,
 * - a chroot into the tree: /etc, /root, /tmp (= /var) are the lab's own, so whatever arrives over SSH
 *   lands only in the lab.
 * Inside run real BIRD 2 (started by /etc/init.d/bird start) and dropbear in the foreground
 * (reference/openwrt-uci.md §3: `dropbear -F -E -p <addr>:<port> -r <ed25519 key> -r <rsa key> -P <pidfile>`,
 * §4: BIRD in a network namespace as root).
 *
 * Needs root. This module never imports provider/: the lab follows the reference documents.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "child_process";
import { sshFingerprint } from "../keys";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { missingLabPackages } from "../packages";
import { readReloads, WriteEventLog, type ReloadRecord } from "./journal";
import {
  claimLabNet,
  linkExists,
  netnsExists,
  pidsRootedAt,
  setupLabNet,
  sleepSync,
  startReaper,
  teardownLabNet,
  type LabNet,
} from "./netns";
import { buildRootfs, LAB_LIBEXEC, type UciProgram } from "./rootfs";

export type { ReloadRecord } from "./journal";

export interface OpenWrtHostOptions {
  /** Lab working dir; the host's root tree is built under it (stateDir/root, rebuilt at each start). */
  stateDir: string;
  /** Used for the netns name (rs-<name>) and link names; [a-z0-9]{1,12}; default "owrt". */
  name?: string;
  /** OpenSSH public key lines for root. */
  authorizedKeys: string[];
  /** Enables password login when set. */
  rootPassword?: string;
  /**
   * Default: process.env.ROUTERSTACK_LAB_UCI (an executable, run as `uci`), else the stand-in
   * tests/lab/openwrt/uci/uci.js run by this process's node. A path ending in .js is run by node.
   */
  uciExecutable?: string;
}

export interface OpenWrtHost {
  /** Where dropbear listens, reachable from the test process. */
  readonly host: string;
  readonly port: number;
  /** "SHA256:..." of each host key: ed25519, then rsa. */
  readonly hostKeyFingerprints: string[];
  /** OpenSSH lines, same order. */
  readonly hostPublicKeys: string[];
  /** The host's own root tree on disk. */
  readonly rootDir: string;
  readonly netns: string;
  /** Interface names of the veth peer ends in the test process's namespace (see ./netns.ts). */
  readonly links: { readonly mgmt: string; readonly vlan6: string; readonly wwan0: string };
  /** Run as root inside the host (same root, PATH, ash, namespaces) without SSH. */
  exec(command: string): Promise<{ stdout: string; stderr: string; code: number }>;
  /**
   * Full device dump for before/after comparisons: `uci export` of all packages; files keyed by lab
   * path: /etc/bird.conf, /etc/bird.d/*, /etc/init.d/* (content) and /etc/rc.d/* ("-> <link target>");
   * the reload records.
   */
  dump(): Promise<{ uci: string; files: Record<string, string>; reloads: ReloadRecord[] }>;
  /** The init-script and ifup/ifdown stand-ins' log, oldest first. */
  reloads(): Promise<ReloadRecord[]>;
  /** Every device-side write since start (see WriteEventLog in ./journal.ts for the strings). */
  writeEvents(): Promise<string[]>;
  /**
   * How many `birdc configure` commands BIRD accepted since start (the lab's birdc counts them in the journal's
   * birdc.log): a count of loads that, unlike BIRD's "Last reconfiguration on" time, cannot jitter.
   */
  birdConfigures(): Promise<number>;
  /** Kills every process, removes the netns and links (mounts go with the processes); idempotent. */
  stop(): Promise<void>;
}

const SSH_PORT = 22;
const LAB_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
const BOOT_TIMEOUT_MS = 20000;

/** Hosts of this process, for the 'exit' handler and for name collisions. */
const running = new Map<string, { stopSync(): void }>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on("exit", () => {
    for (const h of [...running.values()]) {
      try {
        h.stopSync();
      } catch {
        // best effort at exit
      }
    }
  });
}

/** SHA256 fingerprint of an OpenSSH public key line, as `ssh-keygen -l` prints it. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? "", "base64");
  return sshFingerprint(blob);
}

/** Dropbear host keys live outside the root tree so a host keeps its identity across restarts. */
function ensureHostKeys(keyDir: string): { files: { ed25519: string; rsa: string }; publicKeys: string[] } {
  fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const files = { ed25519: path.join(keyDir, "ed25519"), rsa: path.join(keyDir, "rsa") };
  const publicKeys: string[] = [];
  for (const [type, file] of Object.entries(files)) {
    if (!fs.existsSync(file)) {
      execFileSync("dropbearkey", ["-t", type, "-f", file, ...(type === "rsa" ? ["-s", "2048"] : [])], {
        stdio: "ignore",
      });
    }
    const out = execFileSync("dropbearkey", ["-y", "-f", file], { encoding: "utf8" });
    const line = out.split("\n").find((l) => l.startsWith("ssh-"));
    if (!line) throw new Error(`dropbearkey -y -f ${file} printed no public key`);
    // Drop dropbearkey's "root@<test machine>" comment; the key is the lab host's.
    publicKeys.push(line.split(" ").slice(0, 2).join(" ") + " root@OpenWrt");
  }
  return { files, publicKeys };
}

function hashPassword(password: string): string {
  // busybox mkpasswd reads the password from stdin when none is given; sha512 crypt as on OpenWrt.
  const r = spawnSync("busybox", ["mkpasswd", "-m", "sha512"], { input: password + "\n", encoding: "utf8" });
  const hash = (r.stdout ?? "").trim();
  if (r.status !== 0 || !hash.startsWith("$6$")) throw new Error(`busybox mkpasswd failed: ${r.stderr}`);
  return hash;
}

function resolveUci(option: string | undefined): UciProgram {
  const chosen = option ?? process.env.ROUTERSTACK_LAB_UCI;
  if (chosen) {
    const abs = path.resolve(chosen);
    if (!fs.existsSync(abs)) throw new Error(`uci executable ${abs} does not exist`);
    return abs.endsWith(".js")
      ? { kind: "node-script", node: process.execPath, script: abs }
      : { kind: "executable", path: fs.realpathSync(abs) };
  }
  const standIn = path.join(__dirname, "uci", "uci.js");
  if (!fs.existsSync(standIn))
    throw new Error(`the uci stand-in ${standIn} does not exist (set ROUTERSTACK_LAB_UCI or uciExecutable)`);
  return { kind: "node-script", node: fs.realpathSync(process.execPath), script: standIn };
}

/**
 * The lab sees the test machine only through a non-recursive read-only bind of /, so the programs it
 * runs from there (node, the uci script or executable) must live on the root filesystem.
 */
function assertOnRootFilesystem(paths: string[]): void {
  const rootDev = fs.statSync("/").dev;
  for (const p of paths) {
    if (fs.statSync(p).dev !== rootDev) {
      throw new Error(`${p} is not on the root filesystem, so the lab host cannot see it through /host`);
    }
  }
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Run by the host's /bin/sh inside the new namespaces: mounts, then chroot into the lab's init.
 * /dev is a small tmpfs with the usual nodes and its own devpts instance, so nothing in the lab can
 * touch the test machine's /dev.
 */
function bootScript(rootDir: string, journalDir: string): string {
  const R = shq(rootDir);
  return `#!/bin/sh
# Boot script of the OpenWrt lab host (generated by tests/lab/openwrt/host.ts). Runs in the host's
# network namespace, in private mount and UTS namespaces: nothing mounted here is seen outside.
set -e
R=${R}
mount --bind / "$R/host"
mount -o remount,bind,ro,nosuid,nodev "$R/host"
for d in bin sbin usr; do
	mount --bind "$R/$d" "$R/$d"
	mount -o remount,bind,ro,nodev "$R/$d"
done
mount --bind ${shq(journalDir)} "$R/${LAB_LIBEXEC}/journal"
mount -t tmpfs -o mode=0755,size=1024k,nosuid lab-dev "$R/dev"
mknod -m 666 "$R/dev/null" c 1 3
mknod -m 666 "$R/dev/zero" c 1 5
mknod -m 666 "$R/dev/full" c 1 7
mknod -m 666 "$R/dev/random" c 1 8
mknod -m 666 "$R/dev/urandom" c 1 9
mknod -m 666 "$R/dev/tty" c 5 0
mkdir -m 755 "$R/dev/pts"
mkdir -m 1777 "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 lab-devpts "$R/dev/pts"
ln -s pts/ptmx "$R/dev/ptmx"
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$R/sys"
exec chroot "$R" /${LAB_LIBEXEC}/init
`;
}

/** The only child of `pid` (unshare's forked PID 1); waits briefly for it to appear. */
function pid1Of(pid: number): number {
  for (let i = 0; i < 200; i++) {
    try {
      const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      if (kids.length === 1) return Number(kids[0]);
    } catch {
      // not there yet
    }
    sleepSync(10);
  }
  throw new Error(`the lab host's unshare (pid ${pid}) has no child`);
}

/** Resolves once dropbear answers with its SSH banner. */
async function waitForSsh(host: string, port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`lab host exited during boot (${child.exitCode ?? child.signalCode}); log:\n${readLog(logFile)}`);
    }
    const banner = await new Promise<string>((resolve) => {
      const sock = net.connect({ host, port });
      let data = "";
      const done = (v: string): void => {
        sock.destroy();
        resolve(v);
      };
      sock.setTimeout(1000, () => done(""));
      sock.on("data", (d) => {
        data += d.toString("latin1");
        if (data.includes("\n")) done(data);
      });
      sock.on("error", (e) => {
        lastError = e.message;
        done("");
      });
    });
    if (banner.startsWith("SSH-2.0-")) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `dropbear did not answer on ${host}:${port} within ${BOOT_TIMEOUT_MS} ms (${lastError}); log:\n${readLog(logFile)}`,
  );
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").slice(-4000);
  } catch {
    return "(no log)";
  }
}

function readDirFiles(dir: string, at: string, out: Record<string, string>): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const full = path.join(dir, n);
    const st = fs.lstatSync(full);
    if (st.isFile()) out[`${at}/${n}`] = fs.readFileSync(full, "utf8");
    else if (st.isSymbolicLink()) out[`${at}/${n}`] = `-> ${fs.readlinkSync(full)}`;
  }
}

export async function startOpenWrtHost(opts: OpenWrtHostOptions): Promise<OpenWrtHost> {
  if (process.getuid?.() !== 0) throw new Error("the OpenWrt lab host needs root (network namespaces, mounts, chroot)");
  const missing = missingLabPackages();
  if (missing.length > 0) throw new Error(`the OpenWrt lab host needs these Debian packages: ${missing.join(" ")}`);

  const name = opts.name ?? "owrt";
  const stateDir = path.resolve(opts.stateDir);
  fs.mkdirSync(stateDir, { recursive: true });
  const rootDir = path.join(fs.realpathSync(stateDir), "root");
  const journalDir = path.join(stateDir, "journal");
  const logFile = path.join(stateDir, "host.log");
  const uci = resolveUci(opts.uciExecutable);
  assertOnRootFilesystem(uci.kind === "executable" ? [uci.path] : [uci.node, uci.script]);

  const labNet: LabNet = claimLabNet(name, (ns) => running.has(ns));
  const reaper = startReaper(labNet);
  let child: ChildProcess | undefined;
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    running.delete(labNet.netns);
    reaper.disarm();
    teardownLabNet(labNet, rootDir);
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  running.set(labNet.netns, { stopSync });
  installExitHandler();

  let publicKeys: string[];
  try {
    const keys = ensureHostKeys(path.join(stateDir, "host-keys"));
    publicKeys = keys.publicKeys;
    buildRootfs({
      rootDir,
      authorizedKeys: opts.authorizedKeys,
      rootPasswordHash: opts.rootPassword !== undefined ? hashPassword(opts.rootPassword) : undefined,
      uci,
      hostKeys: keys.files,
      env: {
        LAB_LISTEN: `${labNet.labAddress}:${SSH_PORT}`,
        // -s: no password logins at all when no root password was asked for (openwrt-uci.md §3).
        LAB_DROPBEAR_FLAGS: opts.rootPassword !== undefined ? "" : "-s",
      },
    });
    fs.rmSync(journalDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(journalDir, "reloads"), { recursive: true });
    fs.writeFileSync(path.join(journalDir, "events.log"), "");
    const bootFile = path.join(stateDir, "boot.sh");
    fs.writeFileSync(bootFile, bootScript(rootDir, journalDir), { mode: 0o755 });

    setupLabNet(labNet);

    const log = fs.openSync(logFile, "w");
    try {
      // Every lab process is tied to this one: `setpriv --pdeathsig KILL` makes the kernel kill `unshare` (nsenter
      // and setpriv exec into it) when this process dies, however it dies; `--kill-child` then kills the boot
      // shell, PID 1 of the new PID namespace, and with it every process in the namespace (init, BIRD, dropbear,
      // anything started over SSH). The named network namespace outlives processes: the reaper removes it.
      child = spawn(
        "setpriv",
        [
          "--pdeathsig",
          "KILL",
          "--",
          "nsenter",
          `--net=/run/netns/${labNet.netns}`,
          "--",
          "unshare",
          "--mount",
          "--uts",
          "--pid",
          "--fork",
          "--kill-child=SIGKILL",
          "--propagation",
          "private",
          "--",
          "/bin/sh",
          bootFile,
        ],
        { stdio: ["ignore", log, log], env: { PATH: LAB_PATH, HOME: "/root", TERM: "dumb" } },
      );
    } finally {
      fs.closeSync(log);
    }
    child.on("error", () => undefined);
    await waitForSsh(labNet.labAddress, SSH_PORT, child, logFile);
  } catch (e) {
    stopSync();
    throw e;
  }

  // PID 1 of the lab's PID namespace (the boot shell exec'd into the lab's init, chrooted): its namespaces and
  // root are the lab's. It is `unshare`'s only child.
  const supervisorPid = pid1Of(child.pid!);
  const exec = (command: string): Promise<{ stdout: string; stderr: string; code: number }> =>
    new Promise((resolve, reject) => {
      if (stopped) return reject(new Error(`lab host ${labNet.netns} is stopped`));
      // Enter the supervisor's (dropbear's) namespaces and root; start in /root like a login.
      const p = spawn(
        "nsenter",
        [
          "-t",
          String(supervisorPid),
          "-m",
          "-u",
          "-n",
          "-p",
          "-r",
          `--wd=${path.join(rootDir, "root")}`,
          "--",
          "/bin/ash",
          "-c",
          command,
        ],
        {
          stdio: ["ignore", "pipe", "pipe"],
          env: { PATH: LAB_PATH, HOME: "/root", USER: "root", LOGNAME: "root", SHELL: "/bin/ash" },
        },
      );
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      p.stdout.on("data", (d: Buffer) => out.push(d));
      p.stderr.on("data", (d: Buffer) => err.push(d));
      p.on("error", reject);
      let settled = false;
      const finish = (code: number | null, sig: NodeJS.Signals | null): void => {
        if (settled) return;
        settled = true;
        p.stdout.destroy();
        p.stderr.destroy();
        resolve({
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
          code: code ?? (sig ? 128 : 1),
        });
      };
      p.on("close", finish);
      // A background process left by the command (e.g. the holder `lock` forks) keeps the pipes
      // open; once the shell has exited, take what arrived shortly after and stop waiting.
      p.on("exit", (code, sig) => setTimeout(() => finish(code, sig), 100));
    });

  // BIRD was started by /etc/init.d/bird start before dropbear; a host without it is no host.
  const status = await exec("birdc show status");
  if (!status.stdout.includes("Daemon is up and running")) {
    const bootRecords = readReloads(journalDir).map((r) => `${r.service} ${r.action}: rc ${r.rc} ${r.output}`);
    stopSync();
    throw new Error(`BIRD is not running in the lab host: ${status.stdout}${status.stderr}\n${bootRecords.join("\n")}`);
  }

  const writeLog = new WriteEventLog(rootDir, journalDir, Date.now());

  const hostObj: OpenWrtHost = {
    host: labNet.labAddress,
    port: SSH_PORT,
    hostKeyFingerprints: publicKeys.map(fingerprintOf),
    hostPublicKeys: publicKeys,
    rootDir,
    netns: labNet.netns,
    links: labNet.links,
    exec,
    async dump() {
      const exported = await exec("uci export");
      if (exported.code !== 0) throw new Error(`uci export failed (${exported.code}): ${exported.stderr}`);
      const files: Record<string, string> = {};
      const bird = path.join(rootDir, "etc/bird.conf");
      if (fs.existsSync(bird)) files["/etc/bird.conf"] = fs.readFileSync(bird, "utf8");
      readDirFiles(path.join(rootDir, "etc/bird.d"), "/etc/bird.d", files);
      readDirFiles(path.join(rootDir, "etc/init.d"), "/etc/init.d", files);
      readDirFiles(path.join(rootDir, "etc/rc.d"), "/etc/rc.d", files);
      return { uci: exported.stdout, files, reloads: readReloads(journalDir) };
    },
    async reloads() {
      return readReloads(journalDir);
    },
    async writeEvents() {
      return writeLog.events();
    },
    async birdConfigures() {
      try {
        return fs
          .readFileSync(path.join(journalDir, "birdc.log"), "utf8")
          .split("\n")
          .filter((l) => / configure$/.test(l)).length;
      } catch {
        return 0;
      }
    },
    async stop() {
      const exited =
        child && child.exitCode === null && child.signalCode === null
          ? new Promise<void>((r) => child!.once("exit", () => r()))
          : Promise.resolve();
      stopSync();
      // Reap the supervisor (dropbear) ourselves rather than leave a zombie to init.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
      clearTimeout(timer);
      // Every test file's afterAll ends here: a file that passes must not leave its lab behind (issue 14).
      const left = (): string[] => [
        ...(netnsExists(labNet.netns) ? [`network namespace ${labNet.netns}`] : []),
        ...Object.values(labNet.links)
          .filter(linkExists)
          .map((l) => `link ${l}`),
        ...pidsRootedAt(rootDir).map((p) => `process ${p}`),
      ];
      for (let i = 0; i < 20 && left().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      const remaining = left();
      if (remaining.length > 0) throw new Error(`lab host ${labNet.netns}: stop left ${remaining.join(", ")}`);
    },
  };
  return hostObj;
}
