/**
 * A uci write as a transaction under the device lock, in ONE interactive exec, on a private copy of each package.
 *
 * Why (docs/reference/openwrt-uci.md): concurrent commits lose data (§2.11), `uci batch` exits 0 whatever
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
 * One transaction carries one or many writes ("jobs", e.g. the section creates of one `pulumi up` batched by
 * uci-write-batcher.ts); its steps:
 *  1. take the device lock (see device-lock.ts), make `$D/c` and `$D/s`, copy the packages in under their aliases;
 *  2. print `show <alias>` for every package: the committed state, without anyone's pending changes; and the
 *     ownership record of every job that has one;
 *  3. the provider plans each job's commands from that state (under the lock, so no plan can go stale; a job
 *     touching a section an earlier job of the same transaction touches is deferred to a later transaction
 *     instead) and sends them all, renamed to the aliases, as `uci batch` input on stdin, ended by a marker line;
 *     no `commit` in the batch;
 *  4. print the batch's own output and the read-back `show <alias>`;
 *  5. the provider verifies each job's intended sections and options against the read-back. If some job's are
 *     wrong, that job fails alone, and the provider answers `retry`: the private delta is cleared and the other
 *     jobs' commands are sent again (step 4 again, same lock, same exec). Otherwise it answers `commit <tokens>`
 *     (commit each package written, check its delta is empty, install; write or remove ownership records) or
 *     `revert` (the private copy is simply dropped);
 *  6. release the lock, remove `$D`, print the final marker.
 * Nothing is committed without a decision line starting with the word `commit` and the end line of the ownership
 * record changes that follows it (uci-script.ts), so a connection cut before the decision commits nothing.
 * The installed file replaces what was committed when the copy was taken; routerstack's own writers are
 * serialised by the lock, other uci users on the router are not (they do not take it, §2.11).
 * Never used: `uci import` (wipes a package on empty input, §2.9), `add`, `@type[n]`/`cfgXXXXXX` names (§2.5).
 * Docs: https://openwrt.org/docs/guide-user/base-system/uci
 */
import { randomBytes } from "crypto";
import type { DeviceTransport, InteractiveExec } from "../transport/types";
import { redact } from "../transport/redact";
import { DeviceError } from "../core/errors";
import { encodeUciBatch, uciPackage, type UciCommand } from "./codec";
import { markerText, splitMarked } from "./device-lock";
import { parseShownPhase, type ShownPhase } from "./uci-shown";
import {
  buildTransactionScript,
  decisionToken,
  ownershipName,
  uciAliases,
  unalias,
  type UciAliases,
  type UciInvocation,
} from "./uci-script";
import type { UciShowSection } from "./uci-show-parser";
import { expectSections, verifySections } from "./uci-expectation";

/** One write (a "job"): what it may touch, how it plans, what it must keep secret. */
export interface UciTransactionRequest {
  /** Packages the plan may touch; each is shown before and after, and committed on success. */
  packages: readonly string[];
  /**
   * Sections (`<package>.<section>`) the plan reads or writes. Two jobs that name the same section (or whose
   * commands touch the same section) never share a transaction: the later one is deferred, so it plans against
   * the earlier one's committed result exactly as if the two had run one after the other. Default: none beyond
   * the sections its commands touch.
   */
  sections?: readonly string[];
  /**
   * Called under the lock with the sections of all the transaction's packages as committed. Returns the
   * commands; an empty list writes nothing. Throwing aborts this job (nothing of it is written) and its error is
   * the job's. May be called again in a later transaction when the job is deferred, so it must not keep state
   * from an earlier call.
   */
  plan(before: UciShowSection[], owner?: string): UciCommand[] | Promise<UciCommand[]>;
  /** uci option names whose values must never appear in errors: a list, or a test of one name. */
  secretOptions?: readonly string[] | ((option: string) => boolean);
  /** Secret values: redacted from logs and errors by the transport and here. */
  secrets?: readonly string[];
  /** Prefix for error messages, e.g. the resource label and operation. */
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
 * exists" forever. The record lives in routerstack's root-only state directory (device-lock.ts
 * DEFAULT_STATE_DIR, `/root/.routerstack/owners`), not in uci: it is no config and must not count as one. Being on
 * flash it outlives a reboot between an interrupted create and its retry; being root-only (checked before use)
 * nobody else can forge one or plant a symlink for root to write through (issue 14).
 */
