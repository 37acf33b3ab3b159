/**
 * Per-device batching of RouterOS reads and writes (issue "Fast convergence at scale").
 *
 * Pulumi runs resource operations concurrently (`--parallel` is unbounded by default, pulumi-dynamic-host.md §7),
 * so many resources of one device ask for the same menus at nearly the same time. Requests arriving within the
 * device's batching window — or while its previous batch of the same sort is still in flight
 * (transport/batch-window.ts) — are combined:
 *
 * - **reads**: every selection of one menu becomes one `print` (identity tags by their longest common prefix,
 *   names and ids as an `||` of equalities, split where a line would pass 4 KB); the prints of all menus go in
 *   one envelope, so a refresh costs round trips per menu touched, not per resource. Each caller gets exactly
 *   the rows its selector picks (a tag by its decoded identity, not by the device-side prefix match).
 * - **writes**: each job (e.g. one `add`) is kept whole on one envelope line and jobs are packed into lines of at
 *   most 4 KB; every change keeps its own `:onerror`, so one job's failure is reported to that job alone. Lines
 *   run concurrently up to the transport's session cap. A line that does not parse ran nothing (routeros-cli.md
 *   §4.2 [I]), so its jobs are re-run one job per line to attribute the error.
 * - **a write with its read-back** (`writeThenRead`): the job's read goes on the same line after the line's
 *   changes, the reads of one menu merged into one `print` as above, so a create or remove and the read that
 *   confirms it cost one exec, not two. Later commands on a line see the earlier ones' effect (one script).
 *
 * Jobs in one batch must be independent: Pulumi never runs an operation concurrently with one that depends on
 * it, and each resource awaits its own write before its read-back, so no ordering between jobs is needed.
 * One batcher per transport object (a transport is one device in one provider process).
 * Docs: https://help.mikrotik.com/docs/display/ROS/Scripting (`:onerror`, `:serialize`).
 */
import type DataLoader from "dataloader";
import { deviceBatchLoader, perDevice } from "../transport/batch-window";
import type { DeviceTransport } from "../transport/types";
import * as codec from "./codec";
import type { Command, Where } from "./codec";
import { buildLine, lineBytes, MAX_LINE_BYTES, runCommands, type StepResult } from "./envelope";
import { decodeTag, TAG_PREFIX } from "./identity-tag";
import { parseRows, ReadError, textValue, type Row } from "./read";

/**
 * `all`: every row of the menu in list order (ordered menus, provider/routeros/rule-order.ts); `untagged`: every
 * item whose comment is not an identity tag (the candidates `adopt` may take over).
 */
export type Selector =
  | { by: "tag"; identity: string }
  | { by: "name"; name: string }
  | { by: "id"; id: string }
  | { by: "all" }
  | { by: "untagged" };

export interface ReadRequest {
  menu: string;
  select: Selector;
}

/** The rows a selector picked, or why the menu could not be read (`protocol`: the output was not JSON rows). */
export type ReadResult =
  { ok: true; rows: Row[] } | { ok: false; kind: "parse" | "runtime" | "protocol"; message: string };

export interface WriteJob {
  commands: readonly Command[];
  /** Values the transport's command log must redact. */
  secrets: readonly string[];
  /** Read on the same line, after the line's changes. */
  then?: ReadRequest;
}

/** A job's results: one per command, and the rows of its `then` read if it had one. */
interface WriteOutcome {
  steps: StepResult[];
  read?: ReadResult;
}

export class RouterOsBatcher {
  private readonly reads: DataLoader<ReadRequest, ReadResult>;
  private readonly writes: DataLoader<WriteJob, WriteOutcome>;

