// @ts-check
"use strict";
/**
 * In-process API of the uci stand-in, for fast tests and fuzzing: same behaviour as the CLI
 * (uci.js), on the real filesystem paths given with -c/-t/-p/-P.
 */

const { runCli } = require("./cli");
const uci = require("./libuci");
const tk = require("./tokenizer");
const { UciError, ERRSTR } = require("./errors");

/** @param {string} s */
const toBytes = (s) => Buffer.from(s, "utf8").toString("latin1");
/** @param {string} s */
const fromBytes = (s) => Buffer.from(s, "latin1").toString("utf8");

/**
 * Run `uci <argv…>` in this process.
 * @param {string[]} argv arguments after "uci"
 * @param {{ stdin?: string | Buffer, cwd?: string }} [opts]
 * @returns {{ stdout: string, stderr: string, code: number }}
 */
function runUci(argv, opts = {}) {
  /** @type {string[]} */
  const out = [];
  /** @type {string[]} */
  const err = [];
  const stdin = opts.stdin === undefined ? "" : opts.stdin;
  const code = runCli(argv.map(toBytes), {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    stdin: () => (typeof stdin === "string" ? toBytes(stdin) : stdin.toString("latin1")),
    cwd: opts.cwd,
  });
  return { stdout: fromBytes(out.join("")), stderr: fromBytes(err.join("")), code: code & 0xff };
}

/**
 * @typedef {{ name: string, type: string, anonymous: boolean,
 *   options: Record<string, string | string[]> }} ParsedSection
 */

/**
 * Parse config-file text with uci's parser (§2.10; strict by default) into sections, in file
 * order, anonymous ones carrying the cfgXXYYYY name uci would give them.
 * @param {string} text
 * @param {{ name?: string, strict?: boolean }} [opts]
 * @returns {ParsedSection[]}
 * @throws {Error} `Parse error (<reason>) at line N, byte M` (property `code`: libuci error code)
 */
function parseConfigFile(text, opts = {}) {
  const ctx = new uci.Context({ stderr: () => undefined });
  ctx.flags.strict = opts.strict !== false;
  let p;
  try {
    p = uci.importStream(ctx, tk.InputStream.fromString(toBytes(text)), opts.name || "config", null, true);
  } catch (e) {
    if (!(e instanceof UciError)) throw e;
    const pc = ctx.pctx;
    const detail = e.code === 5 && pc ? ` (${pc.reason || "unknown"}) at line ${pc.line}, byte ${pc.byte}` : "";
    const error = new Error(fromBytes(ERRSTR[e.code] + detail));
    Object.assign(error, { code: e.code });
    throw error;
  }
  if (!p) return [];
  return p.sections.map((s) => {
    /** @type {Record<string, string | string[]>} */
    const options = {};
    for (const o of s.options)
      options[fromBytes(o.name)] = o.type === "list" ? o.list.map(fromBytes) : fromBytes(o.value);
    return { name: fromBytes(s.name), type: fromBytes(s.type), anonymous: s.anonymous, options };
  });
}

module.exports = { runUci, parseConfigFile, anonymousName: uci.anonymousName };
