/**
 * Runs `/system/scheduler` jobs, so that a job armed over SSH really fires in the lab (the lock-out guard's revert
 * relies on it). The reference has no scheduler section; the timing model below is the manual's, and [I]:
 * - a job added without `start-time` starts "now": the emulator fills in `start-date`/`start-time` with the time
 *   of the add (UTC, the lab's device clock), and the job runs at start + interval, start + 2·interval, …; in the
 *   schedulerRunsAtOnce variation it runs at once (at start), then every interval; the add fills in the start
 *   and `next-run`, so a later command of the same line sees them, or in the schedulerAnchoredAtLineEnd
 *   variation the line's end does (cli.ts);
 * - a job with an explicit `start-date`/`start-time` runs at that moment, then every `interval`; with
 *   `interval=0` it runs once;
 * - `start-time=startup` runs at boot: the emulator never boots, so such a job never runs;
 * - `on-event` is either a script body or the name of a `/system/script`, whose `source` then runs;
 * - a disabled job does not run; policies are not enforced (every job may do everything);
 * - what a job changes is not in the SSH server's `writeLog` (that log counts what clients sent): see `runs`.
 *
 * The clock is injectable (`now`, milliseconds since the epoch): unit tests drive it and call `tick()`; the SSH
 * server (server.ts) calls `tick()` on a real 200 ms timer with the real clock.
 */
import { menuByPath } from "./menus";
import type { Interpreter } from "./interpreter";
import type { Item, RouterState } from "./state";

export interface SchedulerRun {
  name: string;
  at: number;
  /** What the job printed (errors included: a failing job still counts as run). */
  output: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

export class LabScheduler {
  /** Last run (or start) of each job, milliseconds; a job is due at `last + interval`. */
  private readonly last = new WeakMap<Item, { at: number; once: boolean }>();
  readonly runs: SchedulerRun[] = [];

  constructor(
    private readonly state: RouterState,
    private readonly interp: Interpreter,
    readonly now: () => number = Date.now,
    private readonly runsAtOnce = false,
  ) {}

  private jobs(): Item[] {
    return this.state.items(menuByPath("/system/scheduler")!);
  }

  /** Anchors jobs added since the last call (start-time left out = added now). Called after each write (cli.ts). */
  sync(): void {
    const now = this.now();
    for (const job of this.jobs()) {
      if (this.last.has(job)) continue;
      const t = job.props["start-time"];
      const d = job.props["start-date"];
      if (t === undefined) {
        const at = new Date(now);
        job.props["start-date"] = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
        job.props["start-time"] = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
        this.last.set(job, { at: now, once: this.runsAtOnce });
        continue;
      }
      if (t === "startup") continue;
      const start = Date.parse(`${typeof d === "string" ? d : new Date(now).toISOString().slice(0, 10)}T${String(t)}Z`);
      if (Number.isNaN(start)) continue;
      // An explicit start runs at the start itself, so the anchor is one interval before it.
      this.last.set(job, { at: start, once: true });
    }
    for (const job of this.jobs()) this.show(job);
  }

  /** Runs every due, enabled job once; returns the names run. */
  tick(): string[] {
    this.sync();
    const now = this.now();
    const ran: string[] = [];
    for (const job of [...this.jobs()]) {
      const when = this.nextRun(job);
      if (when === undefined || when > now || job.props.disabled === true) continue;
      const interval = Number(job.props.interval ?? 0) * 1000;
      const name = String(job.props.name);
      this.last.set(job, {
        at: interval > 0 ? Math.max(when, now - ((now - when) % interval)) : Infinity,
        once: false,
      });
      job.fixed = { ...job.fixed, "run-count": Number(job.fixed?.["run-count"] ?? 0) + 1 };
      const output = this.interp.run(this.body(String(job.props["on-event"] ?? "")));
      this.runs.push({ name, at: now, output });
      ran.push(name);
    }
    for (const job of this.jobs()) this.show(job);
    this.state.syncDynamic();
    return ran;
  }

  /** When the job runs next (ms), or undefined when it never will. */
  nextRun(job: Item): number | undefined {
    const l = this.last.get(job);
    if (!l || l.at === Infinity) return undefined;
    if (l.once) return l.at;
    const interval = Number(job.props.interval ?? 0) * 1000;
    return interval > 0 ? l.at + interval : undefined;
  }

  private body(onEvent: string): string {
    const script = this.state.items(menuByPath("/system/script")!).find((s) => s.props.name === onEvent);
    return script ? String(script.props.source ?? "") : onEvent;
  }

  private show(job: Item): void {
    const next = this.nextRun(job);
    const fixed: Record<string, string | number> = {
      owner: "admin",
      "run-count": Number(job.fixed?.["run-count"] ?? 0),
    };
    if (next !== undefined) fixed["next-run"] = new Date(next).toISOString().replace("T", " ").slice(0, 19);
    job.fixed = fixed;
  }
}
