/**
 * A uci write as a transaction under the device lock, in ONE interactive exec, on a private copy of each package.
 *
 * Why (shared/reference/openwrt-uci.md): concurrent commits lose data (§2.11), `uci batch` exits 0 whatever
 * fails (§2.8), and the default savedir /tmp/.uci holds the admin's own pending changes (§2.7), which
 * routerstack must never commit or revert (DESIGN "Device rules → OpenWrt").
 *
 * Why a private copy under an alias, not `uci -t <dir> commit <package>` (this deviates from DESIGN's literal
 * "`uci commit <package>`"): `-t` does NOT hide /tmp/.uci. In libuci.c, `uci_alloc_context()` calls
 * `uci_add_delta_path(ctx, uci_savedir)`, so the default savedir is always a delta source, and
 * `uci_set_savedir()` (what `-t` calls) only moves/adds the new dir to the END of `ctx->delta_path`. So with
 * `-t DIR`, `show <pkg>` includes the admin's pending changes from /tmp/.uci/<pkg>, and `commit <pkg>` writes them
 * into /etc/config/<pkg> without truncating /tmp/.uci/<pkg> — the effect §2.7 measured for `-p DIR commit`
 * ("writes DIR's changes into the file but never truncates DIR/pkg, so they get re-applied later"). Committing
 * `<package>` by its real name would therefore commit the admin's pending changes. Instead uci never loads a
 * package under its real name here:
 *  - each package is copied from the confdir (`-c`, default /etc/config) to `$T/<alias>`, where the alias
 *    `rs_<pkg>_<nonce>` is a package name no delta file has: the script checks that neither /tmp/.uci/<alias>
 *    nor the master-only override /var/run/uci/<alias> (§2.7 `-C`) exists and fails otherwise;
 *  - uci runs as `uci -c $T -t $T/s … <alias>`, and the output is mapped back to `<pkg>`;
 *  - a commit is `uci -c $T -t $T/s commit <alias>` (so the file gets uci's canonical format), then the result is
 *    installed atomically like uci's own commit (§2.11): a temp file `.<pkg>.rs-XXXXXX` made by mktemp in the
 *    directory of the config file (a symlink is resolved, so the link is kept), given the old file's mode and
 *    owner (`cp -p`; 0644 for a new file), filled, synced and `mv -f`'d over the file;
 *  - a revert just drops `$T`. /tmp/.uci is never read, written, moved or truncated.
 * The steps of a transaction:
 *  1. take the device lock (see device-lock.ts), make `$D/c` and `$D/s`, copy the packages in under their aliases;
 *  2. print `show <alias>` for every package: the committed state, without anyone's pending changes;
 *  3. the provider plans its commands from that state (under the lock, so the plan cannot go stale) and sends
 *     them, renamed to the aliases, as `uci batch` input on stdin, ended by a marker line; no `commit` in the batch;
 *  4. print the batch's own output and the read-back `show <alias>`;
 *  5. the provider verifies every intended section and option against the read-back and answers `commit`
 *     (commit the alias, check its delta is empty, install) or `revert` (the private copy is simply dropped);
 *  6. release the lock, remove `$D`, print the final marker.
 * Anything but the exact line `commit` means no commit, so a connection cut before the decision commits nothing.
 * The installed file replaces what was committed when the copy was taken; routerstack's own writers are
 * serialised by the lock, other uci users on the router are not (they do not take it, §2.11).
 * Never used: `uci import` (wipes a package on empty input, §2.9), `add`, `@type[n]`/`cfgXXXXXX` names (§2.5).
 * Docs: https://openwrt.org/docs/guide-user/base-system/uci
 */
import { randomBytes } from "crypto";
import type { DeviceTransport, InteractiveExec } from "../transport/types";
import { redact } from "../transport/redact";
import { DeviceError } from "../resources/kind";
import { absolutePath, encodeUciBatch, shQuote, uciPackage, type UciCommand } from "./codec";
import { lockEpilogue, lockPrologue, markerText, splitMarked, type DeviceLockOptions } from "./device-lock";
import { parseUciShow, type UciShowSection } from "./uci-show-parser";
import { expectSections, verifySections } from "./uci-expectation";

/** uci's compiled-in default savedir (§1): the admin's pending changes live here. */
export const DEFAULT_UCI_SAVEDIR = "/tmp/.uci";
/** uci master's compiled-in override dir for `-C` (§2.7): `<dir>/<pkg>` is loaded instead of the confdir's. */
export const DEFAULT_UCI_CONF2DIR = "/var/run/uci";
/** uci's compiled-in default confdir (§1). */
export const DEFAULT_UCI_CONFDIR = "/etc/config";

