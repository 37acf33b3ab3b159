/**
 * A uci write as a transaction under the device lock, in ONE interactive exec.
 *
 * Why (shared/reference/openwrt-uci.md): concurrent commits lose data (§2.11), `uci batch` exits 0 whatever
 * fails (§2.8), and the default savedir /tmp/.uci holds the admin's own pending changes (§2.7). So:
 *  1. take the device lock (see device-lock.ts), make a private savedir `$D/s`;
 *  2. print `uci -t $D/s show <pkg>` for every package: the committed state, without anyone's pending changes;
 *  3. the provider plans its commands from that state (under the lock, so the plan cannot go stale) and sends
 *     them as `uci batch` input on stdin, ended by a marker line; no `commit` in the batch;
 *  4. print the batch's own output and the read-back `uci -t $D/s show <pkg>`;
 *  5. the provider verifies every intended section and option against the read-back and answers `commit`
 *     (→ `uci -t $D/s commit <pkg>`) or `revert` (the private savedir is simply dropped);
 *  6. release the lock, remove `$D`, print the final marker.
 * Anything but the exact line `commit` means no commit, so a connection cut before the decision commits nothing.
 * `-t` (unlike `-P`) does not add the default savedir as a delta source (uci cli.c), so the admin's pending
 * changes in /tmp/.uci are never committed or reverted by routerstack.
 * Never used: `uci import` (wipes a package on empty input, §2.9), `add`, `@type[n]`/`cfgXXXXXX` names (§2.5).
 * Docs: https://openwrt.org/docs/guide-user/base-system/uci
 */
import { randomBytes } from "crypto";
import type { DeviceTransport, InteractiveExec } from "../transport/types";
import { redact } from "../transport/redact";
import { DeviceError } from "../resources/kind";
import { encodeUciBatch, shQuote, uciPackage, type UciCommand } from "./codec";
import { lockEpilogue, lockPrologue, markerText, splitMarked, type DeviceLockOptions } from "./device-lock";
import { parseUciShow, type UciShowSection } from "./uci-show-parser";
import { expectSections, verifySections } from "./uci-expectation";

/** How uci is invoked; tests and the lab point `-c` at their own confdir. */
export interface UciInvocation extends DeviceLockOptions {
  /** The uci executable; default `uci`. */
  uci?: string;
  /** Passed as `-c <confDir>` when set; default: uci's compiled-in /etc/config. */
  confDir?: string;
}

export interface UciTransactionRequest {
  /** Packages the plan may touch; each is shown before and after, and committed on success. */
  packages: readonly string[];
  /**
   * Called under the lock with the sections of `packages` as committed. Returns the commands; an empty list
   * writes nothing. Throwing aborts the transaction (nothing is written) and rethrows.
   */
  plan(before: UciShowSection[]): UciCommand[] | Promise<UciCommand[]>;
  /** uci option names whose values must never appear in errors. */
  secretOptions?: readonly string[];
  /** Secret values: redacted from logs and errors by the transport and here. */
  secrets?: readonly string[];
  /** Prefix for error messages, e.g. the resource label. */
  label?: string;
}

export interface UciTransactionResult {
  /** True when a commit ran (there were commands and the read-back matched). */
  committed: boolean;
  commands: UciCommand[];
  before: UciShowSection[];
  after: UciShowSection[];
}

function invocation(opts: UciInvocation): string {
  const conf = opts.confDir !== undefined ? ` -c ${shQuote(opts.confDir, "confDir")}` : "";
  return `${shQuote(opts.uci ?? "uci", "uci")}${conf}`;
}

/**
 * The transaction script for `packages`. `marker` (`@@RS_<nonce>`) tags every section of its output; the stdin
 * protocol is: batch lines, then the line `<marker>:end`, then one decision line (`commit` or anything else).
 */
