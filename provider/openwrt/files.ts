/**
 * Files on an OpenWrt device: atomic writes, reads with an explicit "absent" result, deletes, symlinks.
 *
 * A write creates a temp file in the target's own directory (so `mv` is a rename(2) on one filesystem: readers
 * see the old or the new file, never a partial one), receives the content on stdin (never on the command line,
 * where `ps` would show it), gets the intended mode with chmod, and is renamed over the target. The same
 * pattern uci itself uses for commits (openwrt-uci.md §2.11). Commands are busybox-compatible (`mktemp`,
 * `chmod`, `mv -f`, `ln -s`, `ls -ld`).
 * Docs: https://openwrt.org/docs/guide-user/base-system/start
 */
import type { DeviceTransport } from "../transport/types";
import { DeviceError } from "../core/errors";
import { absolutePath, CodecError, shQuote } from "./codec";

/** A file as read: `absent`, or its content, permission bits and whether it is a symlink (with its target). */
export type FileState = { exists: false } | { exists: true; content: string; mode: number; symlinkTarget?: string };

/** Validates a permission mode (0..0o7777) and renders it as octal for chmod. */
export function octalMode(mode: number, field = "mode"): string {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777)
    throw new CodecError(field, `${mode} is not a file mode (0..0o7777)`);
  return mode.toString(8).padStart(4, "0");
}

/**
 * Shell fragment: atomically replace `path` with the bytes of stdin (or of `sourceExpr`, a shell word such as
 * `"$D/old"`), with permission bits `mode`. Leaves no temp file behind on failure. Exits the script with 73 on
 * failure after printing the tool's message on stderr.
 */
export function atomicReplaceFragment(path: string, mode: number, sourceExpr?: string, owner?: string): string {
  const p = shQuote(absolutePath(path, "path"), "path");
  const dir = shQuote(path.slice(0, path.lastIndexOf("/")) || "/", "path");
  const base = path.slice(path.lastIndexOf("/") + 1);
  const template = shQuote(`${path.slice(0, path.lastIndexOf("/"))}/.${base}.rs-XXXXXX`, "path");
  const fill = sourceExpr ? `cat ${sourceExpr} >"$t"` : `cat >"$t"`;
  // Ownership is set on the temp file too, so the rename publishes content, mode and owner at once.
  const chown = owner === undefined ? "" : ` && chown ${shQuote(owner, "owner")} "$t"`;
  return [
    `mkdir -p ${dir} || exit 73`,
    `t=$(mktemp ${template}) || exit 73`,
    `if ${fill} && chmod ${octalMode(mode)} "$t"${chown} && mv -f "$t" ${p}; then :; else rm -f "$t"; exit 73; fi`,
  ].join("\n");
}

/**
 * Writes `content` to `path` atomically with permission bits `mode` (e.g. 0o644, 0o755). Parent directories
 * are created. Rejects with a {@link DeviceError} carrying the device's message. `secrets` are redacted from logs.
 */
export async function writeFileAtomic(
  transport: DeviceTransport,
  path: string,
  content: string,
  mode: number,
  opts: { secrets?: string[]; owner?: string } = {},
): Promise<void> {
  const r = await transport.exec(`umask 077\n${atomicReplaceFragment(path, mode, undefined, opts.owner)}`, {
    stdin: content,
    secrets: opts.secrets,
  });
  if (r.code !== 0) throw fileError(transport, "write", path, r.stderr);
}

/**
 * Reads `path`. A missing file (or dangling symlink) is `{ exists: false }`; any other failure rejects.
 * `mode` is the permission bits of the file (of the link target for a symlink).
 */
export async function readFile(transport: DeviceTransport, path: string): Promise<FileState> {
  const p = shQuote(absolutePath(path, "path"), "path");
  // First line: `absent`, or `ls -ldL` of the file and, for a symlink, a second line with its target.
  const script = [
    `if [ ! -e ${p} ]; then echo absent; exit 0; fi`,
    `ls -ldL ${p} | cut -c1-10 || exit 74`,
    `if [ -L ${p} ]; then printf 'link:%s\\n' "$(readlink ${p})"; else echo file; fi`,
    `cat ${p} || exit 74`,
  ].join("\n");
  const r = await transport.exec(script);
  if (r.code !== 0) throw fileError(transport, "read", path, r.stderr);
  if (r.stdout === "absent\n") return { exists: false };
  const first = r.stdout.indexOf("\n");
  const second = r.stdout.indexOf("\n", first + 1);
  if (first < 0 || second < 0) throw fileError(transport, "read", path, `unexpected output: ${r.stdout.slice(0, 80)}`);
  const perms = r.stdout.slice(0, first);
  const kind = r.stdout.slice(first + 1, second);
  const state: FileState = { exists: true, content: r.stdout.slice(second + 1), mode: parsePermissions(perms) };
  if (kind.startsWith("link:")) state.symlinkTarget = kind.slice(5);
  return state;
}

/** Deletes `path` (a file or symlink); deleting an absent path is not an error. */
export async function deleteFile(transport: DeviceTransport, path: string): Promise<void> {
  const r = await transport.exec(`rm -f ${shQuote(absolutePath(path, "path"), "path")}`);
  if (r.code !== 0) throw fileError(transport, "delete", path, r.stderr);
}

/** Points the symlink `path` at `target` (relative or absolute), replacing what was there atomically. */
export async function writeSymlink(transport: DeviceTransport, path: string, target: string): Promise<void> {
  const p = absolutePath(path, "path");
  if (target.includes("\n") || target === "")
    throw new CodecError("target", "must be a non-empty path without newlines");
  const dir = p.slice(0, p.lastIndexOf("/")) || "/";
  const tmp = `${dir}/.${p.slice(p.lastIndexOf("/") + 1)}.rs-link`;
  const script = [
    `mkdir -p ${shQuote(dir, "path")} || exit 73`,
    `rm -f ${shQuote(tmp, "path")}`,
    `ln -s ${shQuote(target, "target")} ${shQuote(tmp, "path")} && mv -f ${shQuote(tmp, "path")} ${shQuote(p, "path")}`,
  ].join("\n");
  const r = await transport.exec(script);
  if (r.code !== 0) throw fileError(transport, "symlink", path, r.stderr);
}

/** `-rwxr-xr-x` (with s/S/t/T) → 0o755 etc. */
export function parsePermissions(ls: string): number {
  if (!/^[-dlcbps][-rwxsStT]{9}$/.test(ls)) throw new Error(`unexpected permission string "${ls}"`);
  const bit = (i: number, ch: string) => (ls[i] === ch || ls[i] === "s" || ls[i] === "t" ? 1 : 0);
  let mode = 0;
  for (let g = 0; g < 3; g++) {
    const o = 1 + g * 3;
    mode |=
      ((ls[o] === "r" ? 4 : 0) | (ls[o + 1] === "w" ? 2 : 0) | (ls[o + 2] === "x" || bit(o + 2, "x") ? 1 : 0)) <<
      ((2 - g) * 3);
  }
  if ("sS".includes(ls[3])) mode |= 0o4000;
  if ("sS".includes(ls[6])) mode |= 0o2000;
  if ("tT".includes(ls[9])) mode |= 0o1000;
  return mode;
}

function fileError(transport: DeviceTransport, op: string, path: string, stderr: string): DeviceError {
  const msg = stderr.trim().slice(0, 500);
  return new DeviceError(
    `${op} of ${path} on device "${transport.spec.name}" failed${msg ? `: ${msg}` : ""}`,
    msg || undefined,
  );
}
