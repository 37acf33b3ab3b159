/**
 * KindDriver of `RemoteFile` (provider/resources/openwrt/remote-file.ts): one text file, written atomically
 * (files.ts: temp file in the same directory, chmod/chown, rename) with its content on stdin, never on a command
 * line or in a log or error.
 *
 * - Create refuses an existing path unless `ctx.adopt`. Adopting a file that already holds the declared content,
 *   mode and (when declared) owner writes nothing: the id records it (`file:<path>#adopted-unchanged`, no
 *   content: ids are not secret), and the original is copied only at the first update that writes the file,
 *   from the old declared values (`olds`, which equalled the device's file at adoption), not from the device.
 *   Adopting a file that differs first copies the original (content, mode, owner: `cp -p`) and then writes
 *   (id `file:<path>#adopted`). The copy is a dot-file next to the file, `.<name>.routerstack-adopted`; destroy
 *   renames it back over the path, so the restore is atomic too; with no copy (adopted unchanged and never
 *   written) destroy leaves the file as it is. The copy stays on the device, not in state, because content may
 *   be secret. A dot-file is skipped by the `*` globs of hotplug.d, rc.d, bird.d and the like [I: a daemon that
 *   reads every entry of its directory would see it]. A copy already there is never overwritten: it is the
 *   original of an interrupted adopt or update of this path.
 * - Read: a missing path is gone; mode and (when declared) owner are read with `ls -ldL`.
 * Docs: https://openwrt.org/docs/guide-user/base-system/start
 */
import { DeviceError, asDeviceOpError, deviceOpError } from "../core/errors";
import type { KindDriver, Observed, OpContext } from "../core/kind";
import { absolutePath, shQuote } from "./codec";
import { atomicReplaceFragment, octalMode, readFile, writeFileAtomic } from "./files";

export interface RemoteFileInputs {
  path: string;
  content: string;
  /** Four octal digits, e.g. `0644`. */
  mode: string;
  owner?: string;
}

type Result = { id: string; observed: Observed<RemoteFileInputs> };

/** Where an adopted file's original waits for destroy. */
export function adoptedCopyPath(path: string): string {
  const cut = path.lastIndexOf("/");
  return `${path.slice(0, cut)}/.${path.slice(cut + 1)}.routerstack-adopted`;
}

