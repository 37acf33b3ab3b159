/**
 * Lock-out guard for OpenWrt (issue 7), in the spirit of LuCI's apply-with-rollback: before a uci write that can
 * cut the management path is committed, the package's committed file is saved on the device and a detached
 * `sleep <window>; restore; reload` process is started there; after the write (commit and coalesced reload) a
 * FRESH SSH connection kills that process. If no fresh connection gets through within the window, the device
 * restores the file and reloads by itself, and the resource fails with LockoutRevertedError.
 *
 * What is guarded (coarser than on RouterOS, because the uci plan is only known under the device lock):
 * - the management path is determined from the session: `$SSH_CONNECTION` (set by dropbear and OpenSSH:
 *   `<client ip> <client port> <server ip> <server port>`) gives the client and device addresses; the `network`
 *   sections of type `interface` whose `ipaddr` (option or list, with or without `/len`) holds the device address
 *   are the management interfaces. Without `$SSH_CONNECTION`, or when no interface holds the address (a NAT or a
 *   port-forward in front), the path cannot be determined and nothing is guarded.
 * - guarded: every write to package `firewall` (zones, rules and redirects can all drop or redirect the session),
 *   to package `dropbear` (the SSH server's own port and interface), and to package `network` except to an
 *   `interface` section that does not hold the device address (other interfaces cannot cut it; routes, rules and
 *   devices can).
 *
 * The revert restores the whole package file as it was committed before the write and reloads the services the
 * write named (`/etc/init.d/<service> reload`). A write by someone else to the same package inside the window is
 * reverted with it; the window should stay short.
 * Locking and modes (issue 14): the file is saved and the revert started while holding the device lock
 * (device-lock.ts), so no routerstack write is half-way through the package at that moment; the revert takes the
 * lock again to restore (waiting at most {@link REVERT_LOCK_WAIT_S} s: a lock-out is worse than a lost race) and
 * releases it before the reloads. Both run under `umask 077`: the saved copy (which may hold a PPPoE password or
 * a wifi key) sits in a 0700 directory, and a restore creates nothing others can read.
 * Busybox: `setsid`, `sleep`, `kill`, `cp`, `mv` are applets [I: present in OpenWrt's default busybox config].
 */
import { createHash, randomBytes } from "crypto";
import { IPv4, IPv4CidrRange, Validator } from "ip-num";
import { LockoutRevertedError, windowOf } from "../core/lockout";
import { DeviceError } from "../core/errors";
import type { OpContext } from "../core/kind";
import { openDevice } from "../transport";
import { SshDeviceTransport } from "../transport/device";
import { transportLog } from "../transport/logger";
import { TransportError, type DeviceTransport } from "../transport/types";
import { absolutePath, shQuote } from "./codec";
import { lockEpilogue, lockFileOf, lockPrologue, markerText, splitMarked } from "./device-lock";
import type { ReloadService } from "./reloads";
import { openwrtSettings } from "./settings";
import { readUciPackageBatched } from "./uci-read-batcher";
import type { UciShowSection } from "./uci-show-parser";

export { LockoutRevertedError };

export interface OpenwrtSession {
  client: string;
  server: string;
  port: number;
}

/** Test seams: how the session is found and how a fresh connection is opened. */
export const openwrtGuardHooks = {
  session: async (t: DeviceTransport): Promise<OpenwrtSession | undefined> => {
    const r = await t.exec(`printf '%s\\n' "$SSH_CONNECTION"`);
    const [client, , server, port] = r.stdout.trim().split(/\s+/);
    return client && server && port ? { client, server, port: Number(port) } : undefined;
  },
  /** Whether the transport can be reconnected (the SSH transport; not the in-process fakes of tests). */
  canReconnect: (t: DeviceTransport): boolean => t instanceof SshDeviceTransport,
  /** A new connection to the same device: its own SSH handshake, never the shared connection. */
  reconnect: (t: DeviceTransport): DeviceTransport => openDevice({ ...t.spec }),
  retryMs: 1000,
};

function holds(ipaddr: string | readonly string[] | undefined, address: string): boolean {
  const list = ipaddr === undefined ? [] : typeof ipaddr === "string" ? [ipaddr] : ipaddr;
  return list.some((a) => a.split("/")[0] === address);
}

/** Interface sections of `network` holding the device address. */
export function managementInterfaces(network: readonly UciShowSection[], server: string): string[] {
  return network
    .filter((s) => s.type === "interface" && holds(s.options.ipaddr as string | string[] | undefined, server))
    .map((s) => s.name);
}

