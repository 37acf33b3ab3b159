/**
 * The shell text of routerstack's uci reads and transactions: package aliases, the shared shell functions, the
 * transaction script (one or many jobs, retry rounds) and the read script. Why each step is there is explained
 * in uci-transaction.ts; this module only builds the text. Every value in it goes through codec.ts. Sections cited
 * (§) are those of docs/reference/openwrt-uci.md.
 */
import { randomBytes } from "crypto";
import { absolutePath, shQuote, uciPackage } from "./codec";
import { DEFAULT_STATE_DIR, lockEpilogue, lockPrologue, type DeviceLockOptions } from "./device-lock";

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

/**
 * Directory of ownership records: `owners/` in routerstack's root-only state directory (device-lock.ts
 * DEFAULT_STATE_DIR, checked by the lock prologue). Records kept in `/tmp/routerstack-owners` before issue 14 are
 * not read: anyone could have written them, and /tmp did not survive the reboot they were meant to outlive anyway.
 */
export function ownershipDir(opts: DeviceLockOptions = {}): string {
  return `${opts.stateDir ?? DEFAULT_STATE_DIR}/owners`;
}

/** Validates an ownership record name, `<package>.<section>`, and returns it. */
export function ownershipName(name: string): string {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_]+$/.test(name))
    throw new Error(`ownership record name ${JSON.stringify(name)} is not <package>.<section>`);
  return name;
}

/** Package → alias: `rs_<pkg>_<suffix>`, a valid package name that no delta or override file has. */
export type UciAliases = ReadonlyMap<string, string>;

/** Aliases for `packages`; `suffix` defaults to 24 random hex digits. */
export function uciAliases(packages: readonly string[], suffix: string = randomBytes(12).toString("hex")): UciAliases {
  uciPackage(suffix, "alias suffix");
  return new Map(packages.map((p) => [uciPackage(p, "package"), `rs_${p}_${suffix}`]));
}

/** Replaces each alias by its package in device text (uci messages), for errors. */
export function unalias(text: string, aliases: UciAliases): string {
  let t = text;
  for (const [pkg, alias] of aliases) t = t.split(alias).join(pkg);
  return t;
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
    // A new package keeps mktemp's 0600 (umask 077): it may hold secrets (a wifi key), and uci's readers run as root.
    `  if [ -e "$f" ]; then cp -p "$f" "$RS_TMPF" || return 1; else chmod 600 "$RS_TMPF" || return 1; fi`,
    `  cat "$D/c/$2" >"$RS_TMPF" || return 1`,
    "  sync",
    `  mv -f "$RS_TMPF" "$f" || return 1`,
    "  RS_TMPF=",
    "}",
  ].join("\n");
}

/**
 * `RS_PKGS='<pkg> <alias> …'` and `rs_each FN`, which calls `FN <pkg> <alias>` for each pair and stops at the first
 * failure. Why a list and a loop rather than one line per package: dropbear (OpenWrt's SSH server) refuses an exec
 * command longer than its MAX_CMD_LEN (9000 bytes in 2022.83), so the script's length must not grow with what is
 * batched. Package names and aliases are `[A-Za-z0-9_-]` (checked here), safe to split on spaces.
 */
function packageList(packages: readonly string[], aliases: UciAliases): string {
  const pairs = packages.map((p) => {
    const alias = aliases.get(uciPackage(p, "package"));
    if (alias === undefined) throw new Error(`no uci alias for package ${p}`);
    return `${p} ${uciPackage(alias, "alias")}`;
  });
  return [
    `RS_PKGS=${shQuote(pairs.join(" "), "packages")}`,
    `rs_each() { rs_fn=$1; set -- $RS_PKGS; while [ $# -gt 1 ]; do "$rs_fn" "$1" "$2" || return 1; shift 2; done; }`,
  ].join("\n");
}

/**
 * Decision tokens the provider may send after a round (see {@link buildTransactionScript}): the first word is
 * `commit`, `retry` or anything else (revert); after `commit`, `p:<pkg>` commits that package.
 */
export const decisionToken = {
  commitPackage: (pkg: string) => `p:${uciPackage(pkg, "package")}`,
};

/**
 * The transaction script for `packages`. `marker` (`@@RS_<nonce>`) tags every section of its output; output tags
 * name the real packages. Its length does not depend on the number of jobs (see {@link packageList}).
 * Stdin protocol:
 *  1. ownership record names to show (`<package>.<section>`), one a line, then `<marker>:owners`;
 *  2. per round: batch lines (on the aliases), the line `<marker>:end`, one decision line: `retry` clears the
 *     private delta and starts the next round (the staged copies are untouched: a batch never commits);
 *     `commit p:<pkg> …` commits; anything else, or EOF, reverts;
 *  3. after `commit`: record changes, `own <name>` followed by a line holding the identity, or `disown <name>`,
 *     then `<marker>:records`; without that final line nothing is committed.
 * Output, in order: `locked`, `show <pkg>`/`rc N` per package (the committed state), `owner <name>` (the record's
 * content) per name asked for, `ready`; then per round r = 1, 2, …: `batch r` (uci's output), `show`/`rc` per
 * package (the read-back), `verify r`; finally `commit <pkg>` (+ `commitfail <pkg>`) per committed package and
 * `committed`, or `reverted`; then `done`.
 */
