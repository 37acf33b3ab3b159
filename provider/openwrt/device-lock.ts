/**
 * Shell fragments that hold routerstack's per-device lock for the length of one exec.
 *
 * OpenWrt ships a `lock` applet in its busybox build (openwrt/openwrt
 * package/utils/busybox/patches/220-add_lock_util.patch, "Small utility for using locks in scripts"):
 * - `lock <file>` takes an exclusive flock(), forks a child that keeps holding it, writes the child's pid into
 *   the file and returns;
 * - `lock -u <file>` reads the pid from the file and sends it SIGTERM, which releases the lock.
 * Consequences handled here: `lock -u` must only run after our own `lock` succeeded (otherwise it would kill
 * another holder), and the child must not inherit the SSH channel's stdout/stderr (it would keep the channel
 * open). A SIGKILL of the shell leaves the child holding the lock until it is killed or the router reboots; the
 * applet has no timeout. The lab provides a stand-in for this applet (the host has no OpenWrt busybox).
 *
 * The lock serialises routerstack's own writers on one router (uci loses concurrent commits, openwrt-uci.md
 * §2.11). Other uci users on the router do not take it.
 */
import { absolutePath, shQuote } from "./codec";

/**
 * routerstack's root-only state directory on the router: the device lock (`lock`) and the ownership records of
 * created sections (`owners/`, uci-script.ts). Not /var/lock or /tmp: OpenWrt makes those world-writable (1777),
 * where whoever creates `routerstack.lock` first could hold every write forever or swap the pid that `lock -u`
 * signals, and a planted symlink or forged record would be followed by root (issue 14). In root's home (the
 * overlay on flash, where only root can create it) the records also survive a reboot; not under /etc, which is
 * configuration (a sysupgrade backup, and what the lab counts as device writes). Every script checks it before
 * use: a directory that is a symlink, not owned by the login user (root on a router) or not mode 0700 is refused;
 * an absent one is created 0700.
 */
export const DEFAULT_STATE_DIR = "/root/.routerstack";

/** Options shared by every script that takes the device lock. */
export interface DeviceLockOptions {
  /** routerstack's state directory; default {@link DEFAULT_STATE_DIR}. */
  stateDir?: string;
  /** Lock file; default `<stateDir>/lock`. */
  lockFile?: string;
  /** Directory for the private work directory (mktemp -d); default `/tmp`. */
  tmpDir?: string;
}

/** The lock file for these options: `lockFile`, or `<stateDir>/lock`. */
export function lockFileOf(opts: DeviceLockOptions = {}): string {
  return opts.lockFile ?? `${absolutePath(opts.stateDir ?? DEFAULT_STATE_DIR, "stateDir")}/lock`;
}

/**
 * Prologue: private work dir in `$D` (mode 0700), cleanup trap on EXIT/HUP/INT/TERM, then the lock.
 * Prints `<marker>:locked` once held; on failure prints `<marker>:lockfail` with lock's message and exits 71.
 * `marker` must be a fixed token without quotes (callers use `@@RS_<nonce>`).
 */
export function lockPrologue(marker: string, opts: DeviceLockOptions = {}): string {
  const stateDir = absolutePath(opts.stateDir ?? DEFAULT_STATE_DIR, "stateDir");
  const lockFile = shQuote(lockFileOf(opts), "lockFile");
  const template = shQuote(`${opts.tmpDir ?? "/tmp"}/routerstack.XXXXXX`, "tmpDir");
  return [
    "umask 077",
    "D=",
    "RS_LOCKED=",
    `rs_release() { if [ -n "$RS_LOCKED" ]; then RS_LOCKED=; lock -u ${lockFile}; fi; if [ -n "$D" ]; then rm -rf "$D"; D=; fi; }`,
    "trap rs_release EXIT",
    // A signal exits through the EXIT trap, so the lock is released and the work dir removed.
    "trap 'exit 129' HUP",
    "trap 'exit 130' INT",
    "trap 'exit 143' TERM",
    // A cut connection makes the next write to stdout raise SIGPIPE, whose default action kills the shell without
    // the EXIT trap, so the lock's holder would live on and every later writer would wait forever (seen with the
    // fault proxy, tests/e2e/faults.test.ts). Exit through the trap instead, with output going nowhere.
    "trap 'exec >/dev/null 2>&1; exit 141' PIPE",
    `RS_STATE=${shQuote(stateDir, "stateDir")}`,
    // Created 0700 (umask 077) when absent; `ls -ldn` gives the mode and the numeric owner, `id -u` the login's
    // uid (busybox applets in OpenWrt's default config [I], and GNU; run by tests/unit/openwrt/state-dir.test.ts).
    `if [ ! -e "$RS_STATE" ] && [ ! -L "$RS_STATE" ]; then mkdir -p "$RS_STATE" 2>/dev/null; fi`,
    `rs_state_ok() { [ ! -L "$RS_STATE" ] && [ -d "$RS_STATE" ] || return 1; set -- $(ls -ldn "$RS_STATE"); case "$1" in drwx------*) ;; *) return 1 ;; esac; [ "$3" = "$(id -u)" ]; }`,
    `if ! rs_state_ok; then printf '\\n${marker}:lockfail@@\\nrouterstack state directory %s refused: it must be a directory (not a symlink) owned by uid %s with mode 0700\\n' "$RS_STATE" "$(id -u)"; exit 71; fi`,
    `D=$(mktemp -d ${template}) || { printf '\\n${marker}:lockfail@@\\nmktemp failed\\n'; exit 70; }`,
    `if lock ${lockFile} </dev/null >"$D/lock.out" 2>&1; then RS_LOCKED=1; else printf '\\n${marker}:lockfail@@\\n'; cat "$D/lock.out"; exit 71; fi`,
    `printf '\\n${marker}:locked@@\\n'`,
  ].join("\n");
}

/** Epilogue: release the lock and work dir now (not at exit), then print `<marker>:done`. */
export function lockEpilogue(marker: string): string {
  return ["rs_release", "trap - EXIT", `printf '\\n${marker}:done@@\\n'`].join("\n");
}

/**
 * Splits script output into marked sections. A marker line is `\n<marker>:<tag>@@\n`; the text between two
 * markers is returned under the first one's tag (without the marker's leading newline). Repeated tags keep order.
 */
export function splitMarked(output: string, marker: string): Array<{ tag: string; body: string }> {
  const parts: Array<{ tag: string; body: string }> = [];
  const re = new RegExp(`\\n${escapeRe(marker)}:([^@\\n]*)@@\\n`, "g");
  let last: { tag: string; start: number } | undefined;
  let m: RegExpExecArray | null;
  const text = "\n" + output; // the first marker may be at the very start
  while ((m = re.exec(text)) !== null) {
    if (last) parts.push({ tag: last.tag, body: text.slice(last.start, m.index) });
    last = { tag: m[1], start: m.index + m[0].length };
  }
  if (last) parts.push({ tag: last.tag, body: text.slice(last.start) });
  return parts;
}

/** The exact text that ends a marker, for `InteractiveExec.waitFor`. */
export function markerText(marker: string, tag: string): string {
  return `${marker}:${tag}@@\n`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