/** Why a write to `pkg.section` is guarded, or undefined (see the module comment). */
export function openwrtOnPath(
  pkg: string,
  section: UciShowSection | undefined,
  mgmt: readonly string[],
  session: OpenwrtSession,
): string | undefined {
  if (pkg === "firewall") return "a firewall change can drop or redirect the SSH session";
  if (pkg === "dropbear") return "the SSH server's own configuration";
  if (pkg !== "network") return undefined;
  if (section?.type === "interface")
    return mgmt.includes(section.name) ? `the interface ${section.name} holding ${session.server}` : undefined;
  if (
    section?.type === "route" &&
    typeof section.options.target === "string" &&
    Validator.isValidIPv4String(session.client)[0]
  ) {
    const t = section.options.target.includes("/") ? section.options.target : `${section.options.target}/32`;
    if (
      Validator.isValidIPv4CidrRange(t)[0] &&
      !IPv4CidrRange.fromCidr(t).contains(IPv4CidrRange.fromCidr(`${IPv4.fromString(session.client).toString()}/32`))
    ) {
      return undefined;
    }
  }
  return `network section ${section?.name ?? "(new)"} can change how ${session.client} is reached`;
}

interface KnownPath {
  session: OpenwrtSession;
  mgmt: string[];
  network: UciShowSection[];
}

/**
 * How long a determined path is reused, milliseconds, so one `pulumi up` writing many sections asks the device
 * once; a guarded write to `network` drops it. A failed look is not remembered.
 */
const PATH_TTL_MS = 10_000;
const paths = new WeakMap<DeviceTransport, { at: number; path: Promise<KnownPath | undefined> }>();
const sessions = new WeakMap<DeviceTransport, { at: number; session: Promise<OpenwrtSession | undefined> }>();

/**
 * The session's addresses, asked once per PATH_TTL_MS. A uci write cannot change them, so a write to `network`,
 * which drops the path, keeps them: otherwise every batch writing routes would ask the device again.
 */
function sessionOf(t: DeviceTransport): Promise<OpenwrtSession | undefined> {
  const hit = sessions.get(t);
  if (hit && Date.now() - hit.at < PATH_TTL_MS) return hit.session;
  const session = openwrtGuardHooks.session(t);
  sessions.set(t, { at: Date.now(), session });
  session.catch(() => sessions.delete(t));
  return session;
}

