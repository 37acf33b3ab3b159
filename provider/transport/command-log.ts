/**
 * The per-device command log (DESIGN.md "Errors … A per-device log of the commands sent, with secrets
 * redacted, can be switched on"). One line per exec, appended in completion order.
 */
import { promises as fs } from "node:fs";
import { transportLog } from "./logger";
import { redact } from "./redact";

/** Longest stdin excerpt written to the log, characters (stdin can be a whole uploaded file). */
export const STDIN_LOG_LIMIT = 2048;

export interface CommandLogEntry {
  /** Milliseconds since the epoch when the exec started. */
  startedAt: number;
  device: string;
  mode: string;
  command: string;
  stdin?: string;
  durationMs: number;
  /** `ok exit=0`, `ok exit=none`, `error kind=timeout`, … */
  outcome: string;
}

/**
 * Formats one line: `<ISO time> <device> <mode> cmd=<JSON> stdin=<JSON excerpt> stdinBytes=<n> ms=<n> <outcome>`.
 * Command and stdin are JSON-quoted (so the line stays one line) after every secret is replaced by `***`.
 */
export function formatCommandLogLine(entry: CommandLogEntry, secrets: ReadonlyArray<string | undefined>): string {
  const stdinBytes = entry.stdin === undefined ? 0 : Buffer.byteLength(entry.stdin, "utf8");
  let stdin = "";
  if (entry.stdin !== undefined) {
    const clean = redact(entry.stdin, secrets);
    const excerpt = clean.length > STDIN_LOG_LIMIT ? `${clean.slice(0, STDIN_LOG_LIMIT)}…` : clean;
    stdin = ` stdin=${JSON.stringify(excerpt)}`;
  }
  return (
    `${new Date(entry.startedAt).toISOString()} ${entry.device} ${entry.mode} ` +
    `cmd=${JSON.stringify(redact(entry.command, secrets))}${stdin} stdinBytes=${stdinBytes} ` +
    `ms=${Math.round(entry.durationMs)} ${entry.outcome}\n`
  );
}

/** Appends lines to one file in order; a write failure is reported once through the logger, never thrown. */
export class CommandLog {
  private tail: Promise<void> = Promise.resolve();
  private warned = false;
  /** Whether the file's mode was set to 0600 (once per log: `mode` of appendFile applies only when it creates). */
  private secured = false;

  constructor(
    readonly file: string,
    private readonly device: string,
  ) {}

  /** Resolves once the line is on disk (or failed to be written). */
  append(entry: CommandLogEntry, secrets: ReadonlyArray<string | undefined>): Promise<void> {
    const line = formatCommandLogLine(entry, secrets);
    this.tail = this.tail.then(() =>
      this.write(line).catch((err: NodeJS.ErrnoException) => {
        if (this.warned) return;
        this.warned = true;
        transportLog(
          "warn",
          `device "${this.device}": cannot write command log ${this.file}: ${err.code ?? err.message}`,
        );
      }),
    );
    return this.tail;
  }

  /** Appends one line; the first also makes an existing file 0600 (a log made 0644 earlier, or by hand). */
  private async write(line: string): Promise<void> {
    if (this.secured) return fs.appendFile(this.file, line, { encoding: "utf8", mode: 0o600 });
    const h = await fs.open(this.file, "a", 0o600);
    try {
      await h.chmod(0o600);
      this.secured = true;
      await h.appendFile(line, "utf8");
    } finally {
      await h.close();
    }
  }
}
