/**
 * The generic named-section engine: turns a kind's data (package, section type, option mapping) into a
 * KindDriver over uci transactions (uci-transaction.ts) shared by the writes of one batching window
 * (uci-write-batcher.ts), reads shared the same way (uci-read-batcher.ts), and coalesced reloads (reloads.ts).
 *
 * Rules (DESIGN.md "Device rules → OpenWrt", openwrt-uci.md §2.5, §6):
 * - A managed section is always named. The name is the kind's explicit `name` input when it has one, otherwise
 *   derived from the identity by {@link deriveSectionName}. Never `@type[n]` or `cfgXXXXXX` (they shift).
 * - Create fails when the section exists, unless `ctx.adopt`: the adopted section's type and options (secret
 *   options excepted) are kept in the adoption record (`<id>#adopted=<record>`; the dynamic provider stores the
 *   record as a secret output, provider/core/adopted-id.ts) and shown in `adoptedOriginal`, and destroy restores them
 *   instead of deleting the section.
 * - A managed section owns all its options: undeclared options are read back (so they show as drift) and
 *   removed by update.
 * - Read returns undefined when the section is gone. Reads show committed config only (admin's pending
 *   changes in /tmp/.uci are not mixed in).
 * - Option names are uci's own, verbatim; lists are arrays. `show` prints a one-element list like a string
 *   (§2.2), so a one-element list and the same string compare equal.
 * Docs: https://openwrt.org/docs/guide-user/base-system/uci
 */
import { createHash } from "crypto";
import type { AdoptionPreview, AdoptionSpec, KindDriver, Observed, OpContext } from "../core/kind";
import { z } from "zod";
import { decodeAdoptedId, encodeAdoptedId } from "../core/adopted-id";
import { deviceOpError } from "../core/errors";
import { uciName, uciPackage, uciType, type UciCommand } from "./codec";
import { deleteFile, readFile, writeFileAtomic, writeSymlink } from "./files";
import type { ReloadService } from "./reloads";
import { openwrtSettings } from "./settings";
import type { UciOwnership } from "./uci-transaction";
import { readUciPackageBatched } from "./uci-read-batcher";
import { armOpenwrtLockoutGuard, confirmOpenwrtLockoutGuard } from "./lockout-guard";
import { submitUciWrite } from "./uci-write-batcher";
import { findSection, sameUciValue, type UciShowSection, type UciValue } from "./uci-show-parser";

export type UciOptions = Record<string, UciValue>;

/**
 * Adoption of every uci kind: by section name; destroy restores the adopted type and options. Anonymous sections
 * cannot be adopted: their `@type[n]` / `cfgXXXXXX` names shift (DESIGN.md "Device rules"), and naming one is a
 * write adopt must not make; name it first (`uci rename <package>.<cfgXXXXXX>=<name>`, openwrt-uci.md §2.5, which
 * checks nothing, so pick an unused name), then adopt it by that name.
 */
export const SECTION_ADOPTION: AdoptionSpec = {
  naturalKey: [],
  onDestroy: "restore",
  note: "the uci section name (`name`, or the one derived from the identity); anonymous sections cannot be adopted (name them first, docs/existing-routers-adopt.md)",
};

/** A file that belongs to a resource besides its section (e.g. an init script and its rc.d link). */
export type ManagedFile = { path: string; content: string; mode: number } | { path: string; symlinkTo: string };