function pathOf(t: DeviceTransport): Promise<KnownPath | undefined> {
  const hit = paths.get(t);
  if (hit && Date.now() - hit.at < PATH_TTL_MS) return hit.path;
  const path = (async () => {
    const session = await sessionOf(t);
    if (!session) return undefined;
    const network = await readUciPackageBatched(t, "network", openwrtSettings().uci);
    const mgmt = managementInterfaces(network, session.server);
    if (mgmt.length === 0) {
      transportLog(
        "info",
        `device "${t.spec.name}": lock-out guard: no network interface holds ${session.server}, the address the session connects to: the management path cannot be determined and writes are not guarded`,
      );
      return undefined;
    }
    return { session, mgmt, network };
  })().catch(() => {
    paths.delete(t);
    return undefined;
  });
  paths.set(t, { at: Date.now(), path });
  return path;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Longest time the device's revert waits for the device lock before restoring anyway, seconds. */
export const REVERT_LOCK_WAIT_S = 30;

export interface Armed {
  dir: string;
  window: number;
  armedAt: number;
  why: string;
  pkg: string;
}

/**
 * Arms the revert when the write to `pkg.section` is on the management path; undefined when nothing is armed.
 * Called before the uci transaction is submitted.
 */
export async function armOpenwrtLockoutGuard(
  ctx: OpContext,
  pkg: string,
  section: string,
  services: readonly ReloadService[],
): Promise<Armed | undefined> {
  const window = windowOf(ctx.transport);
  if (window === undefined || !["network", "firewall", "dropbear"].includes(pkg)) return undefined;
  if (!openwrtGuardHooks.canReconnect(ctx.transport)) return undefined;
  const settings = openwrtSettings();
  const known = await pathOf(ctx.transport);
  if (pkg === "network") paths.delete(ctx.transport);
  if (!known) return undefined;
  const { session, mgmt, network } = known;
  const current = pkg === "network" ? network : await readUciPackageBatched(ctx.transport, pkg, settings.uci);
  const why = openwrtOnPath(
    pkg,
    current.find((s) => s.name === section),
    mgmt,
    session,
  );
  if (!why) return undefined;

  const tmp = absolutePath(settings.uci.tmpDir ?? "/tmp", "tmpDir");
  const conf = absolutePath(settings.uci.confDir ?? "/etc/config", "confDir");
  const dir = `${tmp}/rs-guard-${createHash("sha256").update(ctx.identity).update(randomBytes(8)).digest("hex").slice(0, 16)}`;
  const D = shQuote(dir, "guard dir");
  const file = shQuote(`${conf}/${pkg}`, "config file");
  const ran = shQuote(`${dir}.ran`, "guard marker");
  const saved = shQuote(`${dir}/${pkg}`, "saved file");
  // Dot-named, so uci never takes the temp file for a package.
  const temp = shQuote(`${conf}/.${pkg}.rs-guard`, "temp file");
  const reloads = services
    .filter((s) => s.key.startsWith("init.d/"))
    .map((s) => `${shQuote(`${settings.initDir}/${s.key.slice("init.d/".length)}`, "service")} reload`);
  // The restore goes through a temp file + rename in the config directory, like uci's own commit; a package
  // that did not exist before the write is removed again.
  const lock = shQuote(lockFileOf(settings.uci), "lockFile");
  const revert = [
    `sleep ${window}`,
    "umask 077",
    // `lock -n` fails at once while another holds it; after the last try the restore goes ahead unlocked.
    `n=0; H=; while [ $n -lt ${REVERT_LOCK_WAIT_S} ]; do if lock -n ${lock} </dev/null >/dev/null 2>&1; then H=1; break; fi; n=$((n + 1)); sleep 1; done`,
    `if [ -f ${saved} ]; then cp -p ${saved} ${temp} && mv -f ${temp} ${file}; else rm -f ${file}; fi`,
    `if [ -n "$H" ]; then lock -u ${lock}; fi`,
    ...reloads.map((r) => `${r} >/dev/null 2>&1`),
    // The marker tells a later cancel that the revert ran (see cancelOn).
    `touch ${ran}`,
    `rm -rf ${D}`,
  ].join("; ");
  const marker = `@@RS_${randomBytes(12).toString("hex")}`;
  // Under the device lock (its prologue also sets umask 077, so the guard dir is 0700).
  const script = [
    lockPrologue(marker, settings.uci),
    `mkdir ${D} || exit 1`,
    `if [ -f ${file} ]; then cp -p ${file} ${saved} || exit 1; fi`,
    `setsid sh -c ${shQuote(revert, "revert")} </dev/null >/dev/null 2>&1 &`,
    `echo $! > ${D}/pid && printf '\\n${marker}:armed@@\\n'`,
    lockEpilogue(marker),
  ].join("\n");
  const armedAt = Date.now();
  let r: { stdout: string; stderr: string };
  try {
    r = await ctx.transport.exec(script);
  } catch (e) {
    // The script may have run with only its reply lost: a revert left armed would restore the package one window
    // later over whatever the next `up` writes (the faults test lost objects that way). Withdraw it first.
    if (e instanceof TransportError && e.notSent) throw e;
    throw await withdrawUnconfirmedArm(ctx, { dir, window, armedAt, why, pkg }, e);
  }
  if (!splitMarked(r.stdout, marker).some((p) => p.tag === "armed") || !r.stdout.includes(markerText(marker, "done"))) {
    const lockFail = splitMarked(r.stdout, marker)
      .find((p) => p.tag === "lockfail")
      ?.body.trim();
    throw new DeviceError(
      `${ctx.label}: could not arm the lock-out guard (${why}): ${(lockFail ?? r.stderr).trim().slice(0, 300)}`,
    );
  }
  transportLog(
    "info",
    `${ctx.label}: lock-out guard armed (${why}); the device restores ${pkg} in ${window} s unless a new SSH connection cancels it`,
  );
  return { dir, window, armedAt, why, pkg };
}

/**
 * Kills the revert over `t`: "cancelled", or "gone" when it already ran. Neither the revert's directory nor its
 * `.ran` marker left means an earlier cancel did kill it and only its reply was lost: that is "cancelled" too.
 */
async function cancelOn(t: DeviceTransport, armed: Armed): Promise<"cancelled" | "gone"> {
  const D = shQuote(armed.dir, "guard dir");
  const ran = shQuote(`${armed.dir}.ran`, "guard marker");
  const r = await t.exec(
    `if [ -f ${D}/pid ]; then P=$(cat ${D}/pid); kill -TERM -$P 2>/dev/null || kill -TERM $P 2>/dev/null; rm -rf ${D}; echo cancelled; ` +
      `elif [ -f ${ran} ]; then rm -f ${ran}; echo gone; else echo cancelled; fi`,
  );
  if (r.stdout.includes("cancelled")) return "cancelled";
  if (r.stdout.includes("gone")) return "gone";
  throw new Error(`unexpected reply while cancelling the revert: ${(r.stderr || r.stdout).trim().slice(0, 200)}`);
}

async function onFresh(ctx: OpContext, armed: Armed): Promise<"cancelled" | "gone"> {
  const fresh = openwrtGuardHooks.reconnect(ctx.transport);
  try {
    return await cancelOn(fresh, armed);
  } finally {
    await fresh.close().catch(() => undefined);
  }
}

/**
 * After an arm whose reply was lost: kills the revert, if it was started, over fresh connections until a margin
 * before its window ends. Returns `armError`, its message extended when that could not be done.
 */
async function withdrawUnconfirmedArm(ctx: OpContext, armed: Armed, armError: unknown): Promise<unknown> {
  const deadline = armed.armedAt + armed.window * 1000 - Math.min(5000, (armed.window * 1000) / 4);
  let last = "no attempt";
  while (Date.now() < deadline) {
    try {
      await onFresh(ctx, armed);
      return armError;
    } catch (e) {
      last = (e as Error).message;
      await sleep(Math.min(openwrtGuardHooks.retryMs, Math.max(0, deadline - Date.now())));
    }
  }
  if (armError instanceof Error) {
    armError.message += `; the lock-out guard's revert (${armed.dir}) may have been started and could not be stopped (${last}): it restores /etc/config/${armed.pkg} ${armed.window} s after arming`;
  }
  return armError;
}

/** After the write (`written`, committed and reloaded): cancel from a fresh connection, or report the revert. */
export async function confirmOpenwrtLockoutGuard<T>(
  ctx: OpContext,
  armed: Armed | undefined,
  written: Promise<T>,
): Promise<T> {
  if (!armed) return written;
  let value: T | undefined;
  let failure: unknown;
  try {
    value = await written;
  } catch (e) {
    failure = e;
  }
  const margin = Math.min(5000, (armed.window * 1000) / 4);
  const deadline = armed.armedAt + armed.window * 1000 - margin;
  // A write whose own session was cut by the change answers only when the transport times out, which can be
  // past the time left for a new connection: then none was tried, and the error says so.
  let last =
    Date.now() < deadline
      ? ""
      : `the write's own session answered only ${((Date.now() - armed.armedAt) / 1000).toFixed(1)} s after arming` +
        `${failure !== undefined ? ` (${String((failure as Error)?.message ?? failure).slice(0, 200)})` : ""}, too late to try a new connection`;
  while (Date.now() < deadline) {
    try {
      const outcome = await onFresh(ctx, armed);
      if (outcome === "cancelled") {
        if (failure !== undefined) throw failure;
        return value as T;
      }
      last = "the revert had already run";
      break;
    } catch (e) {
      if (e === failure) throw e;
      last = (e as Error).message;
      await sleep(Math.min(openwrtGuardHooks.retryMs, Math.max(0, deadline - Date.now())));
    }
  }
  await sleep(Math.max(0, armed.armedAt + armed.window * 1000 - Date.now()) + 2000);
  let after = "it is still unreachable: check the device's console";
  for (let i = 0; i < 5; i++) {
    try {
      const outcome = await onFresh(ctx, armed);
      // No revert ran (a cancel whose reply was lost killed it, or it had not run yet and is killed now): the
      // write holds and the device answers, so the write's own outcome stands.
      if (outcome === "cancelled") {
        if (failure !== undefined) throw failure;
        return value as T;
      }
      after = "it is reachable again";
      break;
    } catch (e) {
      if (failure !== undefined && e === failure) throw e;
      await sleep(openwrtGuardHooks.retryMs);
    }
  }
  const dev = ctx.transport.spec;
  throw new LockoutRevertedError(
    `${ctx.label}: the write to ${armed.pkg} cut the management path (${armed.why}): no new SSH connection to device ` +
      `"${dev.name}" (${dev.host}:${dev.port}) could cancel the revert within the lock-out window of ${armed.window} seconds ` +
      `(${last || "no attempt succeeded"}), so the device reverted the change by itself: /etc/config/${armed.pkg} was restored ` +
      `as committed before the write and its services reloaded; ${after}`,
  );
}
