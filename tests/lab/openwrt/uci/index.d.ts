/** In-process API of the lab's uci stand-in (see index.js, openwrt-uci.md §2). */

export interface UciResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Run `uci <argv…>` in-process; same behaviour as `node uci.js <argv…>`. */
export function runUci(argv: string[], opts?: { stdin?: string | Buffer; cwd?: string }): UciResult;

export interface ParsedSection {
  name: string;
  type: string;
  anonymous: boolean;
  options: Record<string, string | string[]>;
}

/** Parse config-file text with uci's parser rules (§2.10). Throws `Parse error (…) at line N, byte M`. */
export function parseConfigFile(text: string, opts?: { name?: string; strict?: boolean }): ParsedSection[];

/** The cfgXXYYYY name of the `counter`-th section of `type` (§2.5). */
export function anonymousName(counter: number, type: string): string;