  /** @param windowMs the batching window (transport/batch-window.ts); default the device's `batchWindowMs`. */
  constructor(
    private readonly transport: DeviceTransport,
    windowMs = transport.spec.batchWindowMs,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {
    this.reads = deviceBatchLoader((reqs) => this.readBatch(reqs), { windowMs });
    this.writes = deviceBatchLoader((jobs) => this.writeBatch(jobs), { windowMs });
  }

  /** Rows of `menu` picked by `select`. Rejects with the transport's error when the device cannot be reached. */
  read(menu: string, select: Selector): Promise<ReadResult> {
    return this.reads.load({ menu, select });
  }

  /** Runs a job's changes in order on one line; one result per command. Rejects on transport errors. */
  write(commands: readonly Command[], secrets: readonly string[] = []): Promise<StepResult[]> {
    return this.writes.load({ commands, secrets }).then((o) => o.steps);
  }

  /**
   * Runs a job's changes, then reads `menu`'s rows picked by `select` on the same line, so the read sees the
   * changes and both take one exec. Rejects on transport errors.
   */
  writeThenRead(
    commands: readonly Command[],
    secrets: readonly string[],
    then: ReadRequest,
  ): Promise<{ steps: StepResult[]; read: ReadResult }> {
    return this.writes.load({ commands, secrets, then }).then((o) => ({ steps: o.steps, read: o.read! }));
  }

  private async readBatch(reqs: readonly ReadRequest[]): Promise<ReadResult[]> {
    const prints = printsFor(reqs, this.maxLineBytes);
    const results = await runCommands(
      this.transport,
      prints.map((p) => p.command),
      { maxLineBytes: this.maxLineBytes, readOnly: true },
    );
    return answer(reqs, prints, results);
  }

  private async writeBatch(jobs: readonly WriteJob[]): Promise<WriteOutcome[]> {
    const lines = packJobs(jobs, this.maxLineBytes);
    const out: WriteOutcome[] = new Array(jobs.length);
    const runLine = async (line: number[]): Promise<StepResult[]> => {
      const reads = line.flatMap((j) => (jobs[j].then ? [jobs[j].then!] : []));
      const prints = printsFor(reads, this.maxLineBytes);
      const commands = [...line.flatMap((j) => [...jobs[j].commands]), ...prints.map((p) => p.command)];
      const secrets = [...new Set(line.flatMap((j) => [...jobs[j].secrets]))];
      const results = await runCommands(this.transport, commands, { secrets, maxLineBytes: this.maxLineBytes });
      const answers = answer(reads, prints, results.slice(commands.length - prints.length));
      let at = 0;
      let r = 0;
      for (const j of line) {
        const n = jobs[j].commands.length;
        out[j] = { steps: results.slice(at, at + n), read: jobs[j].then ? answers[r++] : undefined };
        at += n;
      }
      return results;
    };
    await Promise.all(
      lines.map(async (line) => {
        const results = await runLine(line);
        const parsedNothing = line.length > 1 && results.every((r) => !r.ok && r.kind === "parse");
        // Nothing ran; one job per line finds the job the device rejects, and runs the others.
        if (parsedNothing) for (const j of line) await runLine([j]);
      }),
    );
    return out;
  }
}

/** The prints that answer `reqs`: per menu, one unfiltered print or the filters of menuFilters. */
function printsFor(reqs: readonly ReadRequest[], maxLineBytes: number): { menu: string; command: Command }[] {
  const prints: { menu: string; command: Command }[] = [];
  for (const menu of new Set(reqs.map((r) => r.menu))) {
    // One unfiltered print covers every other selector of the menu, and keeps the device's list order.
    if (reqs.some((r) => r.menu === menu && r.select.by === "all")) {
      prints.push({ menu, command: codec.printJson(menu) });
      continue;
    }
    const selectors = reqs.filter((r) => r.menu === menu).map((r) => r.select);
    for (const filter of menuFilters(menu, selectors, maxLineBytes))
      prints.push({ menu, command: codec.printJson(menu, filter) });
  }
  return prints;
}

/** Each request's rows out of the prints' results (one result per print, in order). */
function answer(
  reqs: readonly ReadRequest[],
  prints: readonly { menu: string }[],
  results: readonly StepResult[],
): ReadResult[] {
  const byMenu = new Map<string, Map<string, Row> | ReadResult>();
  prints.forEach((p, i) => {
    const seen = byMenu.get(p.menu);
    if (seen && !(seen instanceof Map)) return; // the menu already failed
    const r = results[i];
    if (!r.ok) return void byMenu.set(p.menu, r);
    let rows: Row[];
    try {
      rows = parseRows(r.payload);
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      return void byMenu.set(p.menu, { ok: false, kind: "protocol", message: e.message });
    }
    const map = seen ?? new Map<string, Row>();
    // Prints of one menu may overlap (a tag and a name selecting the same item): keep each row once.
    rows.forEach((row, k) => map.set(textValue(row[".id"]) ?? `?${i}:${k}`, row));
    byMenu.set(p.menu, map);
  });
  return reqs.map((req) => {
    const got = byMenu.get(req.menu)!;
    if (!(got instanceof Map)) return got;
    return { ok: true, rows: [...got.values()].filter((row) => selects(req.select, row)) };
  });
}

/** Whether `row` is one the selector asks for (exact, unlike the device-side prefix filter). */
function selects(s: Selector, row: Row): boolean {
  switch (s.by) {
    case "tag":
      return decodeTag(textValue(row.comment))?.identity === s.identity;
    case "name":
      return textValue(row.name) === s.name;
    case "id":
      return textValue(row[".id"]) === s.id;
    case "all":
      return true;
    case "untagged":
      return !(textValue(row.comment) ?? "").startsWith(TAG_PREFIX);
  }
}

/** Longest common prefix of strings. */
function commonPrefix(xs: readonly string[]): string {
  let p = xs[0] ?? "";
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Device-side filters covering every selector of one menu: one prefix regex for all identity tags (the longest
 * common prefix of their comments, at least `rs:`), and `||` chains of names and of ids, each chain cut so its
 * print fits on one line.
 */
export function menuFilters(menu: string, selectors: readonly Selector[], maxLineBytes = MAX_LINE_BYTES): Where[] {
  const filters: Where[] = [];
  const tags = selectors.flatMap((s) => (s.by === "tag" ? [TAG_PREFIX + s.identity] : []));
  if (tags.length > 0) filters.push({ op: "regex", prop: "comment", pattern: codec.regexPrefix(commonPrefix(tags)) });
  if (selectors.some((s) => s.by === "untagged")) {
    filters.push({ op: "not", term: { op: "regex", prop: "comment", pattern: codec.regexPrefix(TAG_PREFIX) } });
  }
  const terms: Where[] = [...new Set(selectors.flatMap((s) => (s.by === "name" ? [s.name] : [])))].map(
    (name): Where => ({ op: "eq", prop: "name", value: name }),
  );
  terms.push(
    ...[...new Set(selectors.flatMap((s) => (s.by === "id" ? [s.id] : [])))].map((id): Where => ({ op: "id", id })),
  );
  // Budget for the `where` part: the line of this one print without it, and room for ` where `.
  const budget = maxLineBytes - lineBytes(buildLine([codec.printJson(menu)], "x".repeat(12)).text) - 16;
  let chunk: Where[] = [];
  const flush = () => {
    if (chunk.length === 1) filters.push(chunk[0]);
    else if (chunk.length > 1) filters.push({ op: "or", terms: chunk });
    chunk = [];
  };
  for (const t of terms) {
    if (chunk.length > 0 && lineBytes(codec.where({ op: "or", terms: [...chunk, t] }).text) > budget) flush();
    chunk.push(t);
  }
  flush();
  return filters;
}

/**
 * Packs jobs (indices) into lines of at most `maxBytes`, each job whole on one line where it fits alone, with
 * the prints of the line's reads after its changes.
 */
function packJobs(jobs: readonly WriteJob[], maxBytes: number): number[][] {
  const lineOf = (line: readonly number[]): Command[] => [
    ...line.flatMap((j) => [...jobs[j].commands]),
    ...printsFor(
      line.flatMap((j) => (jobs[j].then ? [jobs[j].then!] : [])),
      maxBytes,
    ).map((p) => p.command),
  ];
  const lines: number[][] = [];
  let current: number[] = [];
  for (let j = 0; j < jobs.length; j++) {
    const candidate = [...current, j];
    if (current.length > 0 && lineBytes(buildLine(lineOf(candidate), "x".repeat(12)).text) > maxBytes) {
      lines.push(current);
      current = [j];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

const batchers = perDevice((transport: DeviceTransport) => new RouterOsBatcher(transport));

/** The batcher of a device's transport (one per transport object). */
export function batcherFor(transport: DeviceTransport): RouterOsBatcher {
  return batchers(transport, undefined);
}