/** How uci is invoked; tests and the lab point the confdir at their own tree. */
export interface UciInvocation extends DeviceLockOptions {
  /** The uci executable; default `uci`. */
  uci?: string;
  /**
   * The directory packages are read from and committed into (uci's `-c`); default /etc/config. uci itself only
   * ever sees the private copy (`-c <work dir>`).
   */
  confDir?: string;
}

export interface UciTransactionRequest {
  /** Packages the plan may touch; each is shown before and after, and committed on success. */
  packages: readonly string[];
  /**
   * Called under the lock with the sections of `packages` as committed. Returns the commands; an empty list
   * writes nothing. Throwing aborts the transaction (nothing is written) and rethrows.
   */
  plan(before: UciShowSection[], owner?: string): UciCommand[] | Promise<UciCommand[]>;
  /** uci option names whose values must never appear in errors. */
  secretOptions?: readonly string[];
  /** Secret values: redacted from logs and errors by the transport and here. */
  secrets?: readonly string[];
  /** Prefix for error messages, e.g. the resource label. */
  label?: string;
  /**
   * Ownership record of the section a create makes (see {@link UciOwnership}); its current content is handed to
   * `plan` as `owner`. Absent: no record is read or written.
   */
  ownership?: UciOwnership;
}

/**
 * Who created a named section, kept on the device next to uci (not in it: uci has no comments, and an extra
 * option would be an undeclared option of the section). Why: a create whose commit ran but whose reply was lost
 * (connection cut, timeout) leaves a section that Pulumi's state does not record, and an explicitly named
 * section carries nothing that says it is ours. The record, written under the device lock in the same script
 * just before the commit, lets the next create recognise its own section instead of failing with "already
 * exists" forever. The record lives under the tmp dir (/tmp on OpenWrt, a tmpfs): it only has to outlive the
 * gap between an interrupted create and its retry, it is no config and must not count as one; after a reboot
 * the retry falls back to the "already exists; set adopt" error.
 */
export interface UciOwnership {
  /** Record file name (`<package>.<section>`); lives in `<tmpDir>/routerstack-owners/`. */
  name: string;
  /** What the record holds: the resource identity. */
  identity: string;
  /** After `plan`: "own" writes the record with the commit, "disown" removes it with the commit. */
  action?: "own" | "disown";
}

function ownershipName(name: string): string {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_]+$/.test(name)) throw new Error(`ownership record name ${JSON.stringify(name)} is not <package>.<section>`);
  return name;
}

/** Directory of ownership records. */
export function ownershipDir(opts: DeviceLockOptions = {}): string {
  return `${opts.tmpDir ?? "/tmp"}/routerstack-owners`;
}

export interface UciTransactionResult {
  /** True when a commit ran (there were commands and the read-back matched). */
  committed: boolean;
  commands: UciCommand[];
  before: UciShowSection[];
  after: UciShowSection[];
}

/** Package → alias: `rs_<pkg>_<suffix>`, a valid package name that no delta or override file has. */
export type UciAliases = ReadonlyMap<string, string>;

/** Aliases for `packages`; `suffix` defaults to 24 random hex digits. */
export function uciAliases(packages: readonly string[], suffix: string = randomBytes(12).toString("hex")): UciAliases {
  uciPackage(suffix, "alias suffix");
  return new Map(packages.map((p) => [uciPackage(p, "package"), `rs_${p}_${suffix}`]));
}

/**
 * Shell definitions shared by the read and the transaction scripts. Expects `$D` (a private 0700 work dir).
 *  rs_uci ARGS…       uci on the private copy: `-c $D/c -t $D/s`
 *  rs_stage PKG ALIAS copies the committed PKG (an absent file: empty) to $D/c/ALIAS; fails (message on stderr)
 *                     when ALIAS has a delta in the default savedir or an override file
 *  rs_show TAG ALIAS  prints `<marker>:show TAG`, `show ALIAS`, `<marker>:rc N` and uci's stderr
 *  rs_commit PKG ALIAS   `commit ALIAS`, checks the private delta is empty, then rs_install
 *  rs_install PKG ALIAS  installs $D/c/ALIAS as PKG in the confdir atomically, keeping the old file's mode;
 *                     on failure the temp file is removed
 */
