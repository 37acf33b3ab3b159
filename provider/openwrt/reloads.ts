/**
 * Coalesced service reloads per device (DESIGN.md "Device rules → OpenWrt").
 *
 * Writes to one device that start within `windowMs` (default 250 ms) of each other form a burst. Each write's
 * work (a uci transaction, a file write) runs as soon as it arrives, serialised per device; when no write has
 * started for `windowMs` while none of the burst's work is still running (or the burst is `maxBurstMs` old),
 * the burst closes and runs ONE reload per affected service, in first-seen order. A write's promise resolves only after
 * the reloads of the services it changed, and rejects with the first of those reloads' errors. A write that
 * changed nothing joins no reload (it still resolves when its burst ends); a write whose work failed rejects
 * at once and triggers no reload.
 * Why: each `/etc/init.d/network reload` restarts netifd's view of every interface; ten resources in one
 * `pulumi up` must not cause ten reloads. The Pulumi engine takes registrations one at a time (Check and Diff
 * in turn, docs/engine.md S1), so writes trickle in; while a transaction runs, the provider process is busy with
 * its SSH traffic and the next write can arrive later than `windowMs` after the previous one (404 ms was seen
 * on a loaded 2-CPU machine). Counting the quiet window only once the device's work has settled keeps such a
 * trickle in one burst.
 * Docs: https://openwrt.org/docs/guide-user/base-system/managing_services
 */
import type { DeviceTransport } from "../transport/types";
import { systemTimers, type Timers } from "../transport/timers";
import { DeviceError } from "../core/errors";
import { shQuote } from "./codec";

/** A service to reload once per burst. Services with equal `key` are the same reload. */
export interface ReloadService {
  key: string;
  run(transport: DeviceTransport): Promise<void>;
}

/** What a write's work reports: its value and whether it changed anything that needs the reload. */
export interface WorkOutcome<T> {
  value: T;
  changed: boolean;
}

export interface ReloadCoordinatorOptions {
  /** Burst window in milliseconds; default 250. */
  windowMs?: number;
  /** Upper bound of a burst's length in milliseconds; default 5000. */
  maxBurstMs?: number;
  /** Injectable clock for tests; default Node's timers. */
  timers?: Timers;
}

interface Entry {
  services: readonly ReloadService[];
  work: Promise<WorkOutcome<unknown>>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Burst {
  start: number;
  timer: unknown;
  entries: Entry[];
  /** entries whose work has not settled yet */
  running: number;
}

interface DeviceQueue {
  tail: Promise<void>;
  burst?: Burst;
  transport: DeviceTransport;
}

/** Serialises work per device and coalesces reloads in bursts (see the module comment). */
export class ReloadCoordinator {
  private readonly windowMs: number;
  private readonly maxBurstMs: number;
  private readonly timers: Timers;
  private readonly queues = new Map<string, DeviceQueue>();

  constructor(opts: ReloadCoordinatorOptions = {}) {
    this.windowMs = opts.windowMs ?? 250;
    this.maxBurstMs = opts.maxBurstMs ?? 5000;
    this.timers = opts.timers ?? systemTimers;
  }

