/**
 * Reading the OpenWrt lab host's journal: what the device-side stand-ins logged (see
 * ./rootfs/usr/libexec/routerstack-lab/lib.sh), and the write events derived from it.
 *
 * Journal layout (stateDir/journal, bind-mounted in the lab at /usr/libexec/routerstack-lab/journal):
 * - reloads/<at>-<pid>-<rand>/meta     `service=`, `action=`, `at=` (ms), `rc=` lines
 * - reloads/<…>/output                 what the action printed (bird: `birdc configure`'s output)
 * - reloads/<…>/files/<absolute path>  the files the service reads, as they were at that moment
 * - events.log                         `<at> uci-commit <file> <inode> <mtime s> <size>` per changed config
 *
 * DESIGN.md "The lab": acceptance counts come from the devices; the number of changes in a second `up`
 * equals the write commands the devices logged.
 */
import * as fs from "fs";
import * as path from "path";

export interface ReloadRecord {
  /** init script name (`network`, `firewall`, `bird`), or `ifup` / `ifdown`. */
  service: string;
  /** `start`, `stop`, `restart`, `reload`; for ifup/ifdown the arguments. */
  action: string;
  /** ms since the epoch, taken before the action ran. */
  at: number;
  /**
   * Committed content of the files the service reads at that moment: network → /etc/config/network,
   * firewall → /etc/config/firewall, bird → /etc/bird.conf and /etc/bird.d/*, ifup/ifdown →
   * /etc/config/network.
   */
  files: Record<string, string>;
  /** What the action printed (bird reload: `birdc configure`'s output; network reload/restart: what it set on `mgmt`); "" for record-only services. */
  output: string;
  /** Exit status of the action (bird reload: `birdc configure`'s); 0 for record-only services. */
  rc: number;
}

export interface UciCommitEvent {
  at: number;
  /** Config file path inside the lab, e.g. /etc/config/network. */
  file: string;
  ino: number;
  mtimeSec: number;
  size: number;
}

function readTree(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    const rel = `${prefix}/${e.name}`;
    if (e.isDirectory()) Object.assign(out, readTree(full, rel));
    else if (e.isFile()) out[rel] = fs.readFileSync(full, "utf8");
  }
  return out;
}

function parseMeta(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** All published reload records, oldest first. */
export function readReloads(journalDir: string): ReloadRecord[] {
  const dir = path.join(journalDir, "reloads");
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const records: ReloadRecord[] = [];
  for (const name of names) {
    const recDir = path.join(dir, name);
    let meta: Record<string, string>;
    try {
      meta = parseMeta(fs.readFileSync(path.join(recDir, "meta"), "utf8"));
    } catch {
      continue;
    }
    let output = "";
    try {
      output = fs.readFileSync(path.join(recDir, "output"), "utf8");
    } catch {
      // absent when the record directory could not hold it
    }
    records.push({
      service: meta.service ?? "",
      action: meta.action ?? "",
      at: Number(meta.at),
      files: readTree(path.join(recDir, "files")),
      output,
      rc: Number(meta.rc ?? "0"),
    });
  }
  // Directory names start with the time; ties keep a stable order.
  return records.sort((a, b) => a.at - b.at);
}

/** Config files changed by uci (commit, import), as logged by the lab's /sbin/uci wrapper. */
export function readUciCommits(journalDir: string): UciCommitEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(journalDir, "events.log"), "utf8");
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const out: UciCommitEvent[] = [];
  for (const line of text.split("\n")) {
    const m = /^(\d+) uci-commit (\S+) (\d+) (\d+) (\d+)$/.exec(line);
    if (!m) continue;
    // Concurrent uci calls may both notice the same new file; one commit is one event.
    const key = `${m[2]} ${m[3]} ${m[4]} ${m[5]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ at: Number(m[1]), file: m[2], ino: Number(m[3]), mtimeSec: Number(m[4]), size: Number(m[5]) });
  }
  return out;
}

/** path inside the lab → identity of the file (inode, mtime, size; or a link's target). */
export type TreeSnapshot = Map<string, { id: string; ino: number; mtimeMs: number; size: number }>;

/** Snapshot of every file and link under `<rootDir><under>` (not following links). */
export function snapshotTree(rootDir: string, under: string): TreeSnapshot {
  const out: TreeSnapshot = new Map();
  const walk = (rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(rootDir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = `${rel}/${e.name}`;
      const full = path.join(rootDir, r);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(r);
      else if (st.isSymbolicLink()) {
        out.set(r, { id: `link:${fs.readlinkSync(full)}`, ino: st.ino, mtimeMs: st.mtimeMs, size: st.size });
      } else {
        out.set(r, { id: `${st.ino}:${st.mtimeMs}:${st.size}`, ino: st.ino, mtimeMs: st.mtimeMs, size: st.size });
      }
    }
  };
  walk(under);
  return out;
}

/**
 * Accumulates the device-side writes of one lab host since it became ready, as strings:
 * - `uci-commit <package>` (or the file path, for a confdir other than /etc/config)
 * - `service <name> <action>` for each init-script action, `service ifup <args>` / `service ifdown <args>`
 * - `file <path>` / `file-removed <path>` for any other change under /etc (a file replaced by a
 *   rename, written in place, created or deleted; an /etc/rc.d link made by enable/disable)
 * Files are compared with the snapshot of the previous call, so two replacements of one file between
 * calls count once. Changes to /etc/config files that a logged uci commit explains are not repeated.
 */
export class WriteEventLog {
  private snapshot: TreeSnapshot;
  private readonly fileEvents: Array<{ at: number; text: string }> = [];

  constructor(
    private readonly rootDir: string,
    private readonly journalDir: string,
    private readonly since: number,
  ) {
    this.snapshot = snapshotTree(rootDir, "/etc");
  }

  events(): string[] {
    const commits = readUciCommits(this.journalDir).filter((c) => c.at >= this.since);
    const explained = new Set(commits.map((c) => `${c.file} ${c.ino} ${c.size}`));
    const now = snapshotTree(this.rootDir, "/etc");
    const detectedAt = Date.now();
    for (const [p, cur] of now) {
      const prev = this.snapshot.get(p);
      if (prev && prev.id === cur.id) continue;
      if (p.startsWith("/etc/config/") && explained.has(`${p} ${cur.ino} ${cur.size}`)) continue;
      this.fileEvents.push({ at: cur.mtimeMs, text: `file ${p}` });
    }
    for (const p of this.snapshot.keys()) {
      if (!now.has(p)) this.fileEvents.push({ at: detectedAt, text: `file-removed ${p}` });
    }
    this.snapshot = now;

    const all: Array<{ at: number; text: string }> = [
      ...commits.map((c) => ({
        at: c.at,
        text: `uci-commit ${c.file.startsWith("/etc/config/") ? c.file.slice("/etc/config/".length) : c.file}`,
      })),
      ...readReloads(this.journalDir)
        .filter((r) => r.at >= this.since)
        .map((r) => ({ at: r.at, text: `service ${r.service} ${r.action}` })),
      ...this.fileEvents,
    ];
    return all.sort((a, b) => a.at - b.at).map((e) => e.text);
  }
}
