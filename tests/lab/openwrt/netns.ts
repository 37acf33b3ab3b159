/**
 * The OpenWrt lab host's network: a named network namespace `rs-<name>` with three veth links.
 *
 * - `mgmt` ↔ `rs<name>m` (test process's namespace): a /30 out of 198.51.100.0/26, one per running
 *   host (slot N = 198.51.100.4N/30; the test side gets .4N+1, the lab .4N+2). dropbear listens here.
 *   The lab's starting /etc/config/network holds this address as the interface `mgmt` (./rootfs.ts), and
 *   `/etc/init.d/network reload` re-applies that section's address to the link (a stand-in for netifd that
 *   applies only this), so a uci change can really move it.
 * - `vlan6` (192.0.2.2/29, 2001:db8:6::2/64) ↔ `rs<name>v` and `wwan0` (203.0.113.2/30,
 *   2001:db8:ff::2/64) ↔ `rs<name>w`: the interfaces the reference topology's BIRD configs name
 *   (DESIGN.md "The reference topology"). Their peer ends stay in the test process's namespace, up
 *   (so the lab ends have carrier and BIRD sees them up) and without addresses (so they never collide
 *   with anything on the test machine); a test may move a peer end into another namespace to put a
 *   BGP neighbour behind it, or set the lab end down to simulate a lost link.
 *
 * Only documentation prefixes are used (DESIGN.md "The reference topology"). Slots are claimed with a
 * small file per namespace under /run/routerstack-lab, so hosts started by parallel jest workers get
 * distinct /30s; a claim whose owner process is gone is stale, and its namespace is cleaned up.
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const CLAIM_DIR = "/run/routerstack-lab";
const SLOTS = 16;

export interface LabNet {
  readonly name: string;
  readonly netns: string;
  readonly slot: number;
  /** Address of the test-process end of the management link. */
  readonly testAddress: string;
  /** Address of the lab end (`mgmt` inside the namespace); dropbear listens here. */
  readonly labAddress: string;
  /** Interface names in the test process's namespace. */
  readonly links: { readonly mgmt: string; readonly vlan6: string; readonly wwan0: string };
}

/** Lab host names become parts of interface names (at most 15 bytes: "rs" + name + 1). */
export function validateHostName(name: string): void {
  if (!/^[a-z0-9]{1,12}$/.test(name)) {
    throw new Error(
      `lab host name ${JSON.stringify(name)}: use 1 to 12 characters [a-z0-9] (it becomes part of interface names)`,
    );
  }
}

