/**
 * The exec envelope (routeros-cli.md §4.2, transcript T9). RouterOS' exit status means nothing (§1.1), so every
 * exec is one line of the form
 *
 *   :put "RS<nonce>-BEGIN"; :onerror e in={ <change 0>; :put "RS<nonce>-OK 0" } do={ :put ("RS<nonce>-ERR 0 " . $e) }; …; :put "RS<nonce>-END"
 *
 * - no BEGIN marker ⇒ the line did not parse (parse errors are not catchable and nothing runs, §4.2 [I]); the raw
 *   output is the device's message. A line with several changes is then re-run one change per line so the error
 *   is attributed to the change that caused it.
 * - `ERR i <msg>` ⇒ change i failed at run time with `<msg>` (`$e`; its exact content is [I], T9).
 * - `OK i` ⇒ change i succeeded; lines printed before it (the `.id` from `:put [/menu/add …]`, a JSON read) are
 *   its payload.
 * The nonce is random per exec so no value printed by a read can forge a marker.
 *
 * Lines are at most 4096 bytes (§1.3: no documented limit, ≲ 4 KB recommended [I]); changes that do not fit
 * together go to further lines.
 */
import { randomBytes } from "node:crypto";
import type { DeviceTransport } from "../transport/types";
import { envelopeSyntax, putText, secretSpellings, type Command } from "./codec";

/** Maximum bytes of one exec line. */
export const MAX_LINE_BYTES = 4096;

/** Outcome of one change. `payload` holds the lines the change printed (right-trimmed, echo lines dropped). */
export type StepResult =
  | { ok: true; payload: string[] }
  /** `parse`: the line was rejected before running; `runtime`: caught by `:onerror`; `protocol`: output unusable. */
  | { ok: false; kind: "parse" | "runtime" | "protocol"; message: string };

/** A built exec line and the markers needed to parse its output. */
export interface EnvelopeLine {
  text: string;
  nonce: string;
  steps: number;
}

function markers(nonce: string) {
  const p = `RS${nonce}-`;
  return { begin: `${p}BEGIN`, end: `${p}END`, ok: `${p}OK `, err: `${p}ERR ` };
}

/** Builds one envelope line around `commands`; `nonce` is random unless given (tests). */
export function buildLine(commands: readonly Command[], nonce: string = randomBytes(6).toString("hex")): EnvelopeLine {
  const m = markers(nonce);
  const parts = [putText(m.begin).text];
  commands.forEach((c, i) => {
    const body = `${envelopeSyntax.run(c)}; ${putText(`${m.ok}${i}`).text}`;
    parts.push(envelopeSyntax.onError(body, `${m.err}${i} `).text);
  });
  parts.push(putText(m.end).text);
  return { text: envelopeSyntax.line(parts), nonce, steps: commands.length };
}

/** Bytes of a line as sent (UTF-8; codec output is ASCII). */
export function lineBytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Groups commands into envelope lines of at most `maxBytes`, keeping their order. Throws RangeError naming the
 * command's size when a single command does not fit on a line by itself.
 */
export function planLines(commands: readonly Command[], maxBytes = MAX_LINE_BYTES): Command[][] {
  const groups: Command[][] = [];
  let current: Command[] = [];
  for (const c of commands) {
    if (lineBytes(buildLine([c], "x".repeat(12)).text) > maxBytes) {
      throw new RangeError(`command of ${lineBytes(c.text)} bytes does not fit in one ${maxBytes}-byte exec line`);
    }
    const candidate = [...current, c];
    // The nonce has a fixed length, so a placeholder measures the real line exactly.
    if (current.length > 0 && lineBytes(buildLine(candidate, "x".repeat(12)).text) > maxBytes) {
      groups.push(current);
      current = [c];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Async log echo lines that RouterOS may interleave with output (§1.1 [I]). */
const ECHO_LINE = /^\d\d:\d\d:\d\d echo: /;

/** Splits stdout into right-trimmed lines (CRLF endings, column padding; §1.1), dropping log echo lines. */
export function outputLines(stdout: string): string[] {
  const lines = stdout.split(/\r?\n/).map((l) => l.replace(/\s+$/, ""));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.filter((l) => !ECHO_LINE.test(l));
}

/**
 * Parses the output of one envelope line into one result per change.
 * Missing BEGIN ⇒ every change gets `{kind: "parse"}` with the raw text as message.
 * A change without its OK/ERR marker, or a missing END, ⇒ `{kind: "protocol"}` (output cut short or
 * an uncatchable fault).
 */
export function parseLine(line: EnvelopeLine, stdout: string): StepResult[] {
  const m = markers(line.nonce);
  const lines = outputLines(stdout);
  const beginAt = lines.indexOf(m.begin);
  if (beginAt < 0) {
    const message = lines.filter((l) => l !== "").join("\n") || "command was not run (no output)";
    return Array.from({ length: line.steps }, () => ({ ok: false as const, kind: "parse" as const, message }));
  }
  const results: StepResult[] = [];
  let payload: string[] = [];
  let sawEnd = false;
  for (const l of lines.slice(beginAt + 1)) {
    if (l === m.end) {
      sawEnd = true;
      break;
    }
    const i = results.length;
    if (l === `${m.ok}${i}`) {
      results.push({ ok: true, payload });
      payload = [];
    } else if (l.startsWith(`${m.err}${i} `) || l === `${m.err}${i}`) {
      // The change's own output before the failure is dropped: a failed add printed no id.
      results.push({ ok: false, kind: "runtime", message: l.slice(`${m.err}${i} `.length).trim() });
      payload = [];
    } else {
      payload.push(l);
    }
  }
  // The payload is not quoted: on a read it is the menu's items, passwords included on 7.16–7.20 (issue 14).
  const size = `device output: ${payload.length} lines, ${payload.join("\n").length} characters`;
  const missing = sawEnd
    ? `no result marker for this change (${size})`
    : `output ended before the end marker (${size})`;
  while (results.length < line.steps) results.push({ ok: false, kind: "protocol", message: missing });
  return results;
}

/** Options of `runCommands`. */
export interface RunOptions {
  /** Values that must never be logged (passed to the transport). */
  secrets?: string[];
  /** Override of MAX_LINE_BYTES (tests). */
  maxLineBytes?: number;
  /** The commands only read (prints): see ExecOptions.readOnly. */
  readOnly?: boolean;
}

/**
 * Runs commands over the transport: as few envelope lines as fit, in order, one exec each. When a line with
 * several changes fails to parse, its changes are re-run one per line to attribute the error; changes that
 * parse on their own then run. Returns one result per command, in order. Transport errors propagate.
 */
export async function runCommands(
  transport: DeviceTransport,
  commands: readonly Command[],
  opts: RunOptions = {},
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const group of planLines(commands, opts.maxLineBytes)) {
    const groupResults = await execLine(transport, group, opts);
    if (group.length > 1 && groupResults.every((r) => !r.ok && r.kind === "parse")) {
      for (const c of group) results.push(...(await execLine(transport, [c], opts)));
    } else {
      results.push(...groupResults);
    }
  }
  return results;
}

async function execLine(
  transport: DeviceTransport,
  commands: readonly Command[],
  opts: RunOptions,
): Promise<StepResult[]> {
  const line = buildLine(commands);
  // Redacted as the codec spelled them on the line, not only as given (transport/redact.ts guesses other codecs).
  const res = await transport.exec(line.text, {
    secrets: secretSpellings(opts.secrets ?? []),
    readOnly: opts.readOnly,
  });
  return parseLine(line, res.stdout + (res.stderr ? `\n${res.stderr}` : ""));
}