export function buildTransactionScript(packages: readonly string[], marker: string, opts: UciInvocation = {}): string {
  const pk = packages.map((p) => shQuote(uciPackage(p, "package"), "package")).join(" ");
  const show = [
    `for p in ${pk}; do`,
    `  printf '\\n${marker}:show %s@@\\n' "$p"`,
    `  if rs_uci show "$p" 2>"$D/err"; then rc=0; else rc=$?; fi`,
    `  printf '\\n${marker}:rc %s@@\\n' "$rc"`,
    `  cat "$D/err"`,
    "done",
  ].join("\n");
  return [
    lockPrologue(marker, opts),
    `rs_uci() { ${invocation(opts)} -t "$D/s" "$@"; }`,
    `mkdir "$D/s" || exit 72`,
    show,
    `printf '\\n${marker}:ready@@\\n'`,
    // Copy stdin to uci batch up to the end marker. `read` consumes stdin byte by byte, so the decision line
    // stays unread; the flag file tells a complete batch from a connection cut mid-batch.
    `while IFS= read -r l; do if [ "$l" = '${marker}:end' ]; then : >"$D/complete"; break; fi; printf '%s\\n' "$l"; done | rs_uci batch >"$D/batch.out" 2>&1`,
    `printf '\\n${marker}:batch@@\\n'`,
    `cat "$D/batch.out"`,
    show,
    `printf '\\n${marker}:verify@@\\n'`,
    "IFS= read -r RS_DECISION || RS_DECISION=",
    `if [ "$RS_DECISION" = commit ] && [ -f "$D/complete" ]; then`,
    `  for p in ${pk}; do`,
    `    printf '\\n${marker}:commit %s@@\\n' "$p"`,
    `    rs_uci commit "$p" 2>&1 || printf '\\n${marker}:commitfail %s@@\\n' "$p"`,
    "  done",
    `  printf '\\n${marker}:committed@@\\n'`,
    "else",
    `  printf '\\n${marker}:reverted@@\\n'`,
    "fi",
    lockEpilogue(marker),
  ].join("\n");
}

/** Parsed `show` sections of one phase: per-package sections, or the uci error for a package that failed. */
export interface ShownPhase {
  sections: UciShowSection[];
  errors: string[];
}

/** Parses the `show`/`rc` sections of script output (one phase). */
export function parseShownPhase(parts: ReadonlyArray<{ tag: string; body: string }>): ShownPhase {
  const sections: UciShowSection[] = [];
  const errors: string[] = [];
  for (let k = 0; k < parts.length; k++) {
    const m = /^show (.+)$/.exec(parts[k].tag);
    if (!m) continue;
    const rc = parts[k + 1] && /^rc (\d+)$/.exec(parts[k + 1].tag);
    if (!rc) throw new Error(`transaction output for package ${m[1]} has no exit status`);
    if (rc[1] !== "0") errors.push(`uci show ${m[1]} failed (rc ${rc[1]}): ${parts[k + 1].body.trim()}`);
    else sections.push(...parseUciShow(parts[k].body));
  }
  return { sections, errors };
}

/**
 * The decision: `commit` only when there is something to commit and the read-back shows every intended
 * section and option; otherwise `revert` with the problems found.
 */
export function decide(
  before: readonly UciShowSection[],
  commands: readonly UciCommand[],
  after: ShownPhase,
  secretOptions: ReadonlySet<string> = new Set(),
): { decision: "commit" | "revert"; problems: string[] } {
  const problems = [...after.errors, ...verifySections(expectSections(before, commands), after.sections, secretOptions)];
  if (problems.length > 0) return { decision: "revert", problems };
  return { decision: commands.length > 0 ? "commit" : "revert", problems };
}

/** Waits for `<marker>:<tag>`; fails with the script's own messages if the channel closes first. */
async function waitMarker(ix: InteractiveExec, marker: string, tag: string, what: string, secrets: readonly string[]): Promise<string> {
  const text = markerText(marker, tag);
  const closed = ix.done.then((r) => {
    if (r.stdout.includes(text)) return r.stdout;
    const lockFail = splitMarked(r.stdout, marker).find((p) => p.tag === "lockfail");
    const detail = redact([lockFail ? `lock failed: ${lockFail.body.trim()}` : "", r.stderr.trim()].filter(Boolean).join("; "), secrets);
    throw new DeviceError(`${what}: the transaction script ended before "${tag}" (exit ${r.code ?? "none"})${detail ? `: ${detail}` : ""}`, detail || undefined);
  });
  return Promise.race([ix.waitFor(text), closed]);
}

/**
 * Runs one transaction (see the module comment). Resolves with what was committed; rejects with a
 * {@link DeviceError} naming every mismatch when the read-back does not show the intended state (after a
 * revert), when a commit fails, or when the channel closes early. Errors carry no secret values.
 */
