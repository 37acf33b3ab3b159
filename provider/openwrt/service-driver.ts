/**
 * KindDriver of `Service` (provider/resources/openwrt/service.ts): an existing `/etc/init.d/<name>` script,
 * driven only through its rc.common actions [D https://openwrt.org/docs/guide-user/base-system/managing_services]:
 * `enable`/`disable` (the /etc/rc.d S/K links), `enabled` (exit status), `start`/`stop`, `running` (exit status;
 * rc.common's procd helper [I: present for procd services on 23.05, not in the reference]) and `reload`.
 *
 * - The script is not ours (a package installs it): create records whether it was enabled and running, in the
 *   resource id, and destroy puts exactly those back; nothing else is touched.
 * - `reload` runs through the per-device reload coordinator (reloads.ts), so it is coalesced with the other
 *   OpenWrt writes of the same burst and journaled by the lab's init stand-ins like the network/firewall reloads.
 */
import { asDeviceOpError, deviceOpError } from "../core/errors";
import type { KindDriver, Observed, OpContext } from "../core/kind";
import { shQuote } from "./codec";
import { initScriptReload } from "./reloads";
import { openwrtSettings } from "./settings";

export interface ServiceInputs {
  name: string;
  enabled: boolean;
  /** Unset: whether it runs is not managed. */
  running?: boolean;
  reloadOn: string[];
}

type Result = { id: string; observed: Observed<ServiceInputs> };
interface State {
  enabled: boolean;
  running: boolean;
}

function encodeId(name: string, before: State): string {
  return `service:${name}#enabled=${before.enabled ? 1 : 0},running=${before.running ? 1 : 0}`;
}

function decodeId(id: string): { name: string; before: State } {
  const m = /^service:([A-Za-z0-9_.-]+)#enabled=([01]),running=([01])$/.exec(id);
  if (!m) throw new Error(`"${id}" is not a Service id (service:<name>#enabled=…,running=…)`);
  return { name: m[1], before: { enabled: m[2] === "1", running: m[3] === "1" } };
}

export class ServiceDriver implements KindDriver<ServiceInputs> {
  async create(ctx: OpContext, inputs: ServiceInputs): Promise<Result> {
    const before = await this.state(ctx, "create", inputs.name);
    if (!before)
      throw deviceOpError(
        ctx,
        "create",
        `${this.script(inputs.name)} does not exist or is not executable (install its package first)`,
      );
    // A running service may still hold the configuration from before this `up` wrote its files: reload it
    // when the program ties it to something (it cannot know whether those changed just now).
    const reload = inputs.reloadOn.length > 0;
    const id = encodeId(inputs.name, before);
    return { id, observed: await this.converge(ctx, "create", before, inputs, reload) };
  }

  async read(ctx: OpContext, id: string, last: ServiceInputs): Promise<Result | undefined> {
    const { name } = decodeId(id);
    const st = await this.state(ctx, "read", name);
    return st && { id, observed: this.observed(st, last) };
  }

  async update(ctx: OpContext, id: string, olds: ServiceInputs, news: ServiceInputs): Promise<Result> {
    const st = await this.state(ctx, "update", news.name);
    if (!st) throw deviceOpError(ctx, "update", `${this.script(news.name)} is gone`);
    const reload = JSON.stringify(olds.reloadOn) !== JSON.stringify(news.reloadOn);
    return { id, observed: await this.converge(ctx, "update", st, news, reload) };
  }

  async delete(ctx: OpContext, id: string, last: ServiceInputs): Promise<void> {
    const { name, before } = decodeId(id);
    const st = await this.state(ctx, "delete", name);
    if (!st) return;
    const actions: string[] = [];
    if (st.enabled !== before.enabled) actions.push(before.enabled ? "enable" : "disable");
    if (last.running !== undefined && st.running !== before.running) actions.push(before.running ? "start" : "stop");
    for (const a of actions) await this.action(ctx, "delete", name, a);
  }

  /** Enables/disables and starts/stops as declared; reloads (coalesced) when asked and the service kept running. */
  private async converge(
    ctx: OpContext,
    op: string,
    have: State,
    want: ServiceInputs,
    reload: boolean,
  ): Promise<Observed<ServiceInputs>> {
    const s = openwrtSettings();
    const actions: string[] = [];
    if (have.enabled !== want.enabled) actions.push(want.enabled ? "enable" : "disable");
    if (want.running !== undefined && have.running !== want.running) actions.push(want.running ? "start" : "stop");
    // A service just started reads its configuration now; a stopped one has nothing to reload.
    const needsReload = reload && have.running && want.running !== false;
    const services = needsReload ? [initScriptReload(want.name, s.initDir)] : [];
    await s.coordinator
      .write(ctx.transport, services, async () => {
        for (const a of actions) await this.action(ctx, op, want.name, a);
        return { value: undefined, changed: needsReload };
      })
      .catch((e: Error) => {
        throw asDeviceOpError(ctx, op, e);
      });
    const after = await this.state(ctx, op, want.name);
    if (!after) throw deviceOpError(ctx, op, `${this.script(want.name)} disappeared`);
    return this.observed(after, want);
  }

  private observed(st: State, declared: ServiceInputs): Observed<ServiceInputs> {
    const inputs: ServiceInputs = { name: declared.name, enabled: st.enabled, reloadOn: declared.reloadOn };
    if (declared.running !== undefined) inputs.running = st.running;
    return { inputs, outputs: { running: st.running } };
  }

  private script(name: string): string {
    return `${openwrtSettings().initDir}/${name}`;
  }

  /** Enabled/running as the script reports them; `undefined` when there is no such script. */
  private async state(ctx: OpContext, op: string, name: string): Promise<State | undefined> {
    const s = shQuote(this.script(name), "name");
    const script = [
      `[ -x ${s} ] || { echo absent; exit 0; }`,
      `if ${s} enabled >/dev/null 2>&1; then echo enabled=1; else echo enabled=0; fi`,
      `if ${s} running >/dev/null 2>&1; then echo running=1; else echo running=0; fi`,
    ].join("\n");
    const r = await ctx.transport.exec(script);
    const out = r.stdout.trim();
    if (r.code !== 0)
      throw deviceOpError(ctx, op, `reading the state of ${name} failed: ${(r.stderr.trim() || out).slice(0, 500)}`);
    if (out === "absent") return undefined;
    const m = /^enabled=([01])\nrunning=([01])$/.exec(out);
    if (!m)
      throw deviceOpError(
        ctx,
        op,
        `unexpected output reading the state of ${name}: ${JSON.stringify(out.slice(0, 200))}`,
      );
    return { enabled: m[1] === "1", running: m[2] === "1" };
  }

  private async action(ctx: OpContext, op: string, name: string, action: string): Promise<void> {
    const r = await ctx.transport.exec(`${shQuote(this.script(name), "name")} ${action}`);
    if (r.code !== 0) {
      const msg = (r.stderr.trim() || r.stdout.trim()).slice(0, 500);
      throw deviceOpError(ctx, op, `/etc/init.d/${name} ${action} exited ${r.code ?? "without status"}: ${msg}`, msg);
    }
  }
}