/** What a kind declares; everything else is the engine's. */
export interface SectionKindSpec<I extends object> {
  /** Package of the section, e.g. `network`. */
  package(inputs: I): string;
  /** Section type, e.g. `interface`. */
  type(inputs: I): string;
  /** Explicit section name, or undefined to derive it from the identity. */
  sectionName?(inputs: I): string | undefined;
  /** Declared options, uci names verbatim, lists as arrays. Missing / empty values mean "absent". */
  toOptions(inputs: I): Record<string, UciValue | undefined>;
  /** Inputs from the section as read. `last` supplies what uci does not hold; secret fields take device values. */
  fromSection(section: { type: string; options: UciOptions }, last: I): I;
  /** uci option names that hold secrets (never in outputs, errors, the preview or the adopted snapshot). */
  secretOptions?: readonly string[];
  /** Further secret options that depend on the inputs (UciSection: conventional names and its `secretOptions`). */
  isSecretOption?(option: string, inputs: I): boolean;
  /** Services reloaded (once per burst) after a change. */
  services(inputs: I): readonly ReloadService[];
  /** Companion files, written after the section and removed on delete. */
  files?(inputs: I, sectionName: string, ctx: OpContext): ManagedFile[];
  /** Observed inputs when a companion file is missing or differs: the field that owns the files cleared. */
  onFileDrift?(inputs: I): I;
  /**
   * Why writing this section would clash with ANOTHER section of its package (e.g. a second fw4 zone of the same
   * `name`, often an anonymous one), or undefined. Checked under the device lock when create and update plan.
   */
  conflict?(inputs: I, others: readonly UciShowSection[]): string | undefined;
  /** Input field that holds the section type when the kind spans several (seeded by the importer). */
  typeField?: keyof I & string;
  /**
   * The package's one section of `type` (e.g. `system.@system[0]`, anonymous in OpenWrt's stock config), managed
   * in place: located by type, not by name, each time it is read or written (its `cfgXXXXXX` name is never stored,
   * §2.5); create always adopts it (its type and non-secret options are recorded whether or not `adopt` is set)
   * and fails when the package has none; destroy restores the recorded options and never deletes the section.
   * `sectionName` is not used.
   */
  singleton?: boolean;
}

const specs = new WeakMap<object, SectionKindSpec<object>>();

/** The spec behind a driver built by `sectionDriver` (for the importer, provider/import); else undefined. */
export function sectionSpecOf(driver: object): SectionKindSpec<object> | undefined {
  return specs.get(driver);
}

/** The section a resource manages, and what it adopted. Encoded in the resource id. */
export interface SectionRef {
  package: string;
  section: string;
  /** Present when the section existed and was adopted: its type and non-secret options at that time. */
  adopted?: { type: string; options: UciOptions };
}

/**
 * Section name from an identity `<project>/<stack>/<name>`: `rs_` + the resource name with every character
 * outside `[A-Za-z0-9_]` replaced by `_` (cut to 32) + `_` + the first 8 hex digits of SHA-256(identity).
 * E.g. `site/prod/wwan-zone` → `rs_wwan_zone_<8 hex>`. Deterministic, a valid uci name, and distinct for two
 * stacks sharing a router.
 */
export function deriveSectionName(identity: string): string {
  const last = identity
    .slice(identity.lastIndexOf("/") + 1)
    .replace(/[^A-Za-z0-9_]/g, "_")
    .slice(0, 32);
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 8);
  return `rs_${last}_${hash}`;
}

/** `network.wwan`, or `network.wwan#adopted=<base64url JSON>` for an adopted section (provider/core/adopted-id.ts). */
export function encodeSectionId(ref: SectionRef): string {
  const base = `${ref.package}.${ref.section}`;
  return ref.adopted ? encodeAdoptedId(base, ref.adopted) : base;
}

/** The shape of an adopted section's record: its type and (non-secret) options when it was taken over. */
const ADOPTED_SECTION = z.looseObject({
  type: z.string(),
  options: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
});

/**
 * The section of a resource id.
 * @throws AdoptedIdError for a malformed adoption record, Error for an id that is not `package.section`; neither
 *   quotes the record (it may hold what the section held).
 */
export function decodeSectionId(id: string): SectionRef {
  const { base, record } = decodeAdoptedId(id, ADOPTED_SECTION);
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+|@[A-Za-z0-9_-]+\[0\])$/.exec(base);
  if (!m) throw new Error(`"${base}" is not an OpenWrt section id (package.section)`);
  const ref: SectionRef = { package: m[1], section: m[2] };
  if (record) ref.adopted = record;
  return ref;
}

/** decodeSectionId for an operation: a malformed id fails it as `<label>: <op> failed: <why>`. */
function sectionRefOf(ctx: OpContext, op: string, id: string): SectionRef {
  try {
    return decodeSectionId(id);
  } catch (e) {
    throw deviceOpError(ctx, op, (e as Error).message);
  }
}

