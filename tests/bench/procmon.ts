/**
 * Peak RSS of the dynamic-provider host while an engine operation runs.
 *
 * The test engine starts the host (`node … @pulumi/pulumi/cmd/dynamic-provider/index.js`) as a direct child of
 * this process and does not expose its pid before it exits, so this polls /proc: every child of ours whose
 * command line names `cmd/dynamic-provider`, reading `VmHWM` (the kernel's own peak resident set, monotonic)
 * from /proc/<pid>/status. The last reading before the host exits is kept, so growth in the final poll
 * interval (default 25 ms) can be missed; likewise its CPU time (utime + stime). Linux only.
 */
import * as fs from "fs";

export interface PeakRss {
  /** kB, largest VmHWM seen over all hosts started during the operation (0 when none was seen) */
  peakKb: number;
  /** seconds of CPU (user + system, from /proc/<pid>/stat) the hosts had used at the last poll */
  cpuS: number;
  pids: number[];
}

const TICKS = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields 14 and 15 of stat (utime, stime) are 11 and 12 after "state"
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch {
    return undefined;
  }
}

function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces/parens, so split after the last ')'
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(rest[1]) === ppid) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

function isHost(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("cmd/dynamic-provider");
  } catch {
    return false;
  }
}

function hwmKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts polling; `stop()` returns the peak. */
export function watchProviderHost(intervalMs = 25): { stop(): PeakRss } {
  const seen = new Map<number, number>();
  const cpu = new Map<number, number>();
  let hosts = new Set<number>();
  let lastScan = 0;
  const poll = (): void => {
    const now = Date.now();
    if (now - lastScan > 200 || hosts.size === 0) {
      lastScan = now;
      hosts = new Set(childrenOf(process.pid).filter(isHost));
    }
    for (const pid of hosts) {
      const kb = hwmKb(pid);
      if (kb !== undefined) seen.set(pid, Math.max(seen.get(pid) ?? 0, kb));
      const c = cpuSeconds(pid);
      if (c !== undefined) cpu.set(pid, c);
    }
  };
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return {
        peakKb: Math.max(0, ...seen.values()),
        cpuS: [...cpu.values()].reduce((a, b) => a + b, 0),
        pids: [...seen.keys()],
      };
    },
  };
}
