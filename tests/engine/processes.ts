/**
 * Every child process the engine starts (dynamic-provider hosts, program runners), so that they are killed
 * when the engine process exits or is signalled (reference §6.13). Signal handlers are installed only while
 * children are alive, and re-raise the signal after cleanup so the default behaviour is kept.
 */
import type { ChildProcess } from "child_process";

const live = new Set<ChildProcess>();
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function killAll(): void {
  for (const p of live) {
    try {
      p.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  live.clear();
}

function onSignal(sig: NodeJS.Signals): void {
  killAll();
  uninstall();
  process.kill(process.pid, sig);
}

/** set by a caller that turns SIGINT/SIGTERM into an EngineInterrupt (the engine's command line) */
let interruptsHandledByCaller = false;

/** The caller handles SIGINT and SIGTERM itself (graceful cancel); children are still killed on exit. */
export function leaveInterruptsToCaller(): void {
  interruptsHandledByCaller = true;
  if (live.size > 0) for (const s of SIGNALS) process.off(s, onSignal);
}

function install(): void {
  process.on("exit", killAll);
  if (!interruptsHandledByCaller) for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  process.off("exit", killAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

export function track(p: ChildProcess): void {
  if (live.size === 0) install();
  live.add(p);
}

export function untrack(p: ChildProcess): void {
  if (!live.delete(p)) return;
  if (live.size === 0) uninstall();
}

/** pids of children still running (for tests that check nothing is left behind) */
export function livePids(): number[] {
  return [...live].map((p) => p.pid ?? -1);
}