/** One write of a section engine operation (`write` below). */
interface SectionWrite {
  /** The operation, for errors and the transaction's label. */
  op: string;
  /** Services whose reload the write joins (reloads.ts). */
  services: readonly ReloadService[];
  pkg: string;
  section: string;
  /** The uci commands from the package as it is (and the section's recorded owner); planned again on a retry. */
  plan: (before: UciShowSection[], owner?: string) => UciCommand[];
  /** Which options are secret, and the secret values to redact from the command log and errors. */
  secrets: { isSecret: (o: string) => boolean; values: string[] };
  /** Runs after the commit (the companion files); true when it changed something, so the reload runs. */
  afterCommit: () => Promise<boolean>;
  /** The ownership record the transaction writes or clears (uci-transaction.ts UciOwnership). */
  ownership?: UciOwnership;
}

/** Options without absent values: undefined, "" (uci deletes it, §2.6) and [] are dropped. */
export function presentOptions(o: Record<string, UciValue | undefined>): UciOptions {
  const r: UciOptions = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    r[k] = v;
  }
  return r;
}

/**
 * Commands that turn `current` (undefined = no such section) into a section of `type` holding exactly
 * `desired`; options named in `keep` are left alone when not desired. Empty when nothing differs.
 */
export function convergeSection(
  pkg: string,
  section: string,
  type: string,
  current: UciShowSection | undefined,
  desired: UciOptions,
  keep: ReadonlySet<string> = new Set(),
): UciCommand[] {
  const cmds: UciCommand[] = [];
  const at = { package: pkg, section };
  if (!current || current.type !== type) cmds.push({ op: "set-section", ...at, type });
  for (const opt of Object.keys(current?.options ?? {})) {
    if (!(opt in desired) && !keep.has(opt)) cmds.push({ op: "delete-option", ...at, option: opt });
  }
  for (const [opt, v] of Object.entries(desired)) {
    uciName(opt, `options.${opt}`);
    const cur = current?.options[opt];
    if (sameUciValue(cur, v)) continue;
    if (typeof v === "string") {
      cmds.push({ op: "set", ...at, option: opt, value: v });
    } else {
      if (cur !== undefined) cmds.push({ op: "delete-option", ...at, option: opt });
      for (const el of v) cmds.push({ op: "add_list", ...at, option: opt, value: el });
    }
  }
  return cmds;
}

/** Builds the KindDriver for a section kind. */
export function sectionDriver<I extends object>(spec: SectionKindSpec<I>): KindDriver<I> {
  const driver = new SectionEngine(spec).driver();
  specs.set(driver, spec as unknown as SectionKindSpec<object>);
  return driver;
}

/** The values of the secret options, to redact from the command log and errors. */
function secretValues(options: UciOptions, isSecret: (o: string) => boolean): string[] {
  return Object.entries(options)
    .filter(([k]) => isSecret(k))
    .flatMap(([, v]) => (typeof v === "string" ? [v] : v));
}

/** The options without the secret ones (what an adoption record may hold). */
function withoutSecrets(options: UciOptions, isSecret: (o: string) => boolean): UciOptions {
  return Object.fromEntries(Object.entries(options).filter(([k]) => !isSecret(k)));
}

/**
 * One write: the uci change joins the device's next batched transaction (uci-write-batcher.ts) at once, and a
 * reload-coordinator entry waits for it and then writes the companion files, so the burst's reload waits for
 * both. The job is submitted outside the coordinator's per-device queue: inside it, each write would wait for the
 * previous one's transaction and no two could share a batch.
 */
function writeUnguarded(ctx: OpContext, w: SectionWrite): Promise<UciShowSection[]> {
  const s = openwrtSettings();
  const tx = submitUciWrite(
    ctx.transport,
    {
      packages: [w.pkg],
      sections: [`${w.pkg}.${w.section}`],
      plan: w.plan,
      secretOptions: w.secrets.isSecret,
      secrets: w.secrets.values,
      label: `${ctx.label}: ${w.op}`,
      ownership: w.ownership,
    },
    s.uci,
  );
  // Awaited by the coordinator entry below, possibly after it settles: not an unhandled rejection meanwhile.
  tx.catch(() => undefined);
  return s.coordinator.write(ctx.transport, w.services, async () => {
    const r = await tx;
    const filesChanged = await w.afterCommit();
    return { value: r.after, changed: r.committed || filesChanged };
  });
}

/** A write under the lock-out guard (lockout-guard.ts): armed before the uci job is submitted. */
async function write(ctx: OpContext, w: SectionWrite): Promise<UciShowSection[]> {
  const armed = await armOpenwrtLockoutGuard(ctx, w.pkg, w.section, w.services);
  return confirmOpenwrtLockoutGuard(ctx, armed, writeUnguarded(ctx, w));
}