export async function runUciTransaction(
  transport: DeviceTransport,
  req: UciTransactionRequest,
  opts: UciInvocation & { nonce?: string } = {},
): Promise<UciTransactionResult> {
  const what = req.label ?? `uci transaction on device "${transport.spec.name}"`;
  const secrets = req.secrets ?? [];
  const marker = `@@RS_${opts.nonce ?? randomBytes(12).toString("hex")}`;
  const ix = await transport.interactive(buildTransactionScript(req.packages, marker, opts), { secrets: [...secrets] });
  const phase = (out: string, from: string, to: string) => {
    const parts = splitMarked(out, marker);
    const a = parts.findIndex((p) => p.tag === from);
    const b = parts.findIndex((p, k) => k > a && p.tag === to);
    return parts.slice(a + 1, b < 0 ? undefined : b);
  };

  let out = await waitMarker(ix, marker, "ready", what, secrets);
  const pre = parseShownPhase(phase(out, "locked", "ready"));
  let commands: UciCommand[];
  try {
    if (pre.errors.length) throw new DeviceError(`${what}: ${redact(pre.errors.join("; "), secrets)}`, pre.errors.join("; "));
    commands = await req.plan(pre.sections);
  } catch (e) {
    ix.write(`${marker}:end\nrevert\n`);
    ix.end();
    await ix.done.catch(() => undefined);
    throw e;
  }
  const batch = encodeUciBatch(commands);
  ix.write(`${batch}${marker}:end\n`);

  out = await waitMarker(ix, marker, "verify", what, secrets);
  const batchOutput = (splitMarked(out, marker).find((p) => p.tag === "batch")?.body ?? "").trim();
  const post = parseShownPhase(phase(out, "batch", "verify"));
  const { decision, problems } = decide(pre.sections, commands, post, new Set(req.secretOptions ?? []));
  ix.write(`${decision}\n`);
  ix.end();

  out = await waitMarker(ix, marker, "done", what, secrets);
  await ix.done.catch(() => undefined);
  if (problems.length > 0) {
    const device = redact(batchOutput, secrets);
    throw new DeviceError(
      `${what}: reverted, the read-back does not show the intended change: ${redact(problems.join("; "), secrets)}${device ? `; uci said: ${device}` : ""}`,
      device || undefined,
    );
  }
  const parts = splitMarked(out, marker);
  if (decision === "commit") {
    const failed = parts.filter((p) => p.tag.startsWith("commitfail "));
    const ok = parts.some((p) => p.tag === "committed");
    if (failed.length > 0 || !ok) {
      const msg = parts.filter((p) => p.tag.startsWith("commit ")).map((p) => p.body.trim()).filter(Boolean).join("; ");
      throw new DeviceError(`${what}: uci commit failed for ${failed.map((p) => p.tag.slice(11)).join(", ") || "unknown package"}: ${redact(msg, secrets)}`, redact(msg, secrets));
    }
  }
  return { committed: decision === "commit", commands, before: pre.sections, after: post.sections };
}

/**
 * Reads packages as committed: `uci -t <fresh empty dir> show <pkg>`, so pending changes in /tmp/.uci (the
 * admin's) are not mixed in. A package whose file does not exist reads as no sections.
 */
export async function readUciPackages(transport: DeviceTransport, packages: readonly string[], opts: UciInvocation = {}): Promise<UciShowSection[]> {
  const marker = `@@RS_${randomBytes(12).toString("hex")}`;
  const template = shQuote(`${opts.tmpDir ?? "/tmp"}/routerstack.XXXXXX`, "tmpDir");
  const pk = packages.map((p) => shQuote(uciPackage(p, "package"), "package")).join(" ");
  const script = [
    "umask 077",
    `D=$(mktemp -d ${template}) || exit 70`,
    `trap 'rm -rf "$D"' EXIT`,
    `for p in ${pk}; do`,
    `  printf '\\n${marker}:show %s@@\\n' "$p"`,
    `  if ${invocation(opts)} -t "$D" show "$p" 2>"$D/err"; then rc=0; else rc=$?; fi`,
    `  printf '\\n${marker}:rc %s@@\\n' "$rc"`,
    `  cat "$D/err"`,
    "done",
    `printf '\\n${marker}:done@@\\n'`,
  ].join("\n");
  const r = await transport.exec(script);
  if (!r.stdout.includes(markerText(marker, "done"))) {
    throw new DeviceError(`reading uci ${packages.join(", ")} on device "${transport.spec.name}" failed: ${r.stderr.trim()}`, r.stderr.trim());
  }
  const parts = splitMarked(r.stdout, marker);
  const sections: UciShowSection[] = [];
  for (let k = 0; k < parts.length; k++) {
    const m = /^show (.+)$/.exec(parts[k].tag);
    if (!m) continue;
    const rc = /^rc (\d+)$/.exec(parts[k + 1]?.tag ?? "");
    const err = parts[k + 1]?.body.trim() ?? "";
    if (rc && rc[1] === "0") sections.push(...parseUciShow(parts[k].body));
    // `show <missing package>` is `uci: Entry not found`, rc 1 (§2.1): the package simply has no sections.
    else if (!/Entry not found/.test(err)) {
      throw new DeviceError(`reading uci ${m[1]} on device "${transport.spec.name}" failed: ${err}`, err);
    }
  }
  return sections;
}
