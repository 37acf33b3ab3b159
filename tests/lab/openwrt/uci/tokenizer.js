// @ts-check
"use strict";
/**
 * The uci tokenizer: config files, delta files and `uci batch` input all go through the same
 * line buffer and argument parser (openwrt-uci.md §2.8 "Tokenizing follows config-file rules",
 * §2.10). The quirks the reference measured come from how that parser works on its buffer in
 * place — `;` handling, `#` anywhere in an unquoted word, multi-line quotes, error byte offsets —
 * so this module keeps the same model: one byte buffer per logical line, a read position `pos`,
 * tokens copied down in place and terminated with a 0 byte.
 *
 * All text is handled as "byte strings" (latin1: one JS char per byte) so byte offsets in error
 * messages and non-ASCII UTF-8 values pass through unchanged (§2.3).
 */

const { UciError, ERR } = require("./errors");

/** stdio-like input with C `fgets`/`feof` semantics over a fully buffered byte string. */
class InputStream {
  /** @param {() => string} loader produces the whole content (latin1 byte string) on first use */
  constructor(loader) {
    /** @private */ this.loader = loader;
    /** @private @type {string | null} */ this.content = null;
    this.offset = 0;
    /** Like feof(): set only once a read has run into the end of the data. */
    this.eof = false;
  }

  /** @param {string} text */
  static fromString(text) {
    return new InputStream(() => text);
  }

  /** @returns {string} */
  get data() {
    if (this.content === null) this.content = this.loader();
    return this.content;
  }

  /**
   * One `fgets` with an unbounded buffer: up to and including the next '\n'.
   * @returns {string | null} null when nothing is left
   */
  fgets() {
    const d = this.data;
    if (this.offset >= d.length) {
      this.eof = true;
      return null;
    }
    const nl = d.indexOf("\n", this.offset);
    let end;
    if (nl < 0) {
      end = d.length;
      this.eof = true; // fgets hit EOF while reading this last, unterminated line
    } else {
      end = nl + 1;
    }
    const chunk = d.slice(this.offset, end);
    this.offset = end;
    return chunk;
  }
}

/** C isspace() in the "C" locale. @param {number} c */
function isspace(c) {
  return c === 32 || (c >= 9 && c <= 13);
}

/** C isalnum() in the "C" locale. @param {number} c */
function isalnum(c) {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Name/type validation (§2.6: names [A-Za-z0-9_], packages also '-'; §2.1: a type may hold any
 * printable non-space character).
 * @param {string} str @param {boolean} name @param {boolean} pkg
 */
function validateStr(str, name, pkg) {
  if (!str.length) return false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (isalnum(c) || c === 95) continue;
    if (c === 45 && pkg) continue;
    if (name || c < 33 || c > 126) return false;
  }
  return true;
}
/** @param {string} s */
const validatePackage = (s) => validateStr(s, true, true);
/** @param {string} s */
const validateName = (s) => validateStr(s, true, false);
/** @param {string} s */
const validateType = (s) => validateStr(s, false, false);

/**
 * Values: any byte except control characters other than TAB, LF and CR (§2.1 "value with a
 * control char other than TAB/LF/CR → Parse error"; §2.3 raw newlines round-trip).
 * @param {string} s
 */