function uciFunctions(marker: string, opts: UciInvocation): string {
  const uci = shQuote(opts.uci ?? "uci", "uci");
  const conf = shQuote(absolutePath(opts.confDir ?? DEFAULT_UCI_CONFDIR, "confDir"), "confDir");
  const save = shQuote(DEFAULT_UCI_SAVEDIR, "savedir");
  const conf2 = shQuote(DEFAULT_UCI_CONF2DIR, "conf2dir");
  return [
    `RS_CONF=${conf}`,
    "RS_TMPF=",
    `rs_uci() { ${uci} -c "$D/c" -t "$D/s" "$@"; }`,
    "rs_stage() {",
    `  if [ -e ${save}/"$2" ] || [ -e ${conf2}/"$2" ]; then echo "routerstack: uci alias $2 for $1 already has ${DEFAULT_UCI_SAVEDIR}/$2 or ${DEFAULT_UCI_CONF2DIR}/$2; refusing to use it" >&2; return 1; fi`,
    `  if [ -e "$RS_CONF/$1" ]; then cp "$RS_CONF/$1" "$D/c/$2" || return 1; else : >"$D/c/$2" || return 1; fi`,
    "}",
    "rs_show() {",
    `  printf '\\n${marker}:show %s@@\\n' "$1"`,
    `  if rs_uci show "$2" 2>"$D/err"; then rc=0; else rc=$?; fi`,
    `  printf '\\n${marker}:rc %s@@\\n' "$rc"`,
    `  cat "$D/err"`,
    "}",
    `rs_install() { if rs_install1 "$@"; then return 0; fi; if [ -n "$RS_TMPF" ]; then rm -f "$RS_TMPF"; RS_TMPF=; fi; return 1; }`,
    // The alias's delta must be empty after the commit (§6.2); then the result is installed.
    "rs_commit() {",
    `  rs_uci commit "$2" || return 1`,
    `  if [ -s "$D/s/$2" ]; then echo "uci commit left pending changes in the private savedir"; return 1; fi`,
    `  rs_install "$1" "$2"`,
    "}",
    "rs_install1() {",
    `  f="$RS_CONF/$1"`,
    // uci resolves a symlinked config and replaces the target (§2.11); so do we.
    `  if [ -L "$f" ]; then f=$(readlink -f "$f") || return 1; fi`,
    `  RS_TMPF=$(mktemp "$(dirname "$f")/.$1.rs-XXXXXX") || return 1`,
    `  if [ -e "$f" ]; then cp -p "$f" "$RS_TMPF" || return 1; else chmod 644 "$RS_TMPF" || return 1; fi`,
    `  cat "$D/c/$2" >"$RS_TMPF" || return 1`,
    "  sync",
    `  mv -f "$RS_TMPF" "$f" || return 1`,
    "  RS_TMPF=",
    "}",
  ].join("\n");
}

/** Replaces each alias by its package in device text (uci messages), for errors. */
function unalias(text: string, aliases: UciAliases): string {
  let t = text;
  for (const [pkg, alias] of aliases) t = t.split(alias).join(pkg);
  return t;
}

/**
 * The transaction script for `packages`. `marker` (`@@RS_<nonce>`) tags every section of its output; the stdin
 * protocol is: batch lines (on the aliases), then the line `<marker>:end`, then one decision line (`commit` or
 * anything else). Output tags name the real packages.
 */