function ip(args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function ipQuiet(args: string[]): boolean {
  return spawnSync("ip", args, { stdio: "ignore" }).status === 0;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function netnsExists(netns: string): boolean {
  return fs.existsSync(path.join("/run/netns", netns));
}

export function linkExists(link: string): boolean {
  return fs.existsSync(path.join("/sys/class/net", link));
}

/** Pids of every process in the namespace (`ip netns pids`). */
export function netnsPids(netns: string): number[] {
  if (!netnsExists(netns)) return [];
  const r = spawnSync("ip", ["netns", "pids", netns], { encoding: "utf8" });
  return (r.stdout ?? "")
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** Pids whose root directory (chroot) is `rootDir`: anything that lives in the lab's root. */
export function pidsRootedAt(rootDir: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/root`) === rootDir) out.push(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  return out;
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL whatever `list()` still returns; waits for the end. */
export function killAll(list: () => number[], graceMs = 2000): void {
  let pids = list();
  if (pids.length === 0) return;
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (list().length > 0 && Date.now() < deadline) sleepSync(25);
  for (let round = 0; round < 40 && (pids = list()).length > 0; round++) {
    for (const pid of pids) signal(pid, "SIGKILL");
    sleepSync(25);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function linkNames(name: string): LabNet["links"] {
  return { mgmt: `rs${name}m`, vlan6: `rs${name}v`, wwan0: `rs${name}w` };
}

function claimPath(netns: string): string {
  return path.join(CLAIM_DIR, netns);
}

interface Claim {
  pid: number;
  slot: number;
}

function readClaim(file: string): Claim | undefined {
  try {
    const c = JSON.parse(fs.readFileSync(file, "utf8")) as Claim;
    return typeof c.pid === "number" && typeof c.slot === "number" ? c : undefined;
  } catch {
    return undefined;
  }
}

/** Claims held by live processes, by namespace name. */
function liveClaims(): Map<string, Claim> {
  const out = new Map<string, Claim>();
  let entries: string[];
  try {
    entries = fs.readdirSync(CLAIM_DIR);
  } catch {
    return out;
  }
  for (const entry of entries) {
    const c = readClaim(path.join(CLAIM_DIR, entry));
    if (c && pidAlive(c.pid)) out.set(entry, c);
  }
  return out;
}

/** Removes what a dead lab host left behind: its processes, namespace, links and claim. */
function cleanupStale(name: string): void {
  const netns = `rs-${name}`;
  killAll(() => netnsPids(netns));
  if (netnsExists(netns)) ipQuiet(["netns", "delete", netns]);
  for (const link of Object.values(linkNames(name))) if (linkExists(link)) ipQuiet(["link", "delete", link]);
  fs.rmSync(claimPath(netns), { force: true });
}

/**
 * Claims the namespace name and a management /30 for this process. Throws if another live process
 * (or another host of this process) holds the name.
 */
export function claimLabNet(name: string, heldByThisProcess: (netns: string) => boolean): LabNet {
  validateHostName(name);
  const netns = `rs-${name}`;
  fs.mkdirSync(CLAIM_DIR, { recursive: true });
  const existing = readClaim(claimPath(netns));
  if (existing && pidAlive(existing.pid) && (existing.pid !== process.pid || heldByThisProcess(netns))) {
    throw new Error(`lab host ${netns} is already running (owner pid ${existing.pid})`);
  }
  cleanupStale(name);

  for (let attempt = 0; attempt < 20; attempt++) {
    const used = new Set([...liveClaims().values()].map((c) => c.slot));
    // A crashed run's links outlive its claim (its pid is gone): a slot whose test address is still configured here
    // would clash, so it counts as used.
    const configured = new Set(Object.values(os.networkInterfaces()).flatMap((as) => (as ?? []).map((a) => a.address)));
    let slot = 0;
    while (used.has(slot) || configured.has(`198.51.100.${slot * 4 + 1}`)) slot++;
    if (slot >= SLOTS) throw new Error(`no free management /30 for lab host ${netns}: ${SLOTS} hosts already running`);
    try {
      fs.writeFileSync(claimPath(netns), JSON.stringify({ pid: process.pid, slot }), { flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST")
        throw new Error(`lab host ${netns} was claimed concurrently`, { cause: e });
      throw e;
    }
    // Two processes may pick the same free slot at once; the lexically smaller namespace keeps it.
    const rival = [...liveClaims().entries()].find(([ns, c]) => ns !== netns && c.slot === slot && ns < netns);
    if (!rival) {
      const base = slot * 4;
      return {
        name,
        netns,
        slot,
        testAddress: `198.51.100.${base + 1}`,
        labAddress: `198.51.100.${base + 2}`,
        links: linkNames(name),
      };
    }
    fs.rmSync(claimPath(netns), { force: true });
    sleepSync(10 + Math.floor(Math.random() * 40));
  }
  throw new Error(`could not claim a management /30 for lab host ${netns}`);
}

/** Creates the namespace and its links (see the module comment for the addressing). */
export function setupLabNet(net: LabNet): void {
  const n = net.netns;
  ip(["netns", "add", n]);
  ip(["-n", n, "link", "set", "lo", "up"]);

  ip(["link", "add", net.links.mgmt, "type", "veth", "peer", "name", "mgmt", "netns", n]);
  ip(["addr", "add", `${net.testAddress}/30`, "dev", net.links.mgmt]);
  ip(["link", "set", net.links.mgmt, "up"]);
  ip(["-n", n, "addr", "add", `${net.labAddress}/30`, "dev", "mgmt"]);
  ip(["-n", n, "link", "set", "mgmt", "up"]);

  const inner: Array<{ peer: string; dev: string; v4: string; v6: string }> = [
    { peer: net.links.vlan6, dev: "vlan6", v4: "192.0.2.2/29", v6: "2001:db8:6::2/64" },
    { peer: net.links.wwan0, dev: "wwan0", v4: "203.0.113.2/30", v6: "2001:db8:ff::2/64" },
  ];
  for (const l of inner) {
    ip(["link", "add", l.peer, "type", "veth", "peer", "name", l.dev, "netns", n]);
    ip(["link", "set", l.peer, "up"]);
    ip(["-n", n, "addr", "add", l.v4, "dev", l.dev]);
    // nodad: usable at once, BIRD and tests need not wait for duplicate address detection
    ip(["-n", n, "addr", "add", l.v6, "dev", l.dev, "nodad"]);
    ip(["-n", n, "link", "set", l.dev, "up"]);
  }
}

/**
 * Kills every process in the namespace (and any process chrooted into `rootDir`), deletes the
 * namespace (which destroys the veth pairs), any link left over, and this process's claim.
 * Synchronous so it can run from a process 'exit' handler; idempotent.
 */
export function teardownLabNet(net: LabNet, rootDir: string): void {
  killAll(() => [...new Set([...netnsPids(net.netns), ...pidsRootedAt(rootDir)])]);
  if (netnsExists(net.netns)) ipQuiet(["netns", "delete", net.netns]);
  for (const link of Object.values(net.links)) if (linkExists(link)) ipQuiet(["link", "delete", link]);
  const c = readClaim(claimPath(net.netns));
  if (c && c.pid === process.pid) fs.rmSync(claimPath(net.netns), { force: true });
}

/**
 * A reaper for a process that dies without running its exit handlers (SIGKILL, a jest worker ended with SIGTERM,
 * a `timeout`): a detached shell, in its own session so Ctrl-C to the test runner's process group does not reach
 * it, that reads its stdin until this process's end of the pipe closes — which the kernel does when this process
 * dies, however it dies — and then removes what the host left: every process in the namespace, the namespace
 * (which destroys the veth pairs), any link left over and the claim, unless the claim has meanwhile passed to
 * another process. `disarm()` (a normal stop, which tears down itself) ends the reaper without it doing anything.
 */
export function startReaper(net: LabNet): { disarm(): void } {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const claim = claimPath(net.netns);
  const links = Object.values(net.links)
    .map((l) => `ip link delete ${q(l)} 2>/dev/null`)
    .join("; ");
  const script =
    `cat >/dev/null; ` +
    `grep -q ${q(`"pid":${process.pid},`)} ${q(claim)} 2>/dev/null || exit 0; ` +
    `for i in 1 2 3 4 5; do P=$(ip netns pids ${q(net.netns)} 2>/dev/null); [ -z "$P" ] && break; kill -9 $P 2>/dev/null; sleep 0.1; done; ` +
    `ip netns delete ${q(net.netns)} 2>/dev/null; ${links}; rm -f ${q(claim)}`;
  const child = spawn("/bin/sh", ["-c", script], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
  });
  child.on("error", () => undefined);
  child.stdin!.on("error", () => undefined);
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    disarm() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      child.stdin!.destroy();
    },
  };
}
