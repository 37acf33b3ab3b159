/**
 * `RemoteFile` on OpenWrt: one text file with the given content, mode and (optionally) owner, written atomically
 * like the BIRD files (temp file in the same directory, chmod/chown, rename: readers see the old or the new file,
 * never a partial one). Driver: provider/openwrt/remote-file-driver.ts.
 *
 * - `content` is always treated as a secret: files such as `/etc/dropbear/authorized_keys` or a WireGuard key
 *   cannot be told apart from harmless ones, so it is encrypted in state, compared through a hash, sent on stdin
 *   only and never logged or put in an error. The cost: previews show "[secret]" instead of a content diff.
 * - An existing file is refused unless `adopt: true`. Adopting a file that already holds the declared content,
 *   mode and (when declared) owner writes nothing on the device: the id says so (`file:<path>#adopted-unchanged`;
 *   never the content, ids are not secret), and the original is kept only at the first update that writes the
 *   file, copied from the old declared values (equal to the device's file at adoption), not from the device.
 *   Adopting a file that differs keeps the original first, then writes. The original is a dot-file next to the
 *   file (`.<name>.routerstack-adopted`, owner: the declared one, else the file's) that destroy renames back; a
 *   file adopted unchanged and never written since has no copy, and destroy leaves it as it is. A file
 *   routerstack created is removed on destroy. This is how `routerstack import` takes over BIRD files
 *   (docs/existing-routers-import.md): verbatim content, so the first `up` changes nothing.
 * - A copy already on the device is never overwritten: it is the original of an interrupted adopt or first
 *   update, and destroy restores it. A create whose write ran but whose reply was lost leaves a file that the
 *   retry refuses (a file carries no identity tag, unlike BIRD files): remove it by hand, since adopting it would
 *   keep our own content as the "original".
 * - Text only (UTF-8), as read back through the shell; a local edit or chmod shows as drift and the next update
 *   rewrites the file. Changing `path` replaces the resource.
 * Docs: https://openwrt.org/docs/guide-user/base-system/start
 */
import { z } from "zod";
import { LONE_SURROGATE } from "../common";
import { RemoteFileDriver, type RemoteFileInputs } from "../../openwrt/remote-file-driver";
import type { ResourceKind } from "../kind";

/** Largest file accepted: it travels on one SSH exec's stdin and is read back whole [I: no device limit known]. */
const MAX_BYTES = 256 * 1024;

/** A permission mode: octal text (`"0644"`, `"644"`, `"0o644"`) or the number itself (`0o644`), 0..0o7777. */
const mode = z.union([z.string(), z.number()]).transform((v, ctx) => {
  let n: number | undefined;
  if (typeof v === "number") n = Number.isInteger(v) ? v : undefined;
  else if (/^(0o)?[0-7]{1,4}$/.test(v)) n = parseInt(v.replace(/^0o/, ""), 8);
  if (n === undefined || n < 0 || n > 0o7777) {
    ctx.addIssue({
      code: "custom",
      message: 'must be a file mode: octal text such as "0644" or a number such as 0o644 (at most 0o7777)',
    });
    return z.NEVER;
  }
  return n.toString(8).padStart(4, "0");
});

// A named constant, not an inline literal, so the disable comment stays on its line however the code is formatted.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export const schema = z
  .object({
    /** Absolute path on the device, e.g. `/etc/dropbear/authorized_keys`; no `..`, no control characters. A change replaces. */
    path: z
      .string()
      .refine(
        (p) => p.startsWith("/") && !p.endsWith("/") && !CONTROL_CHARACTER.test(p) && !p.split("/").includes(".."),
        "must be an absolute file path without control characters or .. segments, such as /etc/banner",
      )
      .refine((p) => !/\/\.[^/]*\.routerstack-adopted$/.test(p), "must not be a routerstack adoption copy"),
    /** The whole file content, UTF-8 text, at most 256 KiB. Always a secret: encrypted in state, compared through a hash, sent on stdin only. */
    content: z
      .string()
      .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no unpaired surrogate)")
      .refine((s) => !s.includes("\u0000"), "must not contain NUL bytes (text files only)")
      .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_BYTES, `must be at most ${MAX_BYTES} bytes`),
    /**
     * Permission bits, as octal text (`"0600"`) or a number (`0o600`; note `644` is decimal). Default `0600`: the
     * content is a secret, so only the owner reads it unless the program says otherwise (e.g. `"0644"` for a file a
     * daemon running as another user must read).
     */
    mode: mode.default("0600"),
    /** `user` or `user:group` (names as in /etc/passwd and /etc/group). Default: not managed (root when created). */
    owner: z
      .string()
      .regex(
        /^[a-z_][a-z0-9_-]{0,31}(:[a-z_][a-z0-9_-]{0,31})?$/,
        "must be user or user:group, lowercase names such as root or bird:bird",
      )
      .optional(),
  })
  .strict();

export type RemoteFileArgs = z.input<typeof schema>;

export const kind: ResourceKind<RemoteFileInputs> = {
  name: "openwrt-remote-file",
  platform: "openwrt",
  schema: schema as unknown as z.ZodType<RemoteFileInputs>,
  replaceOn: ["path"],
  deleteBeforeReplace: false,
  secrets: ["content"],
  docs: "https://openwrt.org/docs/guide-user/base-system/start",
  adoption: {
    naturalKey: ["path"],
    onDestroy: "restore",
    note: "`path`: an existing file is taken over; one that already holds the declared content, mode and owner is adopted with no write, and its original is kept (from the old declared values) only at the first update that writes it; destroy puts the original content, mode and owner back, or leaves a file never written as it is",
  },
  driver: new RemoteFileDriver(),
};