async function syncFiles(ctx: OpContext, want: ManagedFile[], drop: ManagedFile[]): Promise<boolean> {
  let changed = false;
  // Links first: a link left without its target reads as absent (files.ts readFile), so removing the target
  // first and being cut before the link would orphan the link where read cannot see it.
  const dropOrder = [...drop.filter((f) => "symlinkTo" in f), ...drop.filter((f) => !("symlinkTo" in f))];
  for (const f of dropOrder) {
    if (want.some((w) => w.path === f.path)) continue;
    await deleteFile(ctx.transport, f.path);
    changed = true;
  }
  for (const f of want) {
    if (await fileMatches(ctx, f)) continue;
    if ("symlinkTo" in f) await writeSymlink(ctx.transport, f.path, f.symlinkTo);
    else await writeFileAtomic(ctx.transport, f.path, f.content, f.mode);
    changed = true;
  }
  return changed;
}

/** What one create works on. Its plan records what it decided in `ref.adopted` and `ownership.action`. */
interface CreateTarget {
  pkg: string;
  section: string;
  type: string;
  desired: UciOptions;
  ref: SectionRef;
  ownership: UciOwnership;
  isSecret: (o: string) => boolean;
}

/**
 * The operations of one section kind, handed out by {@link sectionDriver} as a KindDriver: create, preview, read,
 * update and delete, the plan each write runs under the device lock, and the steps they share.
 */
class SectionEngine<I extends object> {
  private readonly staticSecrets: ReadonlySet<string>;

  constructor(private readonly spec: SectionKindSpec<I>) {
    this.staticSecrets = new Set(spec.secretOptions ?? []);
  }

  /** The KindDriver: plain functions over this engine, so they work unbound. */
  driver(): KindDriver<I> {
    return {
      create: (ctx, inputs) => this.create(ctx, inputs),
      preview: (ctx, inputs) => this.preview(ctx, inputs),
      read: (ctx, id, last) => this.read(ctx, id, last),
      update: (ctx, id, olds, news) => this.update(ctx, id, olds, news),
      delete: (ctx, id, last) => this.delete(ctx, id, last),
    };
  }

  /** Whether an option of a section with these inputs holds a secret. */
  private secretIn(inputs: I): (option: string) => boolean {
    return (option) => this.staticSecrets.has(option) || this.spec.isSecretOption?.(option, inputs) === true;
  }

  /** The package, section name and type the inputs manage (validated as uci names). */
  private locate(ctx: OpContext, inputs: I) {
    const pkg = uciPackage(this.spec.package(inputs), "package");
    const type = uciType(this.spec.type(inputs), "type");
    // A singleton's section is found by type when planning (`find`); `@type[0]` only labels it in the id.
    const section = this.spec.singleton
      ? `@${type}[0]`
      : uciName(this.spec.sectionName?.(inputs) ?? deriveSectionName(ctx.identity), "name");
    return { pkg, section, type };
  }

  /**
   * The managed section in `sections`: by name, or for a singleton the package's first section of `type`, whatever
   * its name (`@system[0]` when anonymous, as whole-package `show` prints it, openwrt-uci.md §2.2).
   */
  private find(sections: readonly UciShowSection[], pkg: string, section: string, type: string) {
    return this.spec.singleton
      ? sections.find((s) => s.package === pkg && s.type === type)
      : findSection(sections as UciShowSection[], pkg, section);
  }

  /** Fails `op` when the kind's `conflict` finds a clash with another section of the package. */
  private checkConflict(
    ctx: OpContext,
    op: string,
    inputs: I,
    before: UciShowSection[],
    pkg: string,
    section: string,
  ): void {
    const why = this.spec.conflict?.(
      inputs,
      before.filter((s) => s.package === pkg && s.name !== section),
    );
    if (why) throw deviceOpError(ctx, op, why);
  }