export function buildTransactionScript(
  packages: readonly string[],
  marker: string,
  opts: UciInvocation = {},
  aliases: UciAliases = uciAliases(packages),
  ownership?: Pick<UciOwnership, "name" | "identity">,
): string {
  const ownDir = shQuote(absolutePath(ownershipDir(opts), "tmpDir"), "tmpDir");
  const ownFile = ownership ? shQuote(`${absolutePath(ownershipDir(opts), "tmpDir")}/${ownershipName(ownership.name)}`, "ownership") : "";
  // The record is written (or removed) before the commit: a record without its section is harmless (it only
  // matters when the section exists), a section without its record is what the record is there to prevent.
  const ownStep = ownership
    ? [
      `  if [ "$RS_DECISION" = commit-own ]; then mkdir -p ${ownDir} && printf '%s\\n' ${shQuote(ownership.identity, "identity")} >${ownFile}.new && mv -f ${ownFile}.new ${ownFile}; fi`,
      `  if [ "$RS_DECISION" = commit-disown ]; then rm -f ${ownFile}; fi`,
    ].join("\n")
    : ":";
  const quoted = packages.map((p) => {
    const alias = aliases.get(uciPackage(p, "package"));
    if (alias === undefined) throw new Error(`no uci alias for package ${p}`);
    return { p: shQuote(p, "package"), a: shQuote(uciPackage(alias, "alias"), "alias") };
  });
  const pairs = quoted.map(({ p, a }) => `${p} ${a}`);
  const show = pairs.map((pa) => `rs_show ${pa}`).join("\n");
  return [
    lockPrologue(marker, opts),
    // A signal between mktemp and mv leaves no temp file in the confdir.
    `trap 'if [ -n "$RS_TMPF" ]; then rm -f "$RS_TMPF"; fi; rs_release' EXIT`,
    uciFunctions(marker, opts),
    `mkdir "$D/c" "$D/s" || exit 72`,
    ...pairs.map((pa) => `rs_stage ${pa} || exit 75`),
    show,
    ownership ? `printf '\\n${marker}:owner@@\\n'; cat ${ownFile} 2>/dev/null` : ":",
    `printf '\\n${marker}:ready@@\\n'`,
    // Copy stdin to uci batch up to the end marker. `read` consumes stdin byte by byte, so the decision line
    // stays unread; the flag file tells a complete batch from a connection cut mid-batch.
    `while IFS= read -r l; do if [ "$l" = '${marker}:end' ]; then : >"$D/complete"; break; fi; printf '%s\\n' "$l"; done | rs_uci batch >"$D/batch.out" 2>&1`,
    `printf '\\n${marker}:batch@@\\n'`,
    `cat "$D/batch.out"`,
    show,
    `printf '\\n${marker}:verify@@\\n'`,
    "IFS= read -r RS_DECISION || RS_DECISION=",
    ...(ownership
      ? [`case "$RS_DECISION" in commit|commit-own|commit-disown) RS_COMMIT=1 ;; *) RS_COMMIT= ;; esac`, `if [ -n "$RS_COMMIT" ] && [ -f "$D/complete" ]; then`]
      : [`if [ "$RS_DECISION" = commit ] && [ -f "$D/complete" ]; then`]),
    ownStep,
    ...quoted.map(({ p, a }) => {
      return [
        `  printf '\\n${marker}:commit %s@@\\n' ${p}`,
        `  rs_commit ${p} ${a} 2>&1 || printf '\\n${marker}:commitfail %s@@\\n' ${p}`,
      ].join("\n");
    }),
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

/** Renames the package of shown sections from its alias back to the real package. */
function mapPackages(sections: UciShowSection[], aliases: UciAliases): UciShowSection[] {
  const back = new Map([...aliases].map(([pkg, alias]) => [alias, pkg]));
  return sections.map((s) => {
    const pkg = back.get(s.package);
    return pkg === undefined ? s : { ...s, package: pkg };
  });
}

/** Parses the `show`/`rc` sections of script output (one phase); `aliases` maps the shown packages back. */
export function parseShownPhase(parts: ReadonlyArray<{ tag: string; body: string }>, aliases: UciAliases = new Map()): ShownPhase {
  const sections: UciShowSection[] = [];
  const errors: string[] = [];
  for (let k = 0; k < parts.length; k++) {
    const m = /^show (.+)$/.exec(parts[k].tag);
    if (!m) continue;
    const rc = parts[k + 1] && /^rc (\d+)$/.exec(parts[k + 1].tag);
    if (!rc) throw new Error(`transaction output for package ${m[1]} has no exit status`);
    if (rc[1] !== "0") errors.push(`uci show ${m[1]} failed (rc ${rc[1]}): ${unalias(parts[k + 1].body.trim(), aliases)}`);
    else sections.push(...mapPackages(parseUciShow(parts[k].body), aliases));
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

/** The commands with each package replaced by its alias; a package outside the transaction is an error. */
function aliasCommands(commands: readonly UciCommand[], aliases: UciAliases, what: string): UciCommand[] {
  return commands.map((c) => {
    const alias = aliases.get(c.package);
    if (alias === undefined) throw new DeviceError(`${what}: the plan writes package ${c.package}, which is not one of the transaction's packages (${[...aliases.keys()].join(", ")})`);
    return { ...c, package: alias };
  });
}

/**
 * Runs one transaction (see the module comment). Resolves with what was committed; rejects with a
 * {@link DeviceError} naming every mismatch when the read-back does not show the intended state (after a
 * revert), when a commit fails, or when the channel closes early. Errors carry no secret values.
 * `opts.nonce` (tests) fixes the marker and the alias suffix.
 */
export async function runUciTransaction(
  transport: DeviceTransport,
  req: UciTransactionRequest,
  opts: UciInvocation & { nonce?: string } = {},
): Promise<UciTransactionResult> {
  const what = req.label ?? `uci transaction on device "${transport.spec.name}"`;
  const secrets = req.secrets ?? [];
  const nonce = opts.nonce ?? randomBytes(12).toString("hex");
  const marker = `@@RS_${nonce}`;
  const aliases = uciAliases(req.packages, nonce);
  const ix = await transport.interactive(buildTransactionScript(req.packages, marker, opts, aliases, req.ownership), { secrets: [...secrets] });
  const phase = (out: string, from: string, to: string) => {
    const parts = splitMarked(out, marker);
    const a = parts.findIndex((p) => p.tag === from);
    const b = parts.findIndex((p, k) => k > a && p.tag === to);
    return parts.slice(a + 1, b < 0 ? undefined : b);
  };

  let out = await waitMarker(ix, marker, "ready", what, secrets);
  const pre = parseShownPhase(phase(out, "locked", "ready"), aliases);
  let commands: UciCommand[];
  let batch: string;
  try {
    if (pre.errors.length) throw new DeviceError(`${what}: ${redact(pre.errors.join("; "), secrets)}`, pre.errors.join("; "));
    const owner = splitMarked(out, marker).find((p) => p.tag === "owner")?.body.trim();
    commands = await req.plan(pre.sections, owner || undefined);
    batch = encodeUciBatch(aliasCommands(commands, aliases, what));
  } catch (e) {
    ix.write(`${marker}:end\nrevert\n`);
    ix.end();
    await ix.done.catch(() => undefined);
    throw e;
  }
  ix.write(`${batch}${marker}:end\n`);

  out = await waitMarker(ix, marker, "verify", what, secrets);
  const batchOutput = unalias((splitMarked(out, marker).find((p) => p.tag === "batch")?.body ?? "").trim(), aliases);
  const post = parseShownPhase(phase(out, "batch", "verify"), aliases);
  const { decision, problems } = decide(pre.sections, commands, post, new Set(req.secretOptions ?? []));
  const action = req.ownership?.action;
  ix.write(`${decision === "commit" && action ? `commit-${action}` : decision}\n`);
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
      const msg = unalias(parts.filter((p) => p.tag.startsWith("commit ")).map((p) => p.body.trim()).filter(Boolean).join("; "), aliases);
      throw new DeviceError(`${what}: uci commit failed for ${failed.map((p) => p.tag.slice(11)).join(", ") || "unknown package"}: ${redact(msg, secrets)}`, redact(msg, secrets));
    }
  }
  return { committed: decision === "commit", commands, before: pre.sections, after: post.sections };
}

/**
 * Reads packages as committed: each file is copied under its alias into a fresh private dir and shown from
 * there (see the module comment), so pending changes in /tmp/.uci (the admin's) are not mixed in. A package
 * whose file does not exist reads as no sections.
 */
export async function readUciPackages(transport: DeviceTransport, packages: readonly string[], opts: UciInvocation = {}): Promise<UciShowSection[]> {
  const nonce = randomBytes(12).toString("hex");
  const marker = `@@RS_${nonce}`;
  const aliases = uciAliases(packages, nonce);
  const template = shQuote(`${opts.tmpDir ?? "/tmp"}/routerstack.XXXXXX`, "tmpDir");
  const pairs = packages.map((p) => `${shQuote(p, "package")} ${shQuote(aliases.get(p) as string, "alias")}`);
  const script = [
    "umask 077",
    `D=$(mktemp -d ${template}) || exit 70`,
    `trap 'rm -rf "$D"' EXIT`,
    uciFunctions(marker, opts),
    `mkdir "$D/c" "$D/s" || exit 72`,
    ...pairs.map((pa) => `rs_stage ${pa} || exit 75\nrs_show ${pa}`),
    `printf '\\n${marker}:done@@\\n'`,
  ].join("\n");
  const r = await transport.exec(script);
  const where = `reading uci ${packages.join(", ")} on device "${transport.spec.name}"`;
  if (!r.stdout.includes(markerText(marker, "done"))) {
    const err = unalias(r.stderr.trim(), aliases);
    throw new DeviceError(`${where} failed (exit ${r.code ?? "none"}): ${err}`, err);
  }
  const shown = parseShownPhase(splitMarked(r.stdout, marker), aliases);
  if (shown.errors.length > 0) throw new DeviceError(`${where} failed: ${shown.errors.join("; ")}`, shown.errors.join("; "));
  return shown.sections;
}
