/**
 * KindDriver for resources that are one BIRD2 file: the main /etc/bird.conf (BirdConfig) or a protocol file
 * /etc/bird.d/<name>.conf. Writes go through bird.ts (device lock, `bird -p` check, restore on failure) and
 * `birdc configure` is coalesced per device by the reload coordinator.
 *
 * - Create fails when the file exists, unless `ctx.adopt`; an adopted file's previous content and mode are kept
 *   in the adoption record (`<id>#adopted=<record>`, stored by the dynamic provider as a secret output,
 *   provider/core/adopted-id.ts) and restored (with the same check) on destroy. That content is secret (it may hold a BGP
 *   `password`): it never goes to the command log. Unlike a RouterOS item or a uci section,
 *   adopting always rewrites the file: the rendered text starts with the resource's identity header, so it can
 *   never equal a file routerstack did not write.
 * - Read: a missing file is gone (undefined). BIRD text is not parsed back; when the file differs from what the
 *   last inputs render (a local edit), the observed inputs carry `fileEditedOnDevice: true`, a key no program
 *   sets, so the edit shows as drift and the next update rewrites the file.
 * Docs: https://bird.network.cz/?get_doc&v=20&f=bird-3.html
 */
import type { AdoptionPreview, AdoptionSpec, KindDriver, OpContext } from "../core/kind";
import { z } from "zod";
import { decodeAdoptedIdFor, encodeAdoptedId } from "../core/adopted-id";
import { asDeviceOpError, deviceOpError } from "../core/errors";
import { applyBirdFile, birdConfigureService, type BirdFileChange } from "./bird";
import { managedHeader } from "./bird-text";
import { deleteFile, readFile, writeFileAtomic } from "./files";
import { openwrtSettings, type OpenwrtSettings } from "./settings";

/** Mode of managed BIRD files: readable by the `bird` user the daemon drops to (openwrt-uci.md §4). */
export const BIRD_FILE_MODE = 0o644;

export interface BirdFileKindSpec<I> {
  /** Absolute path of the file for these inputs. */
  path(inputs: I, settings: OpenwrtSettings): string;
  /** The whole file content. */
  render(inputs: I, identity: string, settings: OpenwrtSettings): string;
  /** The main config: deleting it is not checked with `bird -p` and does not reconfigure (nothing left to load). */
  main?: boolean;
  /** A directory to create before the check (the main config's include directory). */
  ensureDir?(settings: OpenwrtSettings): string;
}

interface FileRef {
  path: string;
  adopted?: { content: string; mode: number };
}

/** `bird:<path>`, or `bird:<path>#adopted=<base64url JSON>` for an adopted file (provider/core/adopted-id.ts). */
function encodeId(ref: FileRef): string {
  const base = `bird:${ref.path}`;
  return ref.adopted ? encodeAdoptedId(base, ref.adopted) : base;
}

/** The shape of an adopted file's record: its content and mode when it was taken over. */
const ADOPTED_FILE = z.looseObject({ content: z.string(), mode: z.number() });