export interface UciOwnership {
  /** Record file name (`<package>.<section>`); lives in `<stateDir>/owners/` (uci-script.ts ownershipDir). */
  name: string;
  /** What the record holds: the resource identity. */
  identity: string;
  /** After `plan`: "own" writes the record with the commit, "disown" removes it with the commit. */
  action?: "own" | "disown";
}

export interface UciTransactionResult {
  /** True when this job's commands were committed (it had commands and its read-back matched). */
  committed: boolean;
  commands: UciCommand[];
  /** All sections of the transaction's packages as committed before it. */
  before: UciShowSection[];
  /** All sections of the transaction's packages as read back after the last batch (= as committed when `committed`). */
  after: UciShowSection[];
}

/** A request's `secretOptions` as something with `has(option)`. */
function optionTest(o: UciTransactionRequest["secretOptions"]): Pick<ReadonlySet<string>, "has"> {
  return typeof o === "function" ? { has: o } : new Set(o ?? []);
}

/** What became of one job of a transaction. */
export type UciJobOutcome =
  | { status: "done"; result: UciTransactionResult }
  | { status: "failed"; error: Error }
  /** It touches a section an earlier job of the transaction writes; nothing of it was sent. Run it again later. */
  | { status: "deferred"; reason: string };

/**
 * The decision: `commit` only when there is something to commit and the read-back shows every intended
 * section and option; otherwise `revert` with the problems found.
 */
export function decide(
  before: readonly UciShowSection[],
  commands: readonly UciCommand[],
  after: ShownPhase,
  secretOptions: Pick<ReadonlySet<string>, "has"> = new Set(),
): { decision: "commit" | "revert"; problems: string[] } {
  const problems = [
    ...after.errors,
    ...verifySections(expectSections(before, commands), after.sections, secretOptions),
  ];
  if (problems.length > 0) return { decision: "revert", problems };
  return { decision: commands.length > 0 ? "commit" : "revert", problems };
}

/** Waits for `<marker>:<tag>`; fails with the script's own messages (no label: each job adds its own) if the channel closes first. */
async function waitMarker(
  ix: InteractiveExec,
  marker: string,
  tag: string,
  secrets: readonly string[],
): Promise<string> {
  const text = markerText(marker, tag);
  const closed = ix.done.then((r) => {
    if (r.stdout.includes(text)) return r.stdout;
    const lockFail = splitMarked(r.stdout, marker).find((p) => p.tag === "lockfail");
    const detail = redact(
      [lockFail ? `lock failed: ${lockFail.body.trim()}` : "", r.stderr.trim()].filter(Boolean).join("; "),
      secrets,
    );
    throw new DeviceError(
      `the transaction script ended before "${tag}" (exit ${r.code ?? "none"})${detail ? `: ${detail}` : ""}`,
      detail || undefined,
    );
  });
  return Promise.race([ix.waitFor(text), closed]);
}

/** The commands with each package replaced by its alias; a package outside the job's packages is an error. */
function aliasCommands(
  commands: readonly UciCommand[],
  packages: readonly string[],
  aliases: UciAliases,
  what: string,
): UciCommand[] {
  return commands.map((c) => {
    const alias = packages.includes(c.package) ? aliases.get(c.package) : undefined;
    if (alias === undefined)
      throw new DeviceError(
        `${what}: the plan writes package ${c.package}, which is not one of the transaction's packages (${packages.join(", ")})`,
      );
    return { ...c, package: alias };
  });
}

