/**
 * BIRD2 file ownership and loading (DESIGN.md "Device rules → OpenWrt", openwrt-uci.md §4, §5).
 *
 * /etc/bird.conf has one owner (the BirdConfig kind); every protocol resource owns /etc/bird.d/<name>.conf.
 * Every change is one exec under the device lock:
 *   keep the previous file (content and mode) → write the new one atomically (or delete it) →
 *   `bird -p -c /etc/bird.conf` → on failure put the previous file back atomically and fail with bird's message.
 * A config that fails the check is therefore never loaded. Loading is `birdc -s /var/run/bird.ctl configure`,
 * coalesced per device like the init.d reloads (reloads.ts), so a burst of protocol changes loads once.
 * OpenWrt's bird2 init script `reload` only signals bird (openwrt/routing bird2 files/bird.init), so `birdc
 * configure` is used for its reply. Docs: https://bird.network.cz/?get_doc&v=20&f=bird-4.html (birdc)
 */
import { randomBytes } from "crypto";
import type { DeviceTransport } from "../transport/types";
import { DeviceError } from "../core/errors";
import { absolutePath, shQuote } from "./codec";
import { lockEpilogue, lockPrologue, markerText, splitMarked } from "./device-lock";
import { atomicReplaceFragment, octalMode } from "./files";
import type { ReloadService } from "./reloads";
import { openwrtSettings, type OpenwrtSettings } from "./settings";

/** The desired file (`content` undefined = the file must not exist). */
export interface BirdFileChange {
  path: string;
  content: string | undefined;
  /** Permission bits; default 0o644 (the bird daemon runs as user `bird` and must read it, §4). */
  mode?: number;
  /** Fail (without writing) when the file already exists; used by create without adopt. */
  mustBeAbsent?: boolean;
  /** Skip `bird -p`: only for deleting the main config, after which there is nothing to check. */
  skipCheck?: boolean;
  /** The content is secret (an adopted file's original): redacted from the command log and errors. */
  secretContent?: boolean;
  /** Directory created before the check: BIRD fails on `include "<dir>/*.conf"` when <dir> is missing (measured, 2.0.12). */
  ensureDir?: string;
}

export interface BirdFileResult {
  /** The file as it was before: absent, or its content and mode. */
  previous: { content: string; mode: number } | undefined;
  /** Whether the file changed (and bird must reconfigure). */
  changed: boolean;
  /** True when `mustBeAbsent` was set and the file existed; nothing was written. */
  existed: boolean;
}

/** `-rw-r--r--` for 0o644: what `ls -l` prints for a regular file with these bits (no special bits). */
function permString(mode: number): string {
  const r = (b: number) => `${b & 4 ? "r" : "-"}${b & 2 ? "w" : "-"}${b & 1 ? "x" : "-"}`;
  return `-${r((mode >> 6) & 7)}${r((mode >> 3) & 7)}${r(mode & 7)}`;
}

/** The apply script (see the module comment). New content, if any, arrives on stdin. */
export function buildBirdApplyScript(
  change: BirdFileChange,
  marker: string,
  s: Pick<OpenwrtSettings, "bird" | "birdConf" | "uci">,
): string {
  const p = shQuote(absolutePath(change.path, "path"), "path");
  const mode = change.mode ?? 0o644;
  octalMode(mode);
  const write = change.content !== undefined;
  const check = `${shQuote(s.bird, "bird")} -p -c ${shQuote(absolutePath(s.birdConf, "birdConf"), "birdConf")}`;
  const dir = change.path.slice(0, change.path.lastIndexOf("/"));
  const template = shQuote(`${dir}/.${change.path.slice(dir.length + 1)}.rs-XXXXXX`, "path");
  // `cp -p` carries the previous mode (and owner, as root) through $D/old back into place.
  const restore = [
    `if [ -n "$had" ]; then`,
    `  t=$(mktemp ${template}) && cp -p "$D/old" "$t" && mv -f "$t" ${p} || { rm -f "$t"; exit 73; }`,
    "else",
    `  rm -f ${p}`,
    "fi",
  ].join("\n");
  return [
    lockPrologue(marker, s.uci),
    write ? `cat >"$D/new" || exit 73` : ":",
    "had=",
    `if [ -e ${p} ]; then`,
    "  had=1",
    `  cp -p ${p} "$D/old" || exit 73`,
    `  perms=$(ls -ldL ${p} | cut -c1-10)`,
    `  printf '\\n${marker}:old %s@@\\n' "$perms"`,
    `  cat "$D/old"`,
    "fi",
    change.mustBeAbsent ? `if [ -n "$had" ]; then printf '\\n${marker}:exists@@\\n'; exit 0; fi` : ":",
    write
      ? `if [ -n "$had" ] && cmp -s "$D/new" ${p} && [ "$perms" = ${shQuote(permString(mode), "mode")} ]; then printf '\\n${marker}:unchanged@@\\n'; exit 0; fi`
      : `if [ -z "$had" ]; then printf '\\n${marker}:unchanged@@\\n'; exit 0; fi`,
    write ? atomicReplaceFragment(change.path, mode, `"$D/new"`) : `rm -f ${p} || exit 73`,
    change.ensureDir !== undefined
      ? `mkdir -p ${shQuote(absolutePath(change.ensureDir, "ensureDir"), "ensureDir")} || exit 73`
      : ":",
    change.skipCheck
      ? `printf '\\n${marker}:ok@@\\n'`
      : [
          `if ${check} >"$D/check" 2>&1; then printf '\\n${marker}:ok@@\\n'; else`,
          `  printf '\\n${marker}:bad@@\\n'`,
          `  cat "$D/check"`,
          restore,
          `  printf '\\n${marker}:restored@@\\n'`,
          "fi",
        ].join("\n"),
    lockEpilogue(marker),
  ].join("\n");
}