/** The file of a resource id; a malformed id fails the operation without quoting the record (it holds the file). */
function decodeId(ctx: OpContext, op: string, id: string): FileRef {
  const { base, record } = decodeAdoptedIdFor(ctx, op, id, ADOPTED_FILE);
  const m = /^bird:(\/[^#]+)$/.exec(base);
  if (!m) throw deviceOpError(ctx, op, `"${base}" is not a BIRD file id (bird:/path)`);
  return { path: m[1], adopted: record };
}

/** Where the original of an adopted file is kept until destroy restores it (not included by BIRD: no `.conf`). */
export function adoptedBackupPath(path: string): string {
  return `${path}.routerstack-adopted`;
}

/** Whether `content` is a file routerstack wrote for `identity` (its first line is the managed header). */
function isOwnFile(content: string, identity: string): boolean {
  return content.startsWith(managedHeader(identity));
}

async function guardedIo<T>(ctx: OpContext, op: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asDeviceOpError(ctx, op, e);
  }
}

/** Adoption of every BIRD file kind: by path; destroy restores the original content and mode. */
export const BIRD_FILE_ADOPTION: AdoptionSpec = {
  naturalKey: [],
  onDestroy: "restore",
  note: "the file path; adopting always rewrites the file (its identity header), the original is kept in the adoption record (a secret output) and a `.routerstack-adopted` copy",
};

/** The drivers built by birdFileDriver: their `observed` is `{ path, adopted, content }` (provider/resources/observed.ts). */
const birdFileDrivers = new WeakSet<object>();

export function isBirdFileDriver(driver: object): boolean {
  return birdFileDrivers.has(driver);
}

export function birdFileDriver<I extends object>(spec: BirdFileKindSpec<I>): KindDriver<I> {
  async function apply(ctx: OpContext, op: string, change: BirdFileChange, reload: boolean) {
    const s = openwrtSettings();
    return s.coordinator.write(ctx.transport, reload ? [birdConfigureService()] : [], async () => {
      const r = await applyBirdFile(ctx.transport, change, `${ctx.label}: ${op}`);
      return { value: r, changed: r.changed };
    });
  }

  function outputs(ref: FileRef, content: string) {
    const o: Record<string, unknown> = { path: ref.path, adopted: ref.adopted !== undefined, content };
    if (ref.adopted) o.adoptedOriginal = ref.adopted;
    return o;
  }

  const driver: KindDriver<I> = {
    /** What create with adopt would replace; read-only. The file is always rewritten (its identity header). */
    async preview(ctx, inputs): Promise<AdoptionPreview> {
      const s = openwrtSettings();
      const path = spec.path(inputs, s);
      const st = await readFile(ctx.transport, path);
      if (!st.exists) return { found: false, changes: {} };
      const want = spec.render(inputs, ctx.identity, s);
      const changes: Record<string, string> = {};
      const lines = (t: string) => t.split("\n").length;
      if (st.symlinkTarget !== undefined)
        changes.content = `symlink to ${st.symlinkTarget} → file of ${lines(want)} lines`;
      else if (st.content !== want) changes.content = `${lines(st.content)} lines → ${lines(want)} lines`;
      if (st.mode !== BIRD_FILE_MODE) changes.mode = `${st.mode.toString(8)} → ${BIRD_FILE_MODE.toString(8)}`;
      return { found: path, changes };
    },

    async create(ctx, inputs) {
      const s = openwrtSettings();
      const ref: FileRef = { path: spec.path(inputs, s) };
      const content = spec.render(inputs, ctx.identity, s);
      const change: BirdFileChange = {
        path: ref.path,
        content,
        mode: BIRD_FILE_MODE,
        mustBeAbsent: !ctx.adopt,
        ensureDir: spec.ensureDir?.(s),
      };
      const backup = adoptedBackupPath(ref.path);
      if (ctx.adopt) {
        // Keep the file being adopted on the device until the resource is in state: a create whose write ran
        // but whose reply was lost would otherwise lose the original (the retry would "adopt" our own file).
        const st = await guardedIo(ctx, "create", () => readFile(ctx.transport, ref.path));
        if (st.exists && st.symlinkTarget === undefined && !isOwnFile(st.content, ctx.identity)) {
          // The original may hold a password (`password "…"` of a BGP peer): secret, kept out of the command log.
          await guardedIo(ctx, "create", () =>
            writeFileAtomic(ctx.transport, backup, st.content, st.mode, { secrets: [st.content] }),
          );
        }
      }
      let r = await apply(ctx, "create", change, true);
      if (r.existed && r.previous && isOwnFile(r.previous.content, ctx.identity)) {
        // The file carries this resource's own identity header: an earlier create of this resource wrote it and
        // its reply was lost, so Pulumi's state does not record it. It is ours, not someone else's file to adopt.
        r = await apply(ctx, "create", { ...change, mustBeAbsent: false }, true);
        r = { ...r, previous: undefined };
      }
      if (r.existed)
        throw deviceOpError(
          ctx,
          "create",
          `${ref.path} already exists; set adopt: true to take it over (it is restored on destroy)`,
        );
      if (r.previous && ctx.adopt && isOwnFile(r.previous.content, ctx.identity)) {
        // Adopting our own file means an earlier adopt-create was interrupted: the original is in the backup.
        const b = await guardedIo(ctx, "create", () => readFile(ctx.transport, backup));
        ref.adopted = b.exists ? { content: b.content, mode: b.mode } : r.previous;
      } else if (r.previous) {
        ref.adopted = r.previous;
      }
      return { id: encodeId(ref), observed: { inputs, outputs: outputs(ref, content) } };
    },

    async read(ctx, id, last) {
      const ref = decodeId(ctx, "read", id);
      const st = await readFile(ctx.transport, ref.path);
      if (!st.exists) return undefined;
      const want = spec.render(last, ctx.identity, openwrtSettings());
      const same = st.symlinkTarget === undefined && st.content === want && st.mode === BIRD_FILE_MODE;
      const inputs = same ? last : ({ ...last, fileEditedOnDevice: true } as I);
      return { id, observed: { inputs, outputs: outputs(ref, st.content) } };
    },

    async update(ctx, id, _olds, news) {
      const ref = decodeId(ctx, "update", id);
      const s = openwrtSettings();
      if (spec.path(news, s) !== ref.path)
        throw deviceOpError(ctx, "update", `the file moved from ${ref.path}; that needs a replace`);
      const content = spec.render(news, ctx.identity, s);
      await apply(
        ctx,
        "update",
        { path: ref.path, content, mode: BIRD_FILE_MODE, ensureDir: spec.ensureDir?.(s) },
        true,
      );
      return { id, observed: { inputs: news, outputs: outputs(ref, content) } };
    },

    async delete(ctx, id) {
      const ref = decodeId(ctx, "delete", id);
      if (ref.adopted) {
        await apply(
          ctx,
          "delete",
          { path: ref.path, content: ref.adopted.content, mode: ref.adopted.mode, secretContent: true },
          true,
        );
        await guardedIo(ctx, "delete", () => deleteFile(ctx.transport, adoptedBackupPath(ref.path)));
      } else {
        await apply(ctx, "delete", { path: ref.path, content: undefined, skipCheck: spec.main }, !spec.main);
      }
    },
  };
  birdFileDrivers.add(driver);
  return driver;
}