  /**
   * Runs `work` in the device's queue, then waits for the burst's reloads of `services` (when `work` reports a
   * change). Resolves with the work's value.
   */
  write<T>(
    transport: DeviceTransport,
    services: readonly ReloadService[],
    work: () => Promise<WorkOutcome<T>>,
  ): Promise<T> {
    const q = this.queue(transport);
    const now = this.timers.now();
    let b = q.burst;
    if (b) this.timers.clearTimeout(b.timer);
    else {
      b = { start: now, timer: undefined, entries: [], running: 0 };
      q.burst = b;
    }
    const burst = b;
    this.arm(q, burst);
    return new Promise<T>((resolve, reject) => {
      const done = this.serial(q, work) as Promise<WorkOutcome<unknown>>;
      done.catch(reject);
      burst.running++;
      void done.then(
        () => this.settled(q, burst),
        () => this.settled(q, burst),
      );
      burst.entries.push({ services, work: done, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /** (Re)starts the quiet window, bounded by the burst's maximum length. */
  private arm(q: DeviceQueue, burst: Burst): void {
    const delay = Math.max(0, Math.min(this.windowMs, burst.start + this.maxBurstMs - this.timers.now()));
    burst.timer = this.timers.setTimeout(() => this.quiet(q, burst), delay);
  }

  /** The window passed with no new write: close, unless work is still running (then the window restarts after it). */
  private quiet(q: DeviceQueue, burst: Burst): void {
    burst.timer = undefined;
    if (burst.running === 0 || this.timers.now() - burst.start >= this.maxBurstMs) this.close(q, burst);
  }

  private settled(q: DeviceQueue, burst: Burst): void {
    burst.running--;
    // the window had passed while work ran: count it again from now
    if (burst.running === 0 && burst.timer === undefined && q.burst === burst) this.arm(q, burst);
  }

  /** Runs `fn` in the device's queue without joining a burst (reads that must not interleave with writes). */
  exclusive<T>(transport: DeviceTransport, fn: () => Promise<T>): Promise<T> {
    return this.serial(this.queue(transport), fn);
  }

  private queue(transport: DeviceTransport): DeviceQueue {
    const key = transport.spec.name;
    let q = this.queues.get(key);
    if (!q) {
      q = { tail: Promise.resolve(), transport };
      this.queues.set(key, q);
    }
    q.transport = transport;
    return q;
  }

  private serial<T>(q: DeviceQueue, fn: () => Promise<T>): Promise<T> {
    const run = q.tail.then(fn);
    q.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private close(q: DeviceQueue, burst: Burst): void {
    if (q.burst === burst) q.burst = undefined;
    // Queued after every work of this burst, so all of them have settled when it runs.
    void this.serial(q, async () => {
      const settled = await Promise.allSettled(burst.entries.map((e) => e.work));
      const order: ReloadService[] = [];
      burst.entries.forEach((e, k) => {
        const s = settled[k];
        if (s.status !== "fulfilled" || !s.value.changed) return;
        for (const svc of e.services) if (!order.some((o) => o.key === svc.key)) order.push(svc);
      });
      const errors = new Map<string, unknown>();
      for (const svc of order) {
        try {
          await svc.run(q.transport);
        } catch (err) {
          errors.set(svc.key, err);
        }
      }
      burst.entries.forEach((e, k) => {
        const s = settled[k];
        if (s.status !== "fulfilled") return; // already rejected
        const failed = s.value.changed ? e.services.find((svc) => errors.has(svc.key)) : undefined;
        if (failed) e.reject(errors.get(failed.key));
        else e.resolve(s.value.value);
      });
    });
  }
}

/**
 * `/etc/init.d/<service> reload` as a {@link ReloadService}; fails with the script's own output when it exits
 * non-zero. `initDir` defaults to `/etc/init.d`. With `ifInstalled`, a missing init script is no error: the
 * reload is skipped (for a daemon an image may leave out, e.g. odhcpd, which reads /etc/config/dhcp besides
 * dnsmasq).
 */
export function initScriptReload(
  service: string,
  initDir = "/etc/init.d",
  opts: { ifInstalled?: boolean } = {},
): ReloadService {
  const script = shQuote(`${initDir}/${service}`, "service");
  return {
    key: `init.d/${service}`,
    async run(transport) {
      const r = await transport.exec(
        opts.ifInstalled ? `if [ -e ${script} ]; then ${script} reload; fi` : `${script} reload`,
      );
      if (r.code !== 0) {
        const msg = (r.stderr.trim() || r.stdout.trim()).slice(0, 500);
        throw new DeviceError(
          `reload of ${service} on device "${transport.spec.name}" failed (exit ${r.code ?? "none"}): ${msg}`,
          msg,
        );
      }
    },
  };
}