export function buildTransactionScript(
  packages: readonly string[],
  marker: string,
  opts: UciInvocation = {},
  aliases: UciAliases = uciAliases(packages),
): string {
  const end = (what: string) => shQuote(`${marker}:${what}`, "marker");
  return [
    lockPrologue(marker, opts),
    // A signal between mktemp and mv leaves no temp file in the confdir.
    `trap 'if [ -n "$RS_TMPF" ]; then rm -f "$RS_TMPF"; fi; rs_release' EXIT`,
    uciFunctions(marker, opts),
    packageList(packages, aliases),
    `RS_OWN=${shQuote(absolutePath(ownershipDir(opts), "stateDir"), "stateDir")}`,
    // A record name is a file name in RS_OWN: `<package>.<section>`, nothing that could leave the directory.
    `rs_record_name() { case "$1" in ''|.*|*[!A-Za-z0-9_.-]*) return 1 ;; esac; }`,
    `rs_commit_chosen() { case " $RS_DECISION " in *" p:$1 "*) printf '\\n${marker}:commit %s@@\\n' "$1"; rs_commit "$1" "$2" 2>&1 || printf '\\n${marker}:commitfail %s@@\\n' "$1" ;; esac; }`,
    `mkdir "$D/c" "$D/s" || exit 72`,
    `rs_each rs_stage || exit 75`,
    `rs_each rs_show`,
    `while IFS= read -r n; do if [ "$n" = ${end("owners")} ]; then break; fi; rs_record_name "$n" || exit 76; printf '\\n${marker}:owner %s@@\\n' "$n"; cat "$RS_OWN/$n" 2>/dev/null; done`,
    `printf '\\n${marker}:ready@@\\n'`,
    "RS_ROUND=0",
    "while :; do",
    "  RS_ROUND=$((RS_ROUND + 1))",
    `  rm -f "$D/complete"`,
    // Copy stdin to uci batch up to the end marker. `read` consumes stdin byte by byte, so the decision line
    // stays unread; the flag file tells a complete batch from a connection cut mid-batch.
    `  while IFS= read -r l; do if [ "$l" = ${end("end")} ]; then : >"$D/complete"; break; fi; printf '%s\\n' "$l"; done | rs_uci batch >"$D/batch.out" 2>&1`,
    `  printf '\\n${marker}:batch %s@@\\n' "$RS_ROUND"`,
    `  cat "$D/batch.out"`,
    `  rs_each rs_show`,
    `  printf '\\n${marker}:verify %s@@\\n' "$RS_ROUND"`,
    "  IFS= read -r RS_DECISION || RS_DECISION=",
    `  if [ "$RS_DECISION" != retry ] || [ ! -f "$D/complete" ]; then break; fi`,
    `  rm -rf "$D/s" && mkdir "$D/s" || { RS_DECISION=; break; }`,
    "done",
    "RS_RECORDS=",
    `case "$RS_DECISION" in commit|"commit "*) if [ -f "$D/complete" ]; then RS_RECORDS=0; fi ;; esac`,
    // Records are written (or removed) before the commit: a record without its section is harmless (it only
    // matters when the section exists), a section without its record is what the record is there to prevent.
    `if [ -n "$RS_RECORDS" ]; then while IFS= read -r op; do`,
    '  case "$op" in',
    `    ${end("records")}) RS_RECORDS=1; break ;;`,
    `    "own "*) n=\${op#own }; IFS= read -r id || break; rs_record_name "$n" || break; mkdir -p "$RS_OWN" && t=$(mktemp "$RS_OWN/.$n.XXXXXX") && printf '%s\\n' "$id" >"$t" && mv -f "$t" "$RS_OWN/$n" || { rm -f "$t"; break; } ;;`,
    `    "disown "*) n=\${op#disown }; rs_record_name "$n" || break; rm -f "$RS_OWN/$n" || break ;;`,
    "    *) break ;;",
    "  esac",
    "done; fi",
    `if [ "$RS_RECORDS" = 1 ]; then`,
    "  rs_each rs_commit_chosen",
    `  printf '\\n${marker}:committed@@\\n'`,
    "else",
    `  printf '\\n${marker}:reverted@@\\n'`,
    "fi",
    lockEpilogue(marker),
  ].join("\n");
}

/**
 * The read script: a private work dir (no lock: a copy of a config file is consistent, uci's commit and ours
 * replace it by rename), each package staged under its alias and shown (`show <pkg>`/`rc N`), then
 * `<marker>:done`. Its length grows only by the package list.
 */
export function buildReadScript(
  packages: readonly string[],
  marker: string,
  opts: UciInvocation = {},
  aliases: UciAliases = uciAliases(packages),
): string {
  const template = shQuote(`${opts.tmpDir ?? "/tmp"}/routerstack.XXXXXX`, "tmpDir");
  return [
    "umask 077",
    `D=$(mktemp -d ${template}) || exit 70`,
    `trap 'rm -rf "$D"' EXIT`,
    uciFunctions(marker, opts),
    packageList(packages, aliases),
    `mkdir "$D/c" "$D/s" || exit 72`,
    `rs_stage_show() { rs_stage "$1" "$2" || exit 75; rs_show "$1" "$2"; }`,
    "rs_each rs_stage_show",
    `printf '\\n${marker}:done@@\\n'`,
  ].join("\n");
}