  /** The observed inputs and outputs of the section as read (companion file drift included). */
  private async observe(ctx: OpContext, ref: SectionRef, s: UciShowSection, last: I): Promise<Observed<I>> {
    let inputs = this.spec.fromSection({ type: s.type, options: s.options }, last);
    if (this.spec.files && this.spec.onFileDrift) {
      for (const f of this.spec.files(last, ref.section, ctx)) {
        if (!(await fileMatches(ctx, f))) {
          inputs = this.spec.onFileDrift(inputs);
          break;
        }
      }
    }
    const outputs: Record<string, unknown> = {
      package: ref.package,
      section: ref.section,
      type: s.type,
      adopted: ref.adopted !== undefined,
    };
    if (ref.adopted) outputs.adoptedOriginal = ref.adopted;
    return { inputs, outputs };
  }

  async create(ctx: OpContext, inputs: I): Promise<{ id: string; observed: Observed<I> }> {
    const spec = this.spec;
    const { pkg, section, type } = this.locate(ctx, inputs);
    const desired = presentOptions(spec.toOptions(inputs));
    const ref: SectionRef = { package: pkg, section };
    const files = spec.files?.(inputs, section, ctx) ?? [];
    const ownership: UciOwnership = { name: `${pkg}.${section}`, identity: ctx.identity };
    const isSecret = this.secretIn(inputs);
    const target: CreateTarget = { pkg, section, type, desired, ref, ownership, isSecret };
    const after = await write(ctx, {
      op: "create",
      services: spec.services(inputs),
      pkg,
      section,
      plan: (before, owner) => this.planCreate(ctx, inputs, target, before, owner),
      secrets: { isSecret, values: secretValues(desired, isSecret) },
      afterCommit: () => syncFiles(ctx, files, []),
      ownership: spec.singleton ? undefined : ownership,
    });
    const s = this.find(after, pkg, section, type);
    if (!s) throw deviceOpError(ctx, "create", `${pkg}.${section} is missing after commit`);
    return { id: encodeSectionId(ref), observed: await this.observe(ctx, ref, s, inputs) };
  }

  /** Create's plan, under the device lock: make the section, take over ours, adopt it, or refuse it. */
  private planCreate(
    ctx: OpContext,
    inputs: I,
    t: CreateTarget,
    before: UciShowSection[],
    owner: string | undefined,
  ): UciCommand[] {
    // A deferred job is planned again (uci-transaction.ts): start from nothing decided.
    delete t.ref.adopted;
    delete t.ownership.action;
    const cur = this.find(before, t.pkg, t.section, t.type);
    if (this.spec.singleton) return this.planSingletonCreate(ctx, t, cur);
    // A section whose ownership record names this identity was committed by an earlier create of this very
    // resource whose reply was lost (uci-transaction.ts UciOwnership): it is ours, not an adoption, so it is
    // converged and deleted on destroy like any section we create.
    const ours = cur !== undefined && owner === ctx.identity;
    if (cur && !ctx.adopt && !ours) {
      throw deviceOpError(
        ctx,
        "create",
        `uci section ${t.pkg}.${t.section} already exists (type ${cur.type}); set adopt: true to take it over`,
      );
    }
    this.checkConflict(ctx, "create", inputs, before, t.pkg, t.section);
    if (cur && !ours) t.ref.adopted = { type: cur.type, options: withoutSecrets(cur.options, t.isSecret) };
    else t.ownership.action = "own";
    return convergeSection(t.pkg, t.section, t.type, cur, t.desired);
  }

  /** A singleton's create: always adopts the package's section of its type, which must exist. */
  private planSingletonCreate(ctx: OpContext, t: CreateTarget, cur: UciShowSection | undefined): UciCommand[] {
    if (!cur) {
      throw deviceOpError(
        ctx,
        "create",
        `/etc/config/${t.pkg} holds no ${t.type} section to manage (it is managed in place, never created)`,
      );
    }
    t.ref.adopted = { type: cur.type, options: withoutSecrets(cur.options, t.isSecret) };
    return convergeSection(t.pkg, cur.name, t.type, cur, t.desired);
  }