/** A job that planned and whose sections no earlier job touches. */
interface Accepted {
  index: number;
  req: UciTransactionRequest;
  what: string;
  commands: UciCommand[];
  aliased: UciCommand[];
}

const sectionKey = (c: Pick<UciCommand, "package" | "section">) => `${c.package}.${c.section}`;

/**
 * Runs `jobs` as ONE transaction (one exec, one lock hold; see the module comment) and reports each job's own
 * outcome, in the order of `jobs`, which is also the order plans run in:
 * - "failed": the job's plan threw, its packages could not be shown, its read-back did not match (it is
 *   dropped and the rest re-batched in another round under the same lock), its package's commit failed, or the
 *   exec failed (then every unsettled job fails, each error prefixed by its own label). Errors carry no secret
 *   values; they are {@link DeviceError}s except what a plan throws, which is passed on as is.
 * - "deferred": see {@link UciTransactionRequest.sections}.
 * - "done": committed (or nothing to commit).
 * Never rejects. `opts.nonce` (tests) fixes the marker and the alias suffix.
 */
export async function runUciTransactionJobs(
  transport: DeviceTransport,
  jobs: readonly UciTransactionRequest[],
  opts: UciInvocation & { nonce?: string } = {},
): Promise<UciJobOutcome[]> {
  const book = new JobOutcomes(jobs, transport);
  const packages = book.checkJobs();
  if (book.allSettled()) return book.settled();
  const secrets = [...new Set(jobs.flatMap((j) => j.secrets ?? []))];
  const nonce = opts.nonce ?? randomBytes(12).toString("hex");
  const marker = `@@RS_${nonce}`;
  const owners = book.ownershipRecords();

  let session: TransactionSession;
  try {
    const aliases = uciAliases(packages, nonce);
    const ix = await transport.interactive(buildTransactionScript(packages, marker, opts, aliases), { secrets });
    session = new TransactionSession(book, ix, { packages, aliases, marker, secrets });
  } catch (e) {
    book.failRest(e);
    return book.settled();
  }
  await session.run(owners);
  return book.settled();
}

/** The outcome of each job of one transaction, in the order of the jobs; the first outcome set for a job stays. */
class JobOutcomes {
  private readonly outcomes: Array<UciJobOutcome | undefined>;

  constructor(
    readonly jobs: readonly UciTransactionRequest[],
    private readonly transport: DeviceTransport,
  ) {
    this.outcomes = jobs.map(() => undefined);
  }

  /** The prefix of a job's errors: its label, or one naming the device. */
  whatOf(req: UciTransactionRequest): string {
    return req.label ?? `uci transaction on device "${this.transport.spec.name}"`;
  }

  isSettled(k: number): boolean {
    return this.outcomes[k] !== undefined;
  }

  allSettled(): boolean {
    return this.outcomes.every((o) => o !== undefined);
  }

  fail(k: number, error: Error): void {
    this.outcomes[k] ??= { status: "failed", error };
  }

  /** Every job not settled yet fails with `e`'s message (an error of the whole transaction). */
  failRest(e: unknown): void {
    const detail = (e as Error).message;
    this.jobs.forEach((j, k) =>
      this.fail(k, new DeviceError(`${this.whatOf(j)}: ${detail}`, (e as DeviceError).deviceMessage)),
    );
  }

  defer(k: number, reason: string): void {
    this.outcomes[k] = { status: "deferred", reason };
  }

  /** Settles a job as done unless something failed it already. */
  done(k: number, result: UciTransactionResult): void {
    if (this.outcomes[k]) return;
    this.outcomes[k] = { status: "done", result };
  }

  settled(): UciJobOutcome[] {
    return this.outcomes.map(
      (o) => o ?? { status: "failed" as const, error: new DeviceError("internal error: job left unsettled") },
    );
  }

