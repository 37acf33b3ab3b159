/**
 * Helpers for the reliability e2e tests (concurrency, shared routers, secrets, host keys): several stacks of the
 * test program against one lab, each with its own state file, run with any `parallel`, and device-side views
 * (uci sections, tagged RouterOS items, reloads) to count from.
 *
 * Each stack gets its own copy of the test program in the lab's temporary directory (with `node_modules` linked
 * to the repository's), so the stack files the engine creates (`encryptionsalt`) never land in the checkout.
 */
import * as fs from "fs";
import * as path from "path";
import { runEngine, type EngineOp, type EngineResult } from "../engine";
import type { Lab } from "../lab/lab";
import type { ReloadRecord } from "../lab/openwrt/host";
import { PASSPHRASE, PROGRAM_DIR, PROGRAM_ENV, type ResourceSpec } from "./harness";

export const PROJECT = "routerstack-e2e";
const REPO = path.resolve(__dirname, "..", "..");

/** A copy of tests/e2e/program under `dir` (idempotent); returns its path. */
export function programCopy(dir: string): string {
  const out = path.join(dir, "program");
  if (fs.existsSync(path.join(out, "Pulumi.yaml"))) return out;
  fs.mkdirSync(out, { recursive: true });
  for (const f of ["Pulumi.yaml", "index.ts", "package.json"])
    fs.copyFileSync(path.join(PROGRAM_DIR, f), path.join(out, f));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(out, "node_modules"), "dir");
  return out;
}

export interface StackRunOptions {
  refresh?: boolean;
  parallel?: number;
  /** Replaces the lab's `routerstack:devices` value. */
  devices?: Record<string, Record<string, unknown>>;
  timeoutSeconds?: number;
}

/** One stack of the test program against the lab: `<project>/<stack>/<name>` identities, its own state file. */
export class Stack {
  readonly programDir: string;
  readonly stateFile: string;
  readonly results: EngineResult[] = [];
  /** State file text after each run. */
  readonly states: string[] = [];

  constructor(
    private readonly lab: Lab,
    readonly stack: string,
  ) {
    this.programDir = programCopy(lab.dir);
    this.stateFile = path.join(lab.dir, `state-${stack}.json`);
  }

  identity(name: string): string {
    return `${PROJECT}/${this.stack}/${name}`;
  }

  /** The RouterOS comment tag of `name`. */
  tag(name: string): string {
    return `rs:${this.identity(name)}`;
  }

  stackFile(): string {
    return path.join(this.programDir, `Pulumi.${this.stack}.yaml`);
  }

  async run(op: EngineOp, resources: ResourceSpec[], opts: StackRunOptions = {}): Promise<EngineResult> {
    const r = await runEngine(op, {
      programDir: this.programDir,
      stack: this.stack,
      stateFile: this.stateFile,
      refresh: opts.refresh,
      parallel: opts.parallel,
      timeoutSeconds: opts.timeoutSeconds ?? 600,
      passphrase: PASSPHRASE,
      env: PROGRAM_ENV,
      configOverrides: { "routerstack:devices": opts.devices ?? this.lab.devices, "test:resources": resources },
    });
    this.results.push(r);
    if (fs.existsSync(this.stateFile)) this.states.push(fs.readFileSync(this.stateFile, "utf8"));
    return r;
  }

  async ok(op: EngineOp, resources: ResourceSpec[], opts: StackRunOptions = {}): Promise<EngineResult> {
    const r = await this.run(op, resources, opts);
    if (!r.ok)
      throw new Error(`${this.stack}: ${op} failed:\n${r.errors.slice(0, 10).join("\n")}\n${r.log.slice(-3000)}`);
    return r;
  }
}

export const changes = (r: EngineResult) => ({
  create: r.counts.create,
  update: r.counts.update,
  replace: r.counts.replace,
  delete: r.counts.delete,
});

/** Runs a command in the OpenWrt lab host; throws on a non-zero exit. */
export async function sh(lab: Lab, cmd: string): Promise<string> {
  const r = await lab.dlink.exec(cmd);
  if (r.code !== 0) throw new Error(`lab command failed (${r.code}): ${cmd}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** `uci show <pkg>` of the committed package, parsed into section → {".type", option → value}. */
export interface ShownSection {
  type: string;
  options: Record<string, string>;
}

/**
 * Parses `uci show` output (`pkg.sec=type`, `pkg.sec.opt='v'`, lists as `'a' 'b'`). Values are kept as uci prints
 * them (quoted), which is enough to compare.
 */
export function parseShow(text: string): Map<string, ShownSection> {
  const out = new Map<string, ShownSection>();
  for (const line of text.split("\n")) {
    if (!line) continue;
    const m = /^([^.=]+)\.([^.=]+)(?:\.([^=]+))?=(.*)$/.exec(line);
    if (!m) throw new Error(`unparsable uci show line: ${line}`);
    const [, , sec, opt, val] = m;
    if (opt === undefined) out.set(sec, { type: val, options: {} });
    else {
      const s = out.get(sec);
      if (!s) throw new Error(`option before its section: ${line}`);
      s.options[opt] = val;
    }
  }
  return out;
}

/** The committed package as `uci show` prints it (from /etc/config, not the default savedir). */
export async function committedShow(lab: Lab, pkg: string): Promise<string> {
  // A private savedir next to an empty delta path would still load /tmp/.uci (openwrt-uci.md §2.7), so show a
  // copy of the committed file under a name no delta file has.
  const alias = `rscheck${Date.now() % 1000000}`;
  return (
    await sh(
      lab,
      `D=$(mktemp -d) && cp /etc/config/${pkg} "$D/${alias}" && uci -c "$D" -t "$D/s" show ${alias}; rc=$?; rm -rf "$D"; exit $rc`,
    )
  )
    .split("\n")
    .map((l) => (l.startsWith(`${alias}.`) ? `${pkg}.${l.slice(alias.length + 1)}` : l))
    .join("\n");
}

export function readCommitted(lab: Lab, pkg: string): string {
  return fs.readFileSync(path.join(lab.dlink.rootDir, "etc", "config", pkg), "utf8");
}

/** RouterOS items of `menu` whose comment carries `tag` (exactly, or followed by a space and the user's comment). */
export function taggedItems(dump: Record<string, unknown[]>, menu: string, tag: string): Record<string, unknown>[] {
  return ((dump[menu] ?? []) as Record<string, unknown>[]).filter(
    (i) => typeof i.comment === "string" && (i.comment === tag || i.comment.startsWith(tag + " ")),
  );
}

/** Reload records added while `fn` ran. */
export async function reloadsDuring<T>(lab: Lab, fn: () => Promise<T>): Promise<{ value: T; reloads: ReloadRecord[] }> {
  const before = (await lab.dlink.reloads()).length;
  const value = await fn();
  const reloads = (await lab.dlink.reloads()).slice(before);
  return { value, reloads };
}

/** service → number of reload records. */
export function reloadCounts(reloads: ReloadRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of reloads) out[`${r.service} ${r.action}`] = (out[`${r.service} ${r.action}`] ?? 0) + 1;
  return out;
}

/** Prints one summary line (jest shows console.log with the test file). */
export function report(line: string): void {
  // eslint-disable-next-line no-console
  console.log(line);
}