/**
 * Applies one file change under the device lock with the `bird -p` check (see the module comment). Does not
 * load the config: pass {@link birdConfigureService} to the reload coordinator when `changed`.
 * Rejects with a {@link DeviceError} holding bird's own message when the check fails (after restoring).
 */
export async function applyBirdFile(
  transport: DeviceTransport,
  change: BirdFileChange,
  label: string,
): Promise<BirdFileResult> {
  const s = openwrtSettings();
  const marker = `@@RS_${randomBytes(12).toString("hex")}`;
  const secrets = change.secretContent && change.content !== undefined ? [change.content] : undefined;
  const r = await transport.exec(
    buildBirdApplyScript(change, marker, s),
    change.content !== undefined ? { stdin: change.content, secrets } : {},
  );
  const parts = splitMarked(r.stdout, marker);
  const tag = (t: string) => parts.find((x) => x.tag === t);
  const oldPart = parts.find((x) => x.tag.startsWith("old "));
  const previous = oldPart ? { content: oldPart.body, mode: permBits(oldPart.tag.slice(4)) } : undefined;
  if (tag("exists")) return { previous, changed: false, existed: true };
  if (tag("unchanged")) return { previous, changed: false, existed: false };
  const bad = tag("bad");
  if (bad) {
    const birdMsg = bad.body.trim();
    const restored = tag("restored") ? "the previous file was restored" : "restoring the previous file FAILED";
    throw new DeviceError(
      `${label}: bird rejected the new ${change.path} (${restored}; nothing was loaded): ${birdMsg}`,
      birdMsg,
    );
  }
  if (!r.stdout.includes(markerText(marker, "done")) || !tag("ok")) {
    const lockFail = tag("lockfail");
    const msg = (lockFail ? `lock failed: ${lockFail.body.trim()}` : r.stderr.trim()).slice(0, 500);
    throw new DeviceError(
      `${label}: writing ${change.path} failed (exit ${r.code ?? "none"})${msg ? `: ${msg}` : ""}`,
      msg || undefined,
    );
  }
  return { previous, changed: true, existed: false };
}

/** `birdc -s <socket> configure` as a coalesced reload; fails with birdc's reply unless it reports success. */
export function birdConfigureService(): ReloadService {
  return {
    key: "bird",
    async run(transport) {
      const s = openwrtSettings();
      const r = await transport.exec(
        `${shQuote(s.birdc, "birdc")} -s ${shQuote(s.birdSocket, "birdSocket")} configure`,
      );
      const out = `${r.stdout}\n${r.stderr}`.trim();
      // Measured (§4): success prints "Reconfigured" with rc 0; a bad config prints bird's message with rc 1.
      if (r.code !== 0 || !/Reconfigur/.test(out)) {
        throw new DeviceError(
          `birdc configure on device "${transport.spec.name}" failed (exit ${r.code ?? "none"}): ${out.slice(0, 500)}`,
          out.slice(0, 500),
        );
      }
    },
  };
}

function permBits(ls: string): number {
  let mode = 0;
  for (let k = 1; k <= 9; k++) if (ls[k] && ls[k] !== "-" && ls[k] !== "S" && ls[k] !== "T") mode |= 1 << (9 - k);
  return mode;
}