  /** What create with adopt would change on the named section, option by option (uci names); read-only. */
  async preview(ctx: OpContext, inputs: I): Promise<AdoptionPreview> {
    const { pkg, section, type } = this.locate(ctx, inputs);
    const cur = this.find(await readUciPackageBatched(ctx.transport, pkg, openwrtSettings().uci), pkg, section, type);
    if (!cur) return { found: false, changes: {} };
    const desired = presentOptions(this.spec.toOptions(inputs));
    const changes: Record<string, string> = {};
    if (cur.type !== type) changes[".type"] = `${cur.type} → ${type}`;
    const isSecret = this.secretIn(inputs);
    const show = (o: string, v: UciValue | undefined) =>
      v === undefined ? "(unset)" : isSecret(o) ? "(secret)" : Array.isArray(v) ? v.join(" ") : v;
    for (const o of new Set([...Object.keys(cur.options), ...Object.keys(desired)])) {
      const have = cur.options[o];
      const want = desired[o];
      if (have !== undefined && want !== undefined && sameUciValue(have, want)) continue;
      changes[o] = `${show(o, have)} → ${show(o, want)}`;
    }
    return { found: `${pkg}.${cur.name}`, changes };
  }

  async read(ctx: OpContext, id: string, last: I): Promise<{ id: string; observed: Observed<I> } | undefined> {
    const ref = sectionRefOf(ctx, "read", id);
    const sections = await readUciPackageBatched(ctx.transport, ref.package, openwrtSettings().uci);
    const s = this.find(sections, ref.package, ref.section, uciType(this.spec.type(last), "type"));
    if (!s) return this.readLeftFiles(ctx, id, ref, last);
    return { id, observed: await this.observe(ctx, ref, s, last) };
  }

  /**
   * Read of a resource whose section is gone. A companion file may be left (a delete cut after its commit, before
   * the files were removed): then the resource is not gone — reporting it gone would drop it from state and orphan
   * the files. It reads as drifted instead, so the next up deletes (or re-creates) it completely. Else undefined.
   */
  private async readLeftFiles(
    ctx: OpContext,
    id: string,
    ref: SectionRef,
    last: I,
  ): Promise<{ id: string; observed: Observed<I> } | undefined> {
    for (const f of this.spec.files?.(last, ref.section, ctx) ?? []) {
      if ((await readFile(ctx.transport, f.path)).exists) {
        return {
          id,
          observed: {
            inputs: { ...last, sectionMissingOnDevice: true } as I,
            outputs: { package: ref.package, section: ref.section },
          },
        };
      }
    }
    return undefined;
  }

  async update(ctx: OpContext, id: string, olds: I, news: I): Promise<{ id: string; observed: Observed<I> }> {
    const spec = this.spec;
    const ref = sectionRefOf(ctx, "update", id);
    const { pkg, section, type } = this.locate(ctx, news);
    if (pkg !== ref.package || section !== ref.section) {
      throw deviceOpError(
        ctx,
        "update",
        `the section moved from ${ref.package}.${ref.section} to ${pkg}.${section}; that needs a replace`,
      );
    }
    const desired = presentOptions(spec.toOptions(news));
    const files = spec.files?.(news, section, ctx) ?? [];
    const oldFiles = spec.files?.(olds, section, ctx) ?? [];
    const after = await write(ctx, {
      op: "update",
      services: spec.services(news),
      pkg,
      section,
      plan: (before) => this.planUpdate(ctx, news, before, { pkg, section, type }, desired),
      secrets: { isSecret: this.secretIn(news), values: secretValues(desired, this.secretIn(news)) },
      afterCommit: () => syncFiles(ctx, files, oldFiles),
    });
    const s = this.find(after, pkg, section, type);
    if (!s) throw deviceOpError(ctx, "update", `${pkg}.${section} is missing after commit`);
    return { id, observed: await this.observe(ctx, ref, s, news) };
  }

  /** Update's plan, under the device lock: converge the section (a singleton's must still exist). */
  private planUpdate(
    ctx: OpContext,
    news: I,
    before: UciShowSection[],
    at: { pkg: string; section: string; type: string },
    desired: UciOptions,
  ): UciCommand[] {
    const { pkg, section, type } = at;
    this.checkConflict(ctx, "update", news, before, pkg, section);
    const cur = this.find(before, pkg, section, type);
    if (this.spec.singleton && !cur) {
      throw deviceOpError(ctx, "update", `/etc/config/${pkg} holds no ${type} section any more`);
    }
    return convergeSection(pkg, cur?.name ?? section, type, cur, desired);
  }