  /**
   * The packages of the transaction, in the order the jobs name them; a job naming an invalid package or holding
   * an invalid ownership record fails here, before anything is sent.
   */
  checkJobs(): string[] {
    const packages: string[] = [];
    this.jobs.forEach((j, k) => {
      try {
        for (const p of j.packages) if (!packages.includes(uciPackage(p, "package"))) packages.push(p);
        if (j.ownership) {
          ownershipName(j.ownership.name);
          // The identity travels as one stdin line (uci-script.ts).
          // eslint-disable-next-line no-control-regex
          if (/[\u0000-\u001f\u007f]/.test(j.ownership.identity))
            throw new Error(`ownership identity ${JSON.stringify(j.ownership.identity)} holds a control character`);
        }
      } catch (e) {
        this.fail(k, e as Error);
      }
    });
    return packages;
  }

  /** The ownership records the script prints before planning: those of the jobs still unsettled. */
  ownershipRecords(): string[] {
    return [...new Set(this.jobs.flatMap((j, k) => (!this.isSettled(k) && j.ownership ? [j.ownership.name] : [])))];
  }
}

/** The packages a job's commands write. */
const packagesWritten = (j: Accepted) => [...new Set(j.commands.map((c) => c.package))];

/** What the transaction's script was built with. */
interface SessionSetup {
  packages: string[];
  aliases: UciAliases;
  marker: string;
  secrets: string[];
}

/** One transaction's conversation with its script (steps 2–6 of the module comment), over an open exec. */
class TransactionSession {
  private readonly jobs: readonly UciTransactionRequest[];
  private readonly packages: string[];
  private readonly aliases: UciAliases;
  private readonly marker: string;
  private readonly secrets: string[];
  private ended = false;

  constructor(
    private readonly book: JobOutcomes,
    private readonly ix: InteractiveExec,
    setup: SessionSetup,
  ) {
    this.jobs = book.jobs;
    this.packages = setup.packages;
    this.aliases = setup.aliases;
    this.marker = setup.marker;
    this.secrets = setup.secrets;
  }

  /** Plans, batches and verifies in rounds, then commits or reverts; settles every job. Never rejects. */
  async run(owners: readonly string[]): Promise<void> {
    try {
      const { pre, tagged } = await this.readCommitted(owners);
      const planned = await this.planJobs(pre, tagged);
      const { active, post } = await this.batchAndVerify(pre, planned);
      const { commit, writers, out } = await this.commitOrRevert(active);
      if (commit) this.failUncommitted(out, writers);
      for (const j of active) {
        this.book.done(j.index, {
          committed: commit && j.commands.length > 0,
          commands: j.commands,
          before: pre.sections,
          after: post.sections,
        });
      }
    } catch (e) {
      // The exec failed, or its output made no sense: EOF on stdin reverts whatever was not decided yet.
      this.end();
      this.book.failRest(e);
    }
  }

