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
  const outcomes: Array<UciJobOutcome | undefined> = jobs.map(() => undefined);
  const whatOf = (req: UciTransactionRequest) => req.label ?? `uci transaction on device "${transport.spec.name}"`;
  const fail = (k: number, error: Error) => {
    outcomes[k] ??= { status: "failed", error };
  };
  /** Every job not settled yet fails with `detail` (an error of the whole transaction). */
  const failRest = (e: unknown) => {
    const detail = (e as Error).message;
    jobs.forEach((j, k) => fail(k, new DeviceError(`${whatOf(j)}: ${detail}`, (e as DeviceError).deviceMessage)));
  };
  const settled = () =>
    outcomes.map(
      (o) => o ?? { status: "failed" as const, error: new DeviceError("internal error: job left unsettled") },
    );

  const packages: string[] = [];
  jobs.forEach((j, k) => {
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
      fail(k, e as Error);
    }
  });
  if (outcomes.every((o) => o !== undefined)) return settled();
  const secrets = [...new Set(jobs.flatMap((j) => j.secrets ?? []))];
  const nonce = opts.nonce ?? randomBytes(12).toString("hex");
  const marker = `@@RS_${nonce}`;
  const owners = [
    ...new Set(jobs.flatMap((j, k) => (outcomes[k] === undefined && j.ownership ? [j.ownership.name] : []))),
  ];

  let ix: InteractiveExec;
  let aliases: UciAliases;
  try {
    aliases = uciAliases(packages, nonce);
    ix = await transport.interactive(buildTransactionScript(packages, marker, opts, aliases), { secrets });
  } catch (e) {
    failRest(e);
    return settled();
  }
  const phase = (out: string, from: string, to: string) => {
    const parts = splitMarked(out, marker);
    const a = parts.findIndex((p) => p.tag === from);
    const b = parts.findIndex((p, k) => k > a && p.tag === to);
    return parts.slice(a + 1, b < 0 ? undefined : b);
  };
  const errorsOf = (shown: ShownPhase, req: UciTransactionRequest) =>
    req.packages.flatMap((p) => shown.errorsByPackage?.get(p) ?? []);

  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    ix.end();
  };
  try {
    ix.write(owners.map((n) => `${n}\n`).join("") + `${marker}:owners\n`);
    let out = await waitMarker(ix, marker, "ready", secrets);
    const pre = parseShownPhase(phase(out, "locked", "ready"), aliases);
    const tagged = splitMarked(out, marker);

    // Plans, in order. `taken`: sections (and ownership records) of accepted jobs.
    const taken = new Set<string>();
    let active: Accepted[] = [];
    for (let k = 0; k < jobs.length; k++) {
      if (outcomes[k]) continue;
      const req = jobs[k];
      const what = whatOf(req);
      const preErrors = errorsOf(pre, req);
      if (preErrors.length) {
        fail(
          k,
          new DeviceError(`${what}: ${redact(preErrors.join("; "), secrets)}`, redact(preErrors.join("; "), secrets)),
        );
        continue;
      }
      const declared = req.sections ?? [];
      const clash = declared.find((s) => taken.has(s));
      if (clash) {
        outcomes[k] = { status: "deferred", reason: `${clash} is written by an earlier job of the same transaction` };
        continue;
      }
      let commands: UciCommand[];
      let aliased: UciCommand[];
      try {
        const owner = req.ownership
          ? tagged.find((p) => p.tag === `owner ${req.ownership?.name}`)?.body.trim()
          : undefined;
        commands = await req.plan(pre.sections, owner || undefined);
        aliased = aliasCommands(commands, req.packages, aliases, what);
      } catch (e) {
        fail(k, e as Error);
        continue;
      }
      const touched = new Set([
        ...declared,
        ...commands.map(sectionKey),
        ...(req.ownership && commands.length ? [req.ownership.name] : []),
      ]);
      const late = [...touched].find((s) => taken.has(s));
      if (late) {
        outcomes[k] = { status: "deferred", reason: `${late} is written by an earlier job of the same transaction` };
        continue;
      }
      touched.forEach((s) => taken.add(s));
      active.push({ index: k, req, what, commands, aliased });
    }

    // Rounds: batch, read back, verify each job against its own expectation. A job whose read-back is wrong is
    // dropped with its own error and the others are batched again from the clean private copy.
    let post: ShownPhase = pre;
    let decisionPrefix = "";
    for (let round = 1; ; round++) {
      const writers = active.filter((j) => j.commands.length > 0);
      ix.write(`${decisionPrefix}${encodeUciBatch(writers.flatMap((j) => j.aliased))}${marker}:end\n`);
      out = await waitMarker(ix, marker, `verify ${round}`, secrets);
      post = parseShownPhase(phase(out, `batch ${round}`, `verify ${round}`), aliases);
      const said = redact(
        unalias((splitMarked(out, marker).find((p) => p.tag === `batch ${round}`)?.body ?? "").trim(), aliases),
        secrets,
      );
      const dropped: Accepted[] = [];
      for (const j of active) {
        const { problems } = decide(
          pre.sections,
          j.commands,
          { sections: post.sections, errors: errorsOf(post, j.req) },
          optionTest(j.req.secretOptions),
        );
        if (problems.length === 0) continue;
        dropped.push(j);
        // uci's messages name no command (§2.8), so they cannot be split by job; say when they are the batch's.
        const whose = writers.length > 1 ? ` (for the whole batch of ${writers.length} writes)` : "";
        fail(
          j.index,
          new DeviceError(
            `${j.what}: reverted, the read-back does not show the intended change: ${redact(problems.join("; "), secrets)}${said ? `; uci said${whose}: ${said}` : ""}`,
            said || undefined,
          ),
        );
      }
      active = active.filter((j) => !dropped.includes(j));
      const retry = dropped.some((j) => j.commands.length > 0) && active.some((j) => j.commands.length > 0);
      if (!retry) break;
      decisionPrefix = "retry\n";
    }

    const writers = active.filter((j) => j.commands.length > 0);
    const written = (j: Accepted) => [...new Set(j.commands.map((c) => c.package))];
    const commit = writers.length > 0;
    const tokens = packages.filter((p) => writers.some((j) => written(j).includes(p))).map(decisionToken.commitPackage);
    const records = writers.flatMap((j) => {
      const o = j.req.ownership;
      return o?.action === "own"
        ? [`own ${o.name}\n${o.identity}\n`]
        : o?.action === "disown"
          ? [`disown ${o.name}\n`]
          : [];
    });
    ix.write(commit ? `${["commit", ...tokens].join(" ")}\n${records.join("")}${marker}:records\n` : "revert\n");
    end();
    out = await waitMarker(ix, marker, "done", secrets);
    await ix.done.catch(() => undefined);

    if (commit) {
      const parts = splitMarked(out, marker);
      const failedPkgs = parts
        .filter((p) => p.tag.startsWith("commitfail "))
        .map((p) => p.tag.slice("commitfail ".length));
      const ok = parts.some((p) => p.tag === "committed");
      for (const j of writers) {
        const bad = written(j).filter((p) => failedPkgs.includes(p));
        if (ok && bad.length === 0) continue;
        const msg = redact(
          unalias(
            parts
              .filter((p) => p.tag.startsWith("commit ") && (bad.length === 0 || bad.includes(p.tag.slice(7))))
              .map((p) => p.body.trim())
              .filter(Boolean)
              .join("; "),
            aliases,
          ),
          secrets,
        );
        fail(
          j.index,
          new DeviceError(`${j.what}: uci commit failed for ${bad.join(", ") || "unknown package"}: ${msg}`, msg),
        );
      }
    }
    for (const j of active) {
      if (outcomes[j.index]) continue;
      outcomes[j.index] = {
        status: "done",
        result: {
          committed: commit && j.commands.length > 0,
          commands: j.commands,
          before: pre.sections,
          after: post.sections,
        },
      };
    }
  } catch (e) {
    // The exec failed, or its output made no sense: EOF on stdin reverts whatever was not decided yet.
    end();
    failRest(e);
  }
  return settled();
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