/** `adopted`: taken over from the device; `unchanged`: adopted without a write, no copy made at adoption. */
function decodeId(id: string): { path: string; adopted: boolean; unchanged: boolean } {
  const m = /^file:(\/[^#]*)(#adopted(-unchanged)?)?$/.exec(id);
  if (!m) throw new Error(`"${id}" is not a RemoteFile id (file:/path)`);
  return { path: m[1], adopted: m[2] !== undefined, unchanged: m[3] !== undefined };
}

/** Same content, mode and owner (owner compared only when `b` declares it). */
function sameFile(a: RemoteFileInputs, b: RemoteFileInputs): boolean {
  return a.content === b.content && a.mode === b.mode && (b.owner === undefined || a.owner === b.owner);
}

async function io<T>(ctx: OpContext, op: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asDeviceOpError(ctx, op, e);
  }
}

async function run(ctx: OpContext, op: string, script: string): Promise<string> {
  const r = await ctx.transport.exec(script);
  if (r.code !== 0) {
    const msg = (r.stderr.trim() || r.stdout.trim()).slice(0, 500);
    throw new DeviceError(`${ctx.label}: ${op} failed (exit ${r.code ?? "none"}): ${msg}`, msg);
  }
  return r.stdout;
}

export class RemoteFileDriver implements KindDriver<RemoteFileInputs> {
  async create(ctx: OpContext, inputs: RemoteFileInputs): Promise<Result> {
    const have = await this.observe(ctx, "create", inputs);
    let adopted = false;
    if (have) {
      if (!ctx.adopt)
        throw deviceOpError(
          ctx,
          "create",
          `${inputs.path} already exists; set adopt: true to take it over (it is restored on destroy)`,
        );
      // Already as declared: nothing to write, nothing to copy yet (update copies from olds before its first write).
      // A copy left by an interrupted adopt of a differing file stays, and destroy restores it.
      if (sameFile(have, inputs))
        return { id: `file:${inputs.path}#adopted-unchanged`, observed: { inputs: have, outputs: { adopted: true } } };
      const p = shQuote(absolutePath(inputs.path, "path"), "path");
      const copy = shQuote(adoptedCopyPath(inputs.path), "path");
      // A copy already there is the original of an interrupted adopt of this path: keep it, never overwrite it
      // with our own content.
      await run(ctx, "create", `[ -e ${copy} ] || cp -p ${p} ${copy}`);
      adopted = true;
    }
    await this.write(ctx, "create", inputs);
    const id = `file:${inputs.path}${adopted ? "#adopted" : ""}`;
    return { id, observed: await this.mustObserve(ctx, "create", inputs, adopted) };
  }

  async read(ctx: OpContext, id: string, last: RemoteFileInputs): Promise<Result | undefined> {
    const ref = decodeId(id);
    const seen = await this.observe(ctx, "read", { ...last, path: ref.path });
    return seen && { id, observed: { inputs: seen, outputs: { adopted: ref.adopted } } };
  }

  async update(ctx: OpContext, id: string, olds: RemoteFileInputs, news: RemoteFileInputs): Promise<Result> {
    const ref = decodeId(id);
    if (ref.path !== news.path)
      throw deviceOpError(ctx, "update", `the file moved from ${ref.path}; that needs a replace`);
    const have = await this.observe(ctx, "update", news);
    if (!have || !sameFile(have, news)) {
      if (ref.unchanged) await this.keepOriginal(ctx, olds);
      await this.write(ctx, "update", news);
    }
    return { id, observed: await this.mustObserve(ctx, "update", news, ref.adopted) };
  }

  async delete(ctx: OpContext, id: string): Promise<void> {
    const ref = decodeId(id);
    const p = shQuote(absolutePath(ref.path, "path"), "path");
    if (ref.adopted) {
      const copy = shQuote(adoptedCopyPath(ref.path), "path");
      // The copy gone means an earlier destroy already renamed it back: nothing left to do.
      await run(ctx, "delete", `if [ -e ${copy} ]; then mv -f ${copy} ${p}; fi`);
    } else {
      await run(ctx, "delete", `rm -f ${p}`);
    }
  }

  /**
   * Before the first write to a file adopted unchanged: the original as the copy destroy restores, written from
   * `olds` (the declared values, which equalled the device's file at adoption; the device's file may have been
   * edited since). Owner: the declared one, else the file's current owner. An existing copy is kept.
   */
  private async keepOriginal(ctx: OpContext, olds: RemoteFileInputs): Promise<void> {
    const p = shQuote(absolutePath(olds.path, "path"), "path");
    const copy = adoptedCopyPath(olds.path);
    let owner = olds.owner;
    if (owner === undefined) {
      const out = (await run(ctx, "update", `[ -e ${p} ] && set -- $(ls -ldL ${p}) && echo "$3:$4"; true`)).trim();
      if (/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/.test(out)) owner = out;
    }
    const script = `umask 077\nif [ -e ${shQuote(copy, "path")} ]; then exit 0; fi\n${atomicReplaceFragment(copy, parseInt(olds.mode, 8), undefined, owner)}`;
    const r = await ctx.transport.exec(script, {
      stdin: olds.content,
      secrets: olds.content === "" ? [] : [olds.content],
    });
    if (r.code !== 0) {
      const msg = r.stderr.trim().slice(0, 500);
      throw deviceOpError(
        ctx,
        "update",
        `copy of the original of ${olds.path} before its first change failed (exit ${r.code ?? "none"}): ${msg}`,
        msg,
      );
    }
  }

  private async write(ctx: OpContext, op: string, inputs: RemoteFileInputs): Promise<void> {
    await io(ctx, op, () =>
      writeFileAtomic(ctx.transport, inputs.path, inputs.content, parseInt(inputs.mode, 8), {
        owner: inputs.owner,
        secrets: inputs.content === "" ? [] : [inputs.content],
      }),
    );
  }

  private async mustObserve(
    ctx: OpContext,
    op: string,
    inputs: RemoteFileInputs,
    adopted: boolean,
  ): Promise<Observed<RemoteFileInputs>> {
    const seen = await this.observe(ctx, op, inputs);
    if (!seen) throw deviceOpError(ctx, op, `${inputs.path} is missing right after it was written`);
    return { inputs: seen, outputs: { adopted } };
  }

  /** The file as inputs (owner only when declared, in the declared `user` or `user:group` form). */
  private async observe(ctx: OpContext, op: string, declared: RemoteFileInputs): Promise<RemoteFileInputs | undefined> {
    const st = await io(ctx, op, () => readFile(ctx.transport, declared.path));
    if (!st.exists) return undefined;
    const seen: RemoteFileInputs = { path: declared.path, content: st.content, mode: octalMode(st.mode) };
    if (declared.owner !== undefined) {
      const p = shQuote(absolutePath(declared.path, "path"), "path");
      // `ls -ldL`: mode, links, user, group, … (busybox and coreutils alike); no `stat` on a default OpenWrt [I].
      const out = (await run(ctx, op, `set -- $(ls -ldL ${p}) && echo "$3:$4"`)).trim();
      seen.owner = declared.owner.includes(":") ? out : out.split(":")[0];
    }
    return seen;
  }
}