  /** Closes stdin once: after the decision, or to revert what was not decided when something failed. */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.ix.end();
  }

  /** The marked parts of `out` between the part tagged `from` and the next one tagged `to`. */
  private phase(out: string, from: string, to: string) {
    const parts = splitMarked(out, this.marker);
    const a = parts.findIndex((p) => p.tag === from);
    const b = parts.findIndex((p, k) => k > a && p.tag === to);
    return parts.slice(a + 1, b < 0 ? undefined : b);
  }

  private errorsOf(shown: ShownPhase, req: UciTransactionRequest): string[] {
    return req.packages.flatMap((p) => shown.errorsByPackage?.get(p) ?? []);
  }

  /** Steps 1–2: sends the ownership record names, waits for the lock and the committed state and records. */
  private async readCommitted(owners: readonly string[]) {
    this.ix.write(owners.map((n) => `${n}\n`).join("") + `${this.marker}:owners\n`);
    const out = await waitMarker(this.ix, this.marker, "ready", this.secrets);
    const pre = parseShownPhase(this.phase(out, "locked", "ready"), this.aliases);
    const tagged = splitMarked(out, this.marker);
    return { pre, tagged };
  }

  /** Step 3: plans the jobs in order; those that plan and clash with no earlier accepted job are returned. */
  private async planJobs(pre: ShownPhase, tagged: ReturnType<typeof splitMarked>): Promise<Accepted[]> {
    // `taken`: sections (and ownership records) of accepted jobs.
    const taken = new Set<string>();
    const active: Accepted[] = [];
    for (let k = 0; k < this.jobs.length; k++) {
      if (this.book.isSettled(k)) continue;
      const accepted = await this.planJob(k, pre, tagged, taken);
      if (accepted) active.push(accepted);
    }
    return active;
  }

  /** Plans job `k`: fails or defers it, or takes its sections and returns it. */
  private async planJob(
    k: number,
    pre: ShownPhase,
    tagged: ReturnType<typeof splitMarked>,
    taken: Set<string>,
  ): Promise<Accepted | undefined> {
    const req = this.jobs[k];
    const what = this.book.whatOf(req);
    const preErrors = this.errorsOf(pre, req);
    if (preErrors.length) {
      const said = redact(preErrors.join("; "), this.secrets);
      this.book.fail(k, new DeviceError(`${what}: ${said}`, said));
      return undefined;
    }
    const declared = req.sections ?? [];
    const clash = declared.find((s) => taken.has(s));
    if (clash) {
      this.book.defer(k, `${clash} is written by an earlier job of the same transaction`);
      return undefined;
    }
    let commands: UciCommand[];
    let aliased: UciCommand[];
    try {
      const owner = req.ownership
        ? tagged.find((p) => p.tag === `owner ${req.ownership?.name}`)?.body.trim()
        : undefined;
      commands = await req.plan(pre.sections, owner || undefined);
      aliased = aliasCommands(commands, req.packages, this.aliases, what);
    } catch (e) {
      this.book.fail(k, e as Error);
      return undefined;
    }
    const touched = new Set([
      ...declared,
      ...commands.map(sectionKey),
      ...(req.ownership && commands.length ? [req.ownership.name] : []),
    ]);
    const late = [...touched].find((s) => taken.has(s));
    if (late) {
      this.book.defer(k, `${late} is written by an earlier job of the same transaction`);
      return undefined;
    }
    touched.forEach((s) => taken.add(s));
    return { index: k, req, what, commands, aliased };
  }

  /**
   * Steps 3–5 in rounds: batch, read back, verify each job against its own expectation. A job whose read-back is
   * wrong is dropped with its own error and the others are batched again (`retry`) from the clean private copy.
   */
  private async batchAndVerify(
    pre: ShownPhase,
    planned: Accepted[],
  ): Promise<{ active: Accepted[]; post: ShownPhase }> {
    let active = planned;
    let post: ShownPhase;
    let decisionPrefix = "";
    for (let round = 1; ; round++) {
      const writers = active.filter((j) => j.commands.length > 0);
      this.ix.write(`${decisionPrefix}${encodeUciBatch(writers.flatMap((j) => j.aliased))}${this.marker}:end\n`);
      const out = await waitMarker(this.ix, this.marker, `verify ${round}`, this.secrets);
      post = parseShownPhase(this.phase(out, `batch ${round}`, `verify ${round}`), this.aliases);
      const said = redact(
        unalias(
          (splitMarked(out, this.marker).find((p) => p.tag === `batch ${round}`)?.body ?? "").trim(),
          this.aliases,
        ),
        this.secrets,
      );
      const dropped = this.failMismatched(pre, post, active, writers.length, said);
      active = active.filter((j) => !dropped.includes(j));
      const retry = dropped.some((j) => j.commands.length > 0) && active.some((j) => j.commands.length > 0);
      if (!retry) break;
      decisionPrefix = "retry\n";
    }
    return { active, post };
  }

  /** Fails (and returns) each job whose read-back does not show its intended change; `said`: uci's own output. */
  private failMismatched(
    pre: ShownPhase,
    post: ShownPhase,
    active: readonly Accepted[],
    writerCount: number,
    said: string,
  ): Accepted[] {
    const dropped: Accepted[] = [];
    for (const j of active) {
      const { problems } = decide(
        pre.sections,
        j.commands,
        { sections: post.sections, errors: this.errorsOf(post, j.req) },
        optionTest(j.req.secretOptions),
      );
      if (problems.length === 0) continue;
      dropped.push(j);
      // uci's messages name no command (§2.8), so they cannot be split by job; say when they are the batch's.
      const whose = writerCount > 1 ? ` (for the whole batch of ${writerCount} writes)` : "";
      this.book.fail(
        j.index,
        new DeviceError(
          `${j.what}: reverted, the read-back does not show the intended change: ${redact(problems.join("; "), this.secrets)}${said ? `; uci said${whose}: ${said}` : ""}`,
          said || undefined,
        ),
      );
    }
    return dropped;
  }

  /**
   * Steps 5–6: the decision line (`commit <tokens>` with the ownership record changes, or `revert`), then stdin is
   * closed and the script's final output awaited.
   */
  private async commitOrRevert(active: readonly Accepted[]) {
    const writers = active.filter((j) => j.commands.length > 0);
    const commit = writers.length > 0;
    const tokens = this.packages
      .filter((p) => writers.some((j) => packagesWritten(j).includes(p)))
      .map(decisionToken.commitPackage);
    const records = writers.flatMap((j) => {
      const o = j.req.ownership;
      return o?.action === "own"
        ? [`own ${o.name}\n${o.identity}\n`]
        : o?.action === "disown"
          ? [`disown ${o.name}\n`]
          : [];
    });
    this.ix.write(
      commit ? `${["commit", ...tokens].join(" ")}\n${records.join("")}${this.marker}:records\n` : "revert\n",
    );
    this.end();
    const out = await waitMarker(this.ix, this.marker, "done", this.secrets);
    await this.ix.done.catch(() => undefined);
    return { commit, writers, out };
  }

  /** After a commit: fails each writer whose package's commit failed (or every one when none was confirmed). */
  private failUncommitted(out: string, writers: readonly Accepted[]): void {
    const parts = splitMarked(out, this.marker);
    const failedPkgs = parts
      .filter((p) => p.tag.startsWith("commitfail "))
      .map((p) => p.tag.slice("commitfail ".length));
    const ok = parts.some((p) => p.tag === "committed");
    for (const j of writers) {
      const bad = packagesWritten(j).filter((p) => failedPkgs.includes(p));
      if (ok && bad.length === 0) continue;
      const msg = redact(
        unalias(
          parts
            .filter((p) => p.tag.startsWith("commit ") && (bad.length === 0 || bad.includes(p.tag.slice(7))))
            .map((p) => p.body.trim())
            .filter(Boolean)
            .join("; "),
          this.aliases,
        ),
        this.secrets,
      );
      this.book.fail(
        j.index,
        new DeviceError(`${j.what}: uci commit failed for ${bad.join(", ") || "unknown package"}: ${msg}`, msg),
      );
    }
  }
}

/**
 * Runs one job as its own transaction (see {@link runUciTransactionJobs}). Resolves with what was committed;
 * rejects with the job's error: a {@link DeviceError} naming every mismatch when the read-back does not show the
 * intended state (after a revert), when a commit fails, or when the channel closes early, or what the plan threw.
 */
export async function runUciTransaction(
  transport: DeviceTransport,
  req: UciTransactionRequest,
  opts: UciInvocation & { nonce?: string } = {},
): Promise<UciTransactionResult> {
  const [outcome] = await runUciTransactionJobs(transport, [req], opts);
  if (outcome.status === "done") return outcome.result;
  if (outcome.status === "failed") throw outcome.error;
  throw new DeviceError(
    `${req.label ?? "uci transaction"}: deferred (${outcome.reason}), which a single job cannot be`,
  );
}