function validateText(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/**
 * Parser state for one input (a config file, a delta file or the batch input). Besides the
 * line buffer it carries what uci reports in parse errors: line, byte and reason (§2.1
 * "` (<reason>) at line N, byte M` is appended").
 */
class ParseContext {
  /** @param {InputStream} file */
  constructor(file) {
    this.file = file;
    /** @type {number[]} byte values; index >= length reads as 0 (the C terminator) */
    this.buf = [];
    this.bufFilled = 0;
    this.pos = 0;
    this.line = 0;
    this.byte = 0;
    /** @type {string | null} */
    this.reason = null;
    // import state (file.c's uci_parse_context)
    /** @type {import('./libuci').Package | null} */
    this.package = null;
    /** @type {import('./libuci').Section | null} */
    this.section = null;
    /** @type {string | null} */
    this.name = null;
    this.merge = false;
  }

  /** @param {number} i */
  ch(i) {
    return i < this.buf.length ? this.buf[i] : 0;
  }

  cur() {
    return this.ch(this.pos);
  }

  /** @param {number} i @param {number} c */
  put(i, c) {
    while (this.buf.length <= i) this.buf.push(0);
    this.buf[i] = c;
  }

  /** The 0-terminated string starting at i. @param {number} i */
  str(i) {
    let out = "";
    for (let j = i; j < this.buf.length && this.buf[j] !== 0; j++) out += String.fromCharCode(this.buf[j]);
    return out;
  }

  /** @param {number} i */
  strlen(i) {
    let j = i;
    while (j < this.buf.length && this.buf[j] !== 0) j++;
    return j - i;
  }
}

/**
 * Record a parse error at the current position and throw (byte = read position, which is what
 * the measured messages report, e.g. "invalid command at line 3, byte 1" for an indented line).
 * @param {{ pctx: ParseContext | null }} ctx @param {string} reason
 * @returns {never}
 */
function parseError(ctx, reason) {
  const pctx = /** @type {ParseContext} */ (ctx.pctx);
  pctx.reason = reason;
  pctx.byte = pctx.pos;
  throw new UciError(ERR.PARSE);
}

/**
 * Read the next physical line into the buffer at `offset` (offset > 0 continues a logical line:
 * multi-line quotes, backslash-newline). The line counter only advances on a '\n'.
 * A NUL byte ends what fgets' caller sees of the chunk, as strlen() would.
 * @param {{ pctx: ParseContext | null }} ctx @param {number} offset
 */
function getln(ctx, offset) {
  const pctx = /** @type {ParseContext} */ (ctx.pctx);
  pctx.buf.length = Math.min(pctx.buf.length, offset);
  for (;;) {
    let chunk = pctx.file.fgets();
    if (chunk === null) return;
    const nul = chunk.indexOf("\0");
    if (nul === 0) return;
    if (nul > 0) chunk = chunk.slice(0, nul);
    for (let i = 0; i < chunk.length; i++) pctx.buf.push(chunk.charCodeAt(i));
    pctx.bufFilled = pctx.buf.length;
    if (nul < 0 && chunk.endsWith("\n")) {
      pctx.line++;
      return;
    }
  }
}

/**
 * After a backslash: a line end means continuation (fetch the next line, drop the break);
 * anything else is taken literally by the caller.
 * @param {{ pctx: ParseContext | null }} ctx
 */
function parseBackslash(ctx) {
  const pctx = /** @type {ParseContext} */ (ctx.pctx);
  pctx.pos += 1;
  const c = pctx.cur();
  if (c === 0 || c === 10 || (c === 13 && pctx.ch(pctx.pos + 1) === 10 && pctx.ch(pctx.pos + 2) === 0)) {
    getln(ctx, pctx.pos);
    return false;
  }
  return true;
}

/** @param {{ pctx: ParseContext | null }} ctx */
function skipWhitespace(ctx) {
  const pctx = /** @type {ParseContext} */ (ctx.pctx);
  while (pctx.cur() && isspace(pctx.cur())) pctx.pos += 1;
}

/** @param {ParseContext} pctx @param {{ v: number }} target */
function addc(pctx, target) {
  pctx.put(target.v, pctx.cur());
  target.v += 1;
  pctx.pos += 1;
}

/** "…": `\x` gives x (so `\n` is 'n', §2.10), backslash-newline continues. @param {{ pctx: ParseContext | null }} ctx @param {{ v: number }} target */
function parseDoubleQuote(ctx, target) {
  const pctx = /** @type {ParseContext} */ (ctx.pctx);
  pctx.pos += 1;
  for (;;) {
    const c = pctx.cur();
    if (c === 34) {
      pctx.pos += 1;
      return;
    }
    if (c === 0) {
      getln(ctx, pctx.pos);
      if (!pctx.cur()) parseError(ctx, 'EOF with unterminated "');
      continue;
    }
    if (c === 92 && !parseBackslash(ctx)) continue;
    addc(pctx, target);
  }
}

/** '…' is literal and may span lines. @param {{ pctx: ParseContext | null }} ctx @param {{ v: number }} target */
function parseSingleQuote(ctx, target) {
  const pctx = /** @type {ParseContext} */ (ctx.pctx);
  pctx.pos += 1;
  for (;;) {
    const c = pctx.cur();
    if (c === 39) {
      pctx.pos += 1;
      return;
    }
    if (c === 0) {
      getln(ctx, pctx.pos);
      if (!pctx.cur()) parseError(ctx, "EOF with unterminated '");
      continue;
    }
    addc(pctx, target);
  }
}

/**
 * One word: adjacent quoted/unquoted pieces concatenate ('a'"b"c → abc, §2.10). An unquoted '#'
 * ends the line, ';' ends the word without being consumed. The word is terminated in place,
 * which can overwrite that ';' — the reason `config sec 'a'; option x 1; option y '2;3'`
 * loads only x (§2.10).
 * @param {{ pctx: ParseContext | null }} ctx @param {{ v: number }} target
 */
function parseStr(ctx, target) {
  const pctx = /** @type {ParseContext} */ (ctx.pctx);
  let next = true;
  scan: do {
    switch (pctx.cur()) {
      case 39:
        parseSingleQuote(ctx, target);
        break;
      case 34:
        parseDoubleQuote(ctx, target);
        break;
      case 35: // '#'
        pctx.put(pctx.pos, 0);
        break scan;
      case 0:
        break scan;
      case 59: // ';'
        next = false;
        break scan;
      case 92: // '\\'
        if (!parseBackslash(ctx)) continue; // re-checks the loop condition, as C's do/while does
        addc(pctx, target);
        break;
      default:
        addc(pctx, target);
        break;
    }
  } while (pctx.cur() && !isspace(pctx.cur()));
  if (pctx.cur() && next) pctx.pos += 1;
  pctx.put(target.v, 0);
}

/**
 * Next argument; returns its buffer offset (empty string = no more arguments).
 * @param {{ pctx: ParseContext | null }} ctx @param {boolean} required @param {boolean} name @param {boolean} pkg
 */
function nextArg(ctx, required, name, pkg) {
  const pctx = /** @type {ParseContext} */ (ctx.pctx);
  skipWhitespace(ctx);
  const val = pctx.pos;
  if (pctx.cur() === 59) {
    pctx.put(pctx.pos, 0);
    pctx.pos += 1;
  } else {
    parseStr(ctx, { v: val });
  }
  if (!pctx.ch(val)) {
    if (required) parseError(ctx, "insufficient arguments");
    return val;
  }
  if (name && !validateStr(pctx.str(val), name, pkg)) parseError(ctx, "invalid character in name field");
  return val;
}

/**
 * uci_parse_argument(): next word of `stream`; `newLine` starts by reading a fresh line (a new
 * batch command). The parser context is kept across calls on the same stream and replaced when
 * the stream differs — which is why the batch's line numbers restart after a package load.
 * @param {{ pctx: ParseContext | null }} ctx @param {InputStream} stream @param {boolean} newLine
 * @returns {{ arg: string, rest: number }} rest = byte at the read position afterwards (0 = end)
 */
function parseArgument(ctx, stream, newLine) {
  if (ctx.pctx && ctx.pctx.file !== stream) ctx.pctx = null;
  if (!ctx.pctx) ctx.pctx = new ParseContext(stream);
  const pctx = ctx.pctx;
  pctx.file = stream;
  if (newLine) {
    pctx.pos = 0;
    getln(ctx, 0);
  }
  const ofs = nextArg(ctx, false, false, false);
  return { arg: pctx.str(ofs), rest: pctx.cur() };
}

/**
 * strtok(cur, " \t"): only space and TAB delimit commands, so "config\n" is one word (and an
 * invalid command). Writes the terminator into the buffer like strtok does.
 * @param {ParseContext} pctx @returns {number} start offset or -1
 */
function strtok(pctx) {
  let i = pctx.pos;
  while (pctx.ch(i) === 32 || pctx.ch(i) === 9) i++;
  if (!pctx.ch(i)) return -1;
  const start = i;
  while (pctx.ch(i) && pctx.ch(i) !== 32 && pctx.ch(i) !== 9) i++;
  if (pctx.ch(i)) pctx.put(i, 0);
  return start;
}

module.exports = {
  InputStream,
  ParseContext,
  isspace,
  validateStr,
  validatePackage,
  validateName,
  validateType,
  validateText,
  parseError,
  getln,
  skipWhitespace,
  nextArg,
  parseArgument,
  strtok,
};