  async delete(ctx: OpContext, id: string, last: I): Promise<void> {
    const ref = sectionRefOf(ctx, "delete", id);
    const files = this.spec.files?.(last, ref.section, ctx) ?? [];
    const ownership: UciOwnership = {
      name: `${ref.package}.${ref.section}`,
      identity: ctx.identity,
      action: "disown",
    };
    const isSecret = this.secretIn(last);
    await write(ctx, {
      op: "delete",
      services: this.spec.services(last),
      pkg: ref.package,
      section: ref.section,
      plan: (before) => this.planDelete(ref, last, before, isSecret),
      secrets: { isSecret, values: [] },
      afterCommit: () => syncFiles(ctx, [], files),
      ownership: ref.adopted || this.spec.singleton ? undefined : ownership,
    });
  }

  /** Delete's plan, under the device lock: restore an adopted section, else delete the section if it is there. */
  private planDelete(
    ref: SectionRef,
    last: I,
    before: UciShowSection[],
    isSecret: (o: string) => boolean,
  ): UciCommand[] {
    const cur = this.find(before, ref.package, ref.section, uciType(this.spec.type(last), "type"));
    // A singleton that is gone is not re-created (only its options are ever written).
    if (this.spec.singleton && !cur) return [];
    if (ref.adopted) {
      // Restore what was adopted; secret options were never recorded, so they are left as they are.
      const keep = new Set(Object.keys(cur?.options ?? {}).filter(isSecret));
      return convergeSection(ref.package, cur?.name ?? ref.section, ref.adopted.type, cur, ref.adopted.options, keep);
    }
    return cur ? [{ op: "delete-section", package: ref.package, section: ref.section }] : [];
  }
}

async function fileMatches(ctx: OpContext, f: ManagedFile): Promise<boolean> {
  const st = await readFile(ctx.transport, f.path);
  if (!st.exists) return false;
  if ("symlinkTo" in f) return st.symlinkTarget === f.symlinkTo;
  return st.symlinkTarget === undefined && st.content === f.content && st.mode === f.mode;
}

/** One row of an option table: input field ↔ uci option (verbatim), with optional value conversion. */
export interface OptionField<I> {
  field: keyof I & string;
  option: string;
  /** Value shape; default `string`. `int` ↔ decimal text, `bool` ↔ `1`/`0`, `list` ↔ uci list. */
  as?: "string" | "int" | "bool" | "list";
  /** Input value → uci value, overriding `as`. */
  encode?(value: unknown, inputs: I): UciValue | undefined;
  /** uci value → input value, overriding `as`. A value that does not convert is returned as read (drift). */
  decode?(value: UciValue, last: I): unknown;
}

/**
 * toOptions/fromSection for a kind whose fields map one-to-one onto options. Options that no row names go to
 * the input field `extraField` (a `Record<string, string | string[]>`), so undeclared options show as drift.
 */
export function optionTable<I extends object>(
  rows: readonly OptionField<I>[],
  extraField: keyof I & string,
): Pick<SectionKindSpec<I>, "toOptions" | "fromSection"> {
  const byOption = new Map(rows.map((r) => [r.option, r]));
  return {
    toOptions(inputs) {
      const out: Record<string, UciValue | undefined> = {
        ...((inputs as Record<string, unknown>)[extraField] as UciOptions | undefined),
      };
      for (const r of rows) {
        const v = (inputs as Record<string, unknown>)[r.field];
        out[r.option] = r.encode ? r.encode(v, inputs) : defaultEncode(v);
      }
      return out;
    },
    fromSection(section, last) {
      const out: Record<string, unknown> = { ...(last as Record<string, unknown>) };
      const extra: UciOptions = {};
      for (const r of rows) delete out[r.field];
      for (const [opt, v] of Object.entries(section.options)) {
        const r = byOption.get(opt);
        if (!r) extra[opt] = v;
        else out[r.field] = r.decode ? r.decode(v, last) : decodeAs(v, r.as ?? "string");
      }
      out[extraField] = extra;
      return out as I;
    },
  };
}

function defaultEncode(v: unknown): UciValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return v.map(String);
  return String(v);
}

function decodeAs(v: UciValue, as: "string" | "int" | "bool" | "list"): unknown {
  if (as === "list") return typeof v === "string" ? [v] : v;
  if (typeof v !== "string") return v;
  if (as === "int") return /^-?\d+$/.test(v) ? Number(v) : v;
  if (as === "bool") return v === "1" ? true : v === "0" ? false : v;
  return v;
}
