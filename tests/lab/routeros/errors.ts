/**
 * The two error classes of the RouterOS console (routeros-cli.md §4.1, §4.2):
 * parse errors abort the whole line before anything runs and carry "(line L column C)";
 * runtime errors stop the line where they happen and can be caught by `:onerror` / `:do on-error`.
 */

/** A parse-time error; `text` is the message without the position suffix. */
export class CliParseError extends Error {
  constructor(
    readonly text: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${text} (line ${line} column ${column})`);
  }
}

/** A runtime error; `message` is exactly what RouterOS prints and what `:onerror` puts into its variable. */
export class CliRuntimeError extends Error {}

export const rt = (message: string): CliRuntimeError => new CliRuntimeError(message);
