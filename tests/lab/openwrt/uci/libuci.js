// @ts-check
"use strict";
/**
 * The library half of the uci stand-in: the package/section/option model, lookups
 * (`pkg.sec.opt`, `@type[N]`), the operations (set, delete, add, add_list, del_list, rename,
 * reorder, revert), the config-file parser (import), delta ("save") files and commit.
 * Behaviour follows openwrt-uci.md §2; where the reference is silent the choice is the 23.05-era
 * libuci's (uci 5781664, §1), stated in a comment at that spot.
 *
 * Strings are byte strings (latin1, one char per byte); see tokenizer.js.
 */

const fs = require("fs");
const nodePath = require("path");
const crypto = require("crypto");
const { UciError, ERR, ERRSTR } = require("./errors");
const tk = require("./tokenizer");

/** Delta commands, in libuci's enum order (the order matters when matching the prefix char). */
const CMD = Object.freeze({ ADD: 0, REMOVE: 1, CHANGE: 2, RENAME: 3, REORDER: 4, LIST_ADD: 5, LIST_DEL: 6 });
/** Delta-file line prefixes (§2.7): add=+, delete=-, set=(none), rename=@, reorder=^, add_list=|, del_list=~ */
const CMD_CHAR = ["+", "-", "", "@", "^", "|", "~"];

/**
 * @typedef {{ name: string, type: 'string' | 'list', value: string, list: string[], section: Section }} Option
 * @typedef {{ name: string, type: string, anonymous: boolean, options: Option[], package: Package }} Section
 * @typedef {{ cmd: number, section: string, option: string | null, value: string | null }} Delta
 * @typedef {{
 *   name: string, sections: Section[], nSection: number, path: string | null, hasDelta: boolean,
 *   delta: Delta[], savedDelta: Delta[] }} Package
 * @typedef {{
 *   package: string | null, section: string | null, option: string | null, value: string | null,
 *   extended: boolean, done: boolean, complete: boolean,
 *   p: Package | null, s: Section | null, o: Option | null }} Ptr
 */

/** Wrap in '…' and turn every ' into '\'' — the one quoting rule uci uses everywhere (§2.3). @param {string} v */
function quote(v) {
  return "'" + v.split("'").join("'\\''") + "'";
}
/** The same escaping without the surrounding quotes (export writes types/names this way). @param {string} v */
function escape(v) {
  return v.split("'").join("'\\''");
}

/**
 * djb hash of the section type, as libuci computes it for anonymous names (§2.5). Bytes are
 * added as C `char`, which is signed on x86_64 where the reference was measured; only non-ASCII
 * type names are affected (an ARM router's unsigned char would differ there).
 * @param {string} str
 */
function djbhash(str) {
  let h = 5381;
  for (let i = 0; i < str.length; i++) {
    const b = str.charCodeAt(i) & 0xff;
    h = (h * 33 + (b >= 128 ? b - 256 : b)) >>> 0;
  }
  return h & 0x7fffffff;
}

/** `cfg` + %02x creation counter + %04x hash of the type (§2.5). @param {number} counter @param {string} type */
function anonymousName(counter, type) {
  return "cfg" + counter.toString(16).padStart(2, "0") + (djbhash(type) % 65536).toString(16).padStart(4, "0");
}

/**
 * sscanf(s, "%d"): number of conversions (1, 0 for no digits, -1 for only whitespace) and value.
 * @param {string} s
 */
function scanInt(s) {
  let i = 0;
  while (i < s.length && tk.isspace(s.charCodeAt(i))) i++;
  if (i >= s.length) return { n: -1, value: 0 };
  let sign = 1;
  if (s[i] === "+" || s[i] === "-") {
    if (s[i] === "-") sign = -1;
    i++;
  }
  const m = /^[0-9]+/.exec(s.slice(i));
  if (!m) return { n: 0, value: 0 };
  return { n: 1, value: Number(BigInt.asIntN(32, BigInt(m[0]) * BigInt(sign))) };
}

/**
 * strtoul(s, NULL, 10) passed on as a C int (reorder positions, §2.6 "A non-numeric N is read as 0").
 * @param {string} s
 */
function strtoulInt(s) {
  let i = 0;
  while (i < s.length && tk.isspace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === "+" || s[i] === "-") {
    neg = s[i] === "-";
    i++;
  }
  const m = /^[0-9]+/.exec(s.slice(i));
  if (!m) return 0;
  let v = BigInt(m[0]);
  const max = (1n << 64n) - 1n;
  if (v > max) v = max;
  else if (neg) v = BigInt.asUintN(64, -v);
  return Number(BigInt.asIntN(32, v));
}

class Context {
  /** @param {{ cwd?: string, stderr: (s: string) => void }} io */
  constructor(io) {
    /** confdir default is compiled in (§1). */
    this.confdir = "/etc/config";
    this.savedir = "/tmp/.uci";
    /**
     * Delta sources, applied in order. The default savedir starts in the list and `-t`/`-P`
     * append their dir (libuci's uci_set_savedir), so with `-t DIR` pending changes in
     * /tmp/.uci are still read — the reference (§1, §2.7) only says plain uci does not see
     * `-t` changes; this follows libuci for the other direction.
     * @type {string[]}
     */
    this.deltaPath = [this.savedir];
    this.flags = { strict: true, perror: false, exportName: false, savedDelta: true };
    /** @type {Package[]} loaded packages */
    this.root = [];
    /** @type {tk.ParseContext | null} */
    this.pctx = null;
    this.err = 0;
    /**
     * The error-detail buffer is static in libuci and never cleared, so every error message
     * carries one more '\n' than the previous one, and a parse error's " (…) at line N, byte M"
     * sticks to later messages (§2.8 "The k-th error message is followed by k newlines").
     * uci's buffer is 128 bytes and overflows after that many errors; this one just grows.
     */
    this.errorInfo = "";
    /** cwd as a byte string, for resolving relative -c/-t/-p paths */
    this.cwd = Buffer.from(io.cwd || process.cwd(), "utf8").toString("latin1");
    this.writeStderr = io.stderr;
  }

  /** Filesystem path (Buffer, so non-ASCII bytes survive) for a byte-string path. @param {string} p */
  fsPath(p) {
    return Buffer.from(nodePath.resolve(this.cwd, p), "latin1");
  }

  /** uci_perror(): `<prefix>: <message><details>` on stderr. @param {string | null} prefix */
  perror(prefix) {
    let err = this.err;
    if (err < 0 || err >= ERRSTR.length) err = ERR.UNKNOWN;
    if (err === ERR.PARSE && this.pctx) {
      const p = this.pctx;
      // snprintf(error_info, sizeof(error_info) - 1, …): at most 126 bytes
      this.errorInfo = ` (${p.reason || "unknown"}) at line ${p.line}, byte ${p.byte}`.slice(0, 126);
    }
    this.errorInfo += "\n";
    this.writeStderr((prefix !== null ? prefix + ": " : "") + ERRSTR[err] + this.errorInfo);
  }

  /** uci_set_savedir: move/append the dir to the end of the delta path. @param {string} dir */
  setSavedir(dir) {
    const i = this.deltaPath.indexOf(dir);
    if (i >= 0) this.deltaPath.splice(i, 1);
    this.deltaPath.push(dir);
    this.savedir = dir;
  }

  /** uci_add_delta_path (-p): inserted before the savedir, duplicates rejected. @param {string} dir */
  addDeltaPath(dir) {
    if (this.deltaPath.includes(dir)) throw new UciError(ERR.DUPLICATE);
    this.deltaPath.splice(Math.max(0, this.deltaPath.length - 1), 0, dir);
  }
}

// ---------------------------------------------------------------------------------------------
// model helpers

/** @param {string} name @returns {Package} */
function newPackage(name) {
  return { name, sections: [], nSection: 0, path: null, hasDelta: false, delta: [], savedDelta: [] };
}

/** @param {Package} p @param {number} cmd @param {string} section @param {string | null} option @param {string | null} value */
function addDelta(p, cmd, section, option, value) {
  p.delta.push({ cmd, section, option, value });
}

/**
 * New section; every allocation bumps the package's counter (named sections too, deletions never
 * give numbers back), which is what anonymous names are numbered by (§2.5).
 * @param {Package} p @param {string} type @param {string | null} name @param {number} [at]
 * @returns {Section}
 */
function allocSection(p, type, name, at) {
  if (name === "") name = null;
  /** @type {Section} */
  const s = { name: name === null ? "" : name, type, anonymous: name === null, options: [], package: p };
  p.nSection++;
  if (at === undefined) p.sections.push(s);
  else p.sections.splice(at, 0, s);
  return s;
}

/** @returns {Ptr} */
function emptyPtr() {
  return {
    package: null,
    section: null,
    option: null,
    value: null,
    extended: false,
    done: false,
    complete: false,
    p: null,
    s: null,
    o: null,
  };
}

/** A pointer that already designates an element (used by the file parser). @param {Package} p @param {Section} [s] */
function fillPtr(p, s) {
  const ptr = emptyPtr();
  ptr.p = p;
  ptr.package = p.name;
  if (s) {
    ptr.s = s;
    ptr.section = s.name;
  }
  ptr.done = true;
  return ptr;
}

/**
 * `pkg[.sec[.opt]][=value]`: only the first '=' splits (§2.3). Invalid package/option names and
 * values with control characters are parse errors; a section that is not a plain name is looked
 * up with the extended `@type[N]` syntax (§2.1 rows for `set`).
 * @param {string} str @returns {Ptr}
 */
function parsePtr(str) {
  const ptr = emptyPtr();
  const eq = str.indexOf("=");
  if (eq >= 0) {
    ptr.value = str.slice(eq + 1);
    str = str.slice(0, eq);
  }
  const parts = str.split(".");
  if (parts.length > 3) throw new UciError(ERR.PARSE);
  ptr.package = parts[0];
  ptr.section = parts.length > 1 ? parts[1] : null;
  ptr.option = parts.length > 2 ? parts[2] : null;
  if (!tk.validatePackage(ptr.package)) throw new UciError(ERR.PARSE);
  if (ptr.section !== null && !tk.validateName(ptr.section)) ptr.extended = true;
  if (ptr.option !== null && !tk.validateName(ptr.option)) throw new UciError(ERR.PARSE);
  if (ptr.value !== null && !tk.validateText(ptr.value)) throw new UciError(ERR.PARSE);
  return ptr;
}

/**
 * `@type[N]` / `@[N]`; negative N counts from the end (§2.2). Malformed → Invalid argument,
 * no match → null.
 * @param {Ptr} ptr @param {Package} p
 */
function lookupExtSection(ptr, p) {
  const m = /^@([^[]*)\[([^\]]*)\]$/.exec(/** @type {string} */ (ptr.section));
  if (!m) throw new UciError(ERR.INVAL);
  // strtol() must consume the whole index; an empty index reads as 0
  if (m[2] !== "" && !/^[ \t\n\v\f\r]*[+-]?[0-9]+$/.test(m[2])) throw new UciError(ERR.INVAL);
  let idx = m[2] === "" ? 0 : Number(m[2].trim());
  const type = m[1] === "" ? null : m[1];
  if (type !== null && !tk.validateType(type)) throw new UciError(ERR.INVAL);
  const matching = p.sections.filter((s) => type === null || s.type === type);
  if (idx < 0) idx += matching.length;
  const s = matching[idx] || null;
  if (s) ptr.section = s.name;
  return s;
}

/**
 * uci_lookup_ptr(): parse (when given a string), load the package if needed, resolve section and
 * option. A missing section/option is not an error here; `complete` tells whether all was found.
 * @param {Context} ctx @param {Ptr | string} ptrOrStr @param {boolean} extended
 * @returns {Ptr}
 */
function lookupPtr(ctx, ptrOrStr, extended) {
  const ptr = typeof ptrOrStr === "string" ? parsePtr(ptrOrStr) : ptrOrStr;
  ptr.done = true;
  if (!ptr.p) {
    const loaded = ctx.root.find((x) => x.name === ptr.package);
    ptr.p = loaded || load(ctx, /** @type {string} */ (ptr.package));
  }
  if (ptr.section === null && !ptr.s) {
    ptr.complete = true;
    return ptr;
  }
  /** @type {Section | null} */
  let s;
  if (ptr.s) s = ptr.s;
  else if (ptr.extended) {
    if (!extended) throw new UciError(ERR.INVAL);
    s = lookupExtSection(ptr, ptr.p);
  } else s = ptr.p.sections.find((x) => x.name === ptr.section) || null;
  if (!s) return ptr;
  ptr.s = s;
  if (ptr.option !== null) {
    const o = s.options.find((x) => x.name === ptr.option) || null;
    if (!o) return ptr;
    ptr.o = o;
  }
  ptr.complete = true;
  return ptr;
}

/** @param {Context} ctx @param {Ptr} ptr @param {boolean} complete */
function expandPtr(ctx, ptr, complete) {
  if (!ptr.done) lookupPtr(ctx, ptr, true);
  if (complete && !ptr.complete) throw new UciError(ERR.NOTFOUND);
  if (!ptr.p) throw new UciError(ERR.INVAL);
  if (ptr.package === null) ptr.package = ptr.p.name;
  if (ptr.s && ptr.section === null) ptr.section = ptr.s.name;
  if (ptr.o && ptr.option === null) ptr.option = ptr.o.name;
}

// ---------------------------------------------------------------------------------------------
// operations; `internal` = replaying a file/delta, i.e. record no delta

/**
 * §2.6 set: creates a named section or changes its type; sets an option (the section must
 * exist). Identical value → nothing recorded; empty value deletes (no-op when absent); a list
 * is replaced by one string in place.
 * @param {Context} ctx @param {Ptr} ptr @param {boolean} internal
 */
function set(ctx, ptr, internal) {
  expandPtr(ctx, ptr, false);
  const p = /** @type {Package} */ (ptr.p);
  if (ptr.value === null) throw new UciError(ERR.INVAL);
  if (!(ptr.s || (ptr.option === null && ptr.section !== null))) throw new UciError(ERR.INVAL);
  if (ptr.option === null && ptr.value !== "" && !tk.validateType(ptr.value)) throw new UciError(ERR.INVAL);
  if (!ptr.o && ptr.s && ptr.option !== null) ptr.o = ptr.s.options.find((x) => x.name === ptr.option) || null;
  if (ptr.value === "") {
    if (!ptr.complete) return;
    // libuci calls uci_delete() from inside uci_set(), after its entry reset the "internal"
    // flag, so the removal is recorded even during a replay (only reachable with a hand-written
    // `x=''` delta line).
    del(ctx, ptr, false);
    return;
  } else if (!ptr.o && ptr.option !== null) {
    const s = /** @type {Section} */ (ptr.s);
    ptr.o = { name: ptr.option, type: "string", value: ptr.value, list: [], section: s };
    s.options.push(ptr.o);
  } else if (!ptr.s && ptr.section !== null) {
    ptr.s = allocSection(p, ptr.value, ptr.section);
  } else if (ptr.o && ptr.option !== null) {
    if (ptr.o.type === "string" && ptr.o.value === ptr.value) return;
    ptr.o.type = "string";
    ptr.o.value = ptr.value;
    ptr.o.list = [];
  } else if (ptr.s && ptr.section !== null) {
    const s = ptr.s;
    if (s.type === ptr.value) return;
    if (s.type.length !== ptr.value.length && s.name !== "") {
      // libuci reallocates the section under its current name when the type length changes,
      // which also makes an anonymous section a named one (a same-length type is copied in place).
      s.anonymous = false;
    }
    s.type = ptr.value;
  } else {
    throw new UciError(ERR.INVAL);
  }
  if (!internal && p.hasDelta) addDelta(p, CMD.CHANGE, /** @type {string} */ (ptr.section), ptr.option, ptr.value);
}

/**
 * §2.6 delete; `=N` on a list removes element N (0-based, out of range = no change, the index is
 * kept in the delta), on a string removes the option. Returns 1 for a non-numeric index.
 * @param {Context} ctx @param {Ptr} ptr @param {boolean} internal
 */
function del(ctx, ptr, internal) {
  expandPtr(ctx, ptr, true);
  const p = /** @type {Package} */ (ptr.p);
  if (!ptr.s) throw new UciError(ERR.INVAL);
  if (ptr.o && ptr.o.type === "list" && ptr.value !== null && ptr.value !== "") {
    const { n, value } = scanInt(ptr.value);
    if (n === 0) return 1;
    // n === -1 (only whitespace) leaves libuci's index uninitialised; treated as "no element".
    if (n === 1 && value >= 0 && value < ptr.o.list.length) {
      if (!internal && p.hasDelta) addDelta(p, CMD.REMOVE, /** @type {string} */ (ptr.section), ptr.option, ptr.value);
      ptr.o.list.splice(value, 1);
    }
    return 0;
  }
  if (!internal && p.hasDelta) addDelta(p, CMD.REMOVE, /** @type {string} */ (ptr.section), ptr.option, null);
  if (ptr.o) {
    const s = ptr.s;
    s.options.splice(s.options.indexOf(ptr.o), 1);
    ptr.o = null;
  } else {
    p.sections.splice(p.sections.indexOf(ptr.s), 1);
    ptr.s = null;
  }
  return 0;
}

/**
 * §2.6 add_list: appends (duplicates and '' allowed); a string option becomes a list.
 * @param {Context} ctx @param {Ptr} ptr @param {boolean} internal
 */
function addList(ctx, ptr, internal) {
  expandPtr(ctx, ptr, false);
  const p = /** @type {Package} */ (ptr.p);
  if (!ptr.s) throw new UciError(ERR.INVAL);
  if (ptr.value === null) throw new UciError(ERR.INVAL);
  if (!ptr.o) {
    // Without an option name libuci builds a nameless list nobody can see; only the junk delta
    // line (`|pkg.sec='x'`, skipped on load) is observable (§2.6).
    if (ptr.option !== null) {
      ptr.o = { name: ptr.option, type: "list", value: "", list: [ptr.value], section: ptr.s };
      ptr.s.options.push(ptr.o);
    }
  } else if (ptr.o.type === "string") {
    ptr.o.list = [ptr.o.value, ptr.value];
    ptr.o.type = "list";
    ptr.o.value = "";
  } else {
    ptr.o.list.push(ptr.value);
  }
  if (!internal && p.hasDelta) addDelta(p, CMD.LIST_ADD, /** @type {string} */ (ptr.section), ptr.option, ptr.value);
}

/**
 * §2.6 del_list: removes every equal element; records the change even when none matched; a
 * missing or string option is a silent no-op.
 * @param {Context} ctx @param {Ptr} ptr @param {boolean} internal
 */
function delList(ctx, ptr, internal) {
  expandPtr(ctx, ptr, false);
  const p = /** @type {Package} */ (ptr.p);
  if (!ptr.s) throw new UciError(ERR.INVAL);
  if (ptr.value === null) throw new UciError(ERR.INVAL);
  if (!(ptr.o && ptr.option !== null)) return;
  if (ptr.o.type !== "list") return;
  if (!internal && p.hasDelta) addDelta(p, CMD.LIST_DEL, /** @type {string} */ (ptr.section), ptr.option, ptr.value);
  const v = ptr.value;
  ptr.o.list = ptr.o.list.filter((x) => x !== v);
}

/**
 * §2.6 rename: no validation, no collision check.
 * @param {Context} ctx @param {Ptr} ptr @param {boolean} internal
 */
function rename(ctx, ptr, internal) {
  expandPtr(ctx, ptr, true);
  const p = /** @type {Package} */ (ptr.p);
  if (!ptr.s) throw new UciError(ERR.INVAL);
  if (ptr.value === null) throw new UciError(ERR.INVAL);
  if (!internal && p.hasDelta) addDelta(p, CMD.RENAME, /** @type {string} */ (ptr.section), ptr.option, ptr.value);
  if (ptr.o) ptr.o.name = ptr.value;
  else {
    ptr.s.name = ptr.value;
    ptr.s.anonymous = false;
  }
}

/**
 * §2.6 reorder: move to index N (past the end = last); a move to the current index records nothing.
 * @param {Section} s @param {number} pos @param {boolean} internal
 */
function reorderSection(s, pos, internal) {
  const p = s.package;
  const oldIdx = p.sections.indexOf(s);
  p.sections.splice(oldIdx, 1);
  const newIdx = pos <= 0 ? 0 : Math.min(pos, p.sections.length);
  p.sections.splice(newIdx, 0, s);
  if (!internal && p.hasDelta && newIdx !== oldIdx) addDelta(p, CMD.REORDER, s.name, null, String(pos));
}

/**
 * §2.5 add: anonymous section named cfgXXYYYY; the type is not validated.
 * @param {Package} p @param {string} type @param {boolean} internal
 */
function addSection(p, type, internal) {
  const s = allocSection(p, type, null);
  // the name is fixed at creation, from the counter and the type only (no options yet)
  s.name = anonymousName(p.nSection, type);
  if (!internal && p.hasDelta) addDelta(p, CMD.ADD, s.name, null, type);
  return s;
}

// ---------------------------------------------------------------------------------------------
// config-file parser (§2.10) — uci_import

/** @param {Context} ctx */
function switchConfig(ctx) {
  const pctx = /** @type {tk.ParseContext} */ (ctx.pctx);
  const name = pctx.name;
  if (pctx.package) {
    ctx.root.push(pctx.package);
    pctx.package = null;
    pctx.section = null;
  }
  if (name === null) return;
  if (ctx.root.some((x) => x.name === name)) throw new UciError(ERR.DUPLICATE);
  pctx.package = newPackage(name);
}

/** @param {tk.ParseContext} pctx @param {number} add */
function increasePos(pctx, add) {
  if (pctx.pos + add > pctx.bufFilled) return false;
  pctx.pos += add;
  return true;
}

/** Extra words are an error only in strict mode. @param {Context} ctx */
function assertEol(ctx) {
  const pctx = /** @type {tk.ParseContext} */ (ctx.pctx);
  tk.skipWhitespace(ctx);
  const ofs = tk.nextArg(ctx, false, false, false);
  if (pctx.str(ofs) && ctx.flags.strict) tk.parseError(ctx, "too many arguments");
}

/** @param {Context} ctx @param {boolean} single */
function parsePackageCmd(ctx, single) {
  const pctx = /** @type {tk.ParseContext} */ (ctx.pctx);
  if (!increasePos(pctx, pctx.strlen(pctx.pos) + 1)) tk.parseError(ctx, "package without name");
  const ofs = tk.nextArg(ctx, true, true, true);
  assertEol(ctx);
  // a `package` line is ignored when the file is loaded by name (§2.10)
  if (single) return;
  pctx.name = pctx.str(ofs);
  switchConfig(ctx);
}

/** @param {Context} ctx */
function parseConfigCmd(ctx) {
  const pctx = /** @type {tk.ParseContext} */ (ctx.pctx);
  if (!pctx.package) {
    if (pctx.name === null) tk.parseError(ctx, "attempting to import a file without a package name");
    switchConfig(ctx);
  }
  const p = /** @type {Package} */ (pctx.package);
  if (!increasePos(pctx, pctx.strlen(pctx.pos) + 1)) tk.parseError(ctx, "config without name");
  const ofsType = tk.nextArg(ctx, true, false, false);
  if (!tk.validateType(pctx.str(ofsType))) tk.parseError(ctx, "invalid character in type field");
  const ofsName = tk.nextArg(ctx, false, true, false);
  assertEol(ctx);
  const type = pctx.str(ofsType);
  const name = pctx.str(ofsName);
  if (!name) {
    pctx.section = addSection(p, type, !pctx.merge);
    return;
  }
  const ptr = fillPtr(p);
  const existing = p.sections.find((x) => x.name === name);
  if (existing) {
    ptr.s = existing;
    // duplicate `config sec 'a'` blocks merge into one section (§2.10)
    if (ctx.flags.strict && existing.type !== type) {
      tk.parseError(ctx, "section of different type overwrites prior section with same name");
    }
  }
  ptr.section = name;
  ptr.value = type;
  set(ctx, ptr, !pctx.merge);
  pctx.section = ptr.s;
}

/** @param {Context} ctx @param {boolean} list */
function parseOptionCmd(ctx, list) {
  const pctx = /** @type {tk.ParseContext} */ (ctx.pctx);
  if (!pctx.section) tk.parseError(ctx, "option/list command found before the first section");
  const section = pctx.section;
  if (!increasePos(pctx, pctx.strlen(pctx.pos) + 1)) tk.parseError(ctx, "option without name");
  const ofsName = tk.nextArg(ctx, true, true, false);
  const ofsValue = tk.nextArg(ctx, false, false, false);
  assertEol(ctx);
  const ptr = fillPtr(section.package, section);
  const name = pctx.str(ofsName);
  ptr.o = section.options.find((x) => x.name === name) || null;
  ptr.option = name;
  ptr.value = pctx.str(ofsValue);
  // `option x ''` is dropped (set with an empty value on an unresolved pointer is a no-op);
  // `list x ''` keeps an empty element (§2.10)
  if (list) addList(ctx, ptr, !pctx.merge);
  else set(ctx, ptr, !pctx.merge);
}

/** One line, possibly several `;`-separated commands. @param {Context} ctx @param {boolean} single */
function parseLine(ctx, single) {
  const pctx = /** @type {tk.ParseContext} */ (ctx.pctx);
  tk.skipWhitespace(ctx);
  for (;;) {
    const w = tk.strtok(pctx);
    if (w < 0) return;
    const word = pctx.str(w);
    const rest = word.slice(1);
    switch (word[0]) {
      case "#":
        return;
      case "p":
        if (rest === "" || rest === "ackage") {
          parsePackageCmd(ctx, single);
          continue;
        }
        break;
      case "c":
        if (rest === "" || rest === "onfig") {
          parseConfigCmd(ctx);
          continue;
        }
        break;
      case "o":
        if (rest === "" || rest === "ption") {
          parseOptionCmd(ctx, false);
          continue;
        }
        break;
      case "l":
        if (rest === "" || rest === "ist") {
          parseOptionCmd(ctx, true);
          continue;
        }
        break;
      default:
        break;
    }
    tk.parseError(ctx, "invalid command");
  }
}

/**
 * uci_import(): parse a config stream. With `name`, `package` lines are ignored (single);
 * without, each `package <name>` starts a new package. `merge` parses into an existing package
 * recording deltas (§2.9 `-m`). Strict mode (default) stops at the first bad line; non-strict
 * prints the error without the `uci:` prefix and goes on (§2.1 `-S`).
 * Returns the (last) parsed package; all parsed packages end up in ctx.root.
 * @param {Context} ctx @param {tk.InputStream} stream @param {string | null} name
 * @param {Package | null} mergeInto @param {boolean} single
 */
function importStream(ctx, stream, name, mergeInto, single) {
  ctx.pctx = null;
  const pctx = new tk.ParseContext(stream);
  ctx.pctx = pctx;
  if (mergeInto && single) {
    pctx.package = mergeInto;
    pctx.merge = true;
  }
  if (name !== null) {
    if (!tk.validatePackage(name)) throw new UciError(ERR.INVAL);
    pctx.name = name;
  }
  while (!stream.eof) {
    pctx.pos = 0;
    tk.getln(ctx, 0);
    try {
      if (pctx.ch(0)) parseLine(ctx, single);
    } catch (e) {
      if (!(e instanceof UciError)) throw e;
      ctx.err = e.code;
      if (ctx.flags.perror) ctx.perror(null);
      if (e.code !== ERR.PARSE || ctx.flags.strict) throw e;
    }
  }
  if (!pctx.package && name !== null) switchConfig(ctx);
  const result = pctx.package;
  if (pctx.merge) pctx.package = null;
  pctx.name = null;
  switchConfig(ctx);
  ctx.pctx = null;
  return result;
}

// ---------------------------------------------------------------------------------------------
// files

/** @param {Context} ctx @param {string} name */
function configPath(ctx, name) {
  if (!tk.validatePackage(name)) throw new UciError(ERR.INVAL);
  return ctx.confdir + "/" + name;
}

/**
 * Read a file as uci_open_stream(read) does: not a regular file (or missing) → Entry not found,
 * unreadable → I/O error.
 * @param {Context} ctx @param {string} file
 */
function readStream(ctx, file) {
  let st;
  try {
    st = fs.statSync(ctx.fsPath(file));
  } catch {
    throw new UciError(ERR.NOTFOUND);
  }
  if (!st.isFile()) throw new UciError(ERR.NOTFOUND);
  try {
    return fs.readFileSync(ctx.fsPath(file)).toString("latin1");
  } catch {
    throw new UciError(ERR.IO);
  }
}

/** File mode of confdir/<basename>, or 0600 — what new delta/config files are created with (§2.7, §2.9). @param {Context} ctx @param {string} file */
function createMode(ctx, file) {
  try {
    return fs.statSync(ctx.fsPath(ctx.confdir + "/" + nodePath.posix.basename(file))).mode & 0o7777;
  } catch {
    return 0o600;
  }
}

/**
 * uci_load(): parse confdir/<name> (strict parse errors fail the whole package, §2.10), then
 * replay the deltas.
 * @param {Context} ctx @param {string} name @returns {Package}
 */
function load(ctx, name) {
  let file;
  let confdir = true;
  if (name[0] === "." && name[1] !== "/") throw new UciError(ERR.NOTFOUND);
  if (name[0] === "/" || name[0] === ".") {
    // a path outside the confdir: loaded without deltas (set/commit write it directly)
    file = name;
    name = name.slice(name.lastIndexOf("/") + 1);
    confdir = false;
  } else {
    file = configPath(ctx, name);
  }
  const content = readStream(ctx, file);
  ctx.err = 0;
  const p = importStream(ctx, tk.InputStream.fromString(content), name, null, true);
  if (!p) throw new UciError(ERR.NOTFOUND);
  p.path = file;
  p.hasDelta = confdir;
  loadDelta(ctx, p, false);
  return p;
}

/**
 * A delta line is one config-style word: `[prefix]pkg.sec[.opt][='value']` (§2.7).
 * @param {Context} ctx @returns {{ cmd: number, ptr: Ptr }}
 */
function parseDeltaTuple(ctx) {
  const pctx = /** @type {tk.ParseContext} */ (ctx.pctx);
  const { arg, rest } = tk.parseArgument(ctx, pctx.file, false);
  if (rest) throw new UciError(ERR.INVAL);
  /** @type {number} */
  let cmd = CMD.CHANGE;
  for (let c = 0; c < CMD_CHAR.length; c++) {
    if (c !== CMD.CHANGE && arg[0] === CMD_CHAR[c]) {
      cmd = c;
      break;
    }
  }
  const ptr = parsePtr(cmd === CMD.CHANGE ? arg : arg.slice(1));
  if (ptr.section === null) throw new UciError(ERR.INVAL);
  if (ptr.extended) throw new UciError(ERR.INVAL);
  if (cmd !== CMD.REMOVE && ptr.value === null) throw new UciError(ERR.INVAL);
  if (cmd === CMD.REORDER && ptr.option !== null) throw new UciError(ERR.INVAL);
  if (cmd === CMD.RENAME && !tk.validateName(/** @type {string} */ (ptr.value))) throw new UciError(ERR.INVAL);
  if ((cmd === CMD.LIST_ADD || cmd === CMD.LIST_DEL) && ptr.option === null) throw new UciError(ERR.INVAL);
  return { cmd, ptr };
}

/** Apply one delta line; the line is listed by `changes` once it parsed, even if applying fails (§2.7). @param {Context} ctx @param {Package} p */
function parseDeltaLine(ctx, p) {
  const { cmd, ptr } = parseDeltaTuple(ctx);
  if (ptr.package !== p.name) throw new UciError(ERR.PARSE);
  if (ctx.flags.savedDelta) {
    p.savedDelta.push({ cmd, section: /** @type {string} */ (ptr.section), option: ptr.option, value: ptr.value });
  }
  switch (cmd) {
    case CMD.REORDER:
      expandPtr(ctx, ptr, true);
      if (!ptr.s) throw new UciError(ERR.NOTFOUND);
      reorderSection(ptr.s, strtoulInt(/** @type {string} */ (ptr.value)), true);
      break;
    case CMD.RENAME:
      rename(ctx, ptr, true);
      break;
    case CMD.REMOVE:
      del(ctx, ptr, true);
      break;
    case CMD.LIST_ADD:
      addList(ctx, ptr, true);
      break;
    case CMD.LIST_DEL:
      delList(ctx, ptr, true);
      break;
    case CMD.ADD:
      set(ctx, ptr, true);
      if (ptr.option === null && ptr.s) ptr.s.anonymous = true;
      break;
    default:
      set(ctx, ptr, true);
      break;
  }
}

/** Replay a delta file; bad lines are skipped silently (§2.7). Returns the number applied. @param {Context} ctx @param {string} content @param {Package} p */
function parseDelta(ctx, content, p) {
  const stream = tk.InputStream.fromString(content);
  ctx.pctx = new tk.ParseContext(stream);
  const pctx = ctx.pctx;
  let changes = 0;
  while (!stream.eof) {
    pctx.pos = 0;
    tk.getln(ctx, 0);
    if (!pctx.ch(0)) continue;
    try {
      parseDeltaLine(ctx, p);
      changes++;
    } catch (e) {
      if (!(e instanceof UciError)) throw e;
    }
  }
  ctx.pctx = null;
  return changes;
}

/**
 * Replay every delta source (the -p dirs, then the savedir). With `flush` (commit) the savedir's
 * file is truncated once anything was applied — and only the savedir's: -p dirs are never
 * truncated (§2.7).
 * @param {Context} ctx @param {Package} p @param {boolean} flush
 */
function loadDelta(ctx, p, flush) {
  if (!p.hasDelta) return 0;
  let changes = 0;
  for (const dir of ctx.deltaPath) {
    let content;
    try {
      content = readStream(ctx, dir + "/" + p.name);
    } catch (e) {
      if (e instanceof UciError) continue;
      throw e;
    }
    changes += parseDelta(ctx, content, p);
  }
  if (flush && changes > 0) {
    let fd;
    try {
      fd = fs.openSync(ctx.fsPath(ctx.savedir + "/" + p.name), fs.constants.O_RDWR);
    } catch {
      fd = null; // no delta file of our own: nothing to flush
    }
    if (fd !== null) {
      try {
        fs.ftruncateSync(fd, 0);
      } catch {
        throw new UciError(ERR.IO);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  ctx.err = 0;
  return changes;
}

/** One delta-file line (§2.7). @param {string} pkg @param {Delta} h */
function deltaLine(pkg, h) {
  let line = CMD_CHAR[h.cmd] + pkg + "." + h.section;
  if (h.option !== null) line += "." + h.option;
  if (h.cmd === CMD.REMOVE && h.value === null) return line + "\n";
  return line + "=" + quote(/** @type {string} */ (h.value)) + "\n";
}

/**
 * uci_save(): append this process's changes to <savedir>/<pkg>. The savedir is created with one
 * mkdir (mode of the confdir, 0700 without one), so a missing parent is an I/O error (§2.7, §2.1).
 * The file is opened O_APPEND and written with one write(): uci appends under flock(LOCK_EX), and
 * the reference measured parallel appends as safe (§2.11); O_APPEND gives the same guarantee here.
 * @param {Context} ctx @param {Package} p
 */
function save(ctx, p) {
  if (!p.hasDelta) {
    commit(ctx, p, false);
    return;
  }
  if (!p.delta.length) return;
  let st;
  try {
    st = fs.statSync(ctx.fsPath(ctx.savedir));
  } catch {
    st = null;
  }
  if (!st) {
    let mode;
    try {
      mode = fs.statSync(ctx.fsPath(ctx.confdir)).mode & 0o7777;
    } catch {
      mode = 0o700;
    }
    try {
      fs.mkdirSync(ctx.fsPath(ctx.savedir), { mode });
    } catch {
      // uci ignores mkdir's result; opening the delta file reports the failure
    }
  } else if (!st.isDirectory()) {
    throw new UciError(ERR.IO);
  }
  const file = ctx.savedir + "/" + p.name;
  let fd;
  try {
    fd = fs.openSync(
      ctx.fsPath(file),
      fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND,
      createMode(ctx, file),
    );
  } catch {
    throw new UciError(ERR.IO);
  }
  try {
    const text = p.delta.map((h) => deltaLine(p.name, h)).join("");
    fs.writeSync(fd, Buffer.from(text, "latin1"));
    p.delta = [];
  } catch {
    throw new UciError(ERR.IO);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Export body (§2.4): `\nconfig <type>[ '<name>']\n`, `\toption n 'v'\n`, `\tlist n 'e'\n`, a
 * final `\n`; anonymous sections get their name only with -n.
 * @param {Context} ctx @param {Package} p @param {boolean} header
 */
function exportPackage(ctx, p, header) {
  let out = header ? "package " + escape(p.name) + "\n" : "";
  for (const s of p.sections) {
    out += "\nconfig " + escape(s.type);
    if (!s.anonymous || ctx.flags.exportName) out += " '" + escape(s.name) + "'";
    out += "\n";
    for (const o of s.options) {
      if (o.type === "string") out += "\toption " + escape(o.name) + " '" + escape(o.value) + "'\n";
      else for (const e of o.list) out += "\tlist " + escape(o.name) + " '" + escape(e) + "'\n";
    }
  }
  return out + "\n";
}

/** mkstemp("<confdir>/.<pkg>.uci-XXXXXX"), mode 0600. @param {Context} ctx @param {string} pkg */
function mkstemp(ctx, pkg) {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (let attempt = 0; attempt < 100; attempt++) {
    const rnd = crypto.randomBytes(6);
    let suffix = "";
    for (const b of rnd) suffix += chars[b % chars.length];
    const name = `${ctx.confdir}/.${pkg}.uci-${suffix}`;
    try {
      const fd = fs.openSync(ctx.fsPath(name), fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      return { fd, name };
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== "EEXIST") break;
    }
  }
  throw new UciError(ERR.IO);
}

/**
 * uci_file_commit() (§2.4, §2.11): open the config read-write (so a read-only confdir is an I/O
 * error even without changes), re-read it, replay the deltas truncating the savedir's file, and
 * only if something was applied write the export body to `.<pkg>.uci-XXXXXX`, fsync, copy the
 * old file's mode and rename() over the (realpath'd) config. A commit with nothing to apply
 * leaves the file — inode, comments, layout — untouched.
 * No locking: Node has no flock(), and uci's own locks do not prevent lost updates between
 * concurrent committers anyway (§2.11 measured 20 of 20 rounds losing changes), so callers must
 * serialise; this stand-in deliberately adds no lock uci does not effectively give.
 * `overwrite` (import) writes the package as parsed, without deltas (§2.9).
 * Returns the package as committed (re-read from the file).
 * @param {Context} ctx @param {Package} p @param {boolean} overwrite
 */
function commit(ctx, p, overwrite) {
  if (!p.path) {
    if (overwrite) p.path = configPath(ctx, p.name);
    else throw new UciError(ERR.INVAL);
  }
  const path = p.path;
  let fd1;
  try {
    fd1 = fs.openSync(ctx.fsPath(path), fs.constants.O_RDWR | fs.constants.O_CREAT, createMode(ctx, path));
  } catch {
    throw new UciError(ERR.IO);
  }
  /** @type {{ fd: number, name: string } | null} */
  let tmp = null;
  let doRename = false;
  /** @type {unknown} */
  let failure = null;
  try {
    let write = true;
    if (p.hasDelta) {
      if (!overwrite) {
        if (p.delta.length) save(ctx, p);
        // other processes may have changed the file: drop ours and re-read it
        ctx.root = ctx.root.filter((x) => x !== p);
        ctx.pctx = null;
        const content = fs.readFileSync(fd1).toString("latin1");
        const np = /** @type {Package} */ (importStream(ctx, tk.InputStream.fromString(content), p.name, null, true));
        np.path = path;
        np.hasDelta = true;
        p = np;
      }
      if (!loadDelta(ctx, p, true)) write = false;
    }
    if (write) {
      tmp = mkstemp(ctx, p.name);
      try {
        fs.writeSync(tmp.fd, Buffer.from(exportPackage(ctx, p, false), "latin1"));
        fs.fsyncSync(tmp.fd);
      } catch {
        throw new UciError(ERR.IO);
      } finally {
        fs.closeSync(tmp.fd);
      }
      doRename = true;
    }
  } catch (e) {
    failure = e;
  } finally {
    fs.closeSync(fd1);
  }
  if (doRename && tmp) {
    try {
      // a symlinked config is resolved: the target is replaced, the link kept (§2.11)
      const real = fs.realpathSync(ctx.fsPath(path));
      const st = fs.statSync(real);
      fs.chmodSync(ctx.fsPath(tmp.name), st.mode & 0o7777);
      fs.renameSync(ctx.fsPath(tmp.name), real);
    } catch {
      try {
        fs.unlinkSync(ctx.fsPath(tmp.name));
      } catch {
        // already gone
      }
      throw new UciError(ERR.IO);
    }
  }
  if (failure) throw failure;
  return p;
}

/**
 * uci_revert(): rewrite <savedir>/<pkg> without the lines matching pkg[.sec[.opt]] (§2.6). Any
 * line that fails to parse as a delta tuple (an invalid rename, a `@type[N]` set) aborts the
 * rewrite silently, so revert then does nothing and still succeeds — as measured.
 * @param {Context} ctx @param {Ptr} ptr
 */
function revert(ctx, ptr) {
  expandPtr(ctx, ptr, false);
  const p = /** @type {Package} */ (ptr.p);
  if (!p.hasDelta) throw new UciError(ERR.INVAL);
  save(ctx, p);
  const name = p.name;
  const section = ptr.section;
  const option = ptr.option;
  ctx.root = ctx.root.filter((x) => x !== p);
  filterDelta(ctx, name, section, option);
  ptr.p = load(ctx, name);
  ctx.err = 0;
}

/** @param {Context} ctx @param {string} name @param {string | null} section @param {string | null} option */
function filterDelta(ctx, name, section, option) {
  const file = ctx.savedir + "/" + name;
  let fd = null;
  try {
    try {
      fd = fs.openSync(ctx.fsPath(file), fs.constants.O_RDWR);
    } catch {
      throw new UciError(ERR.IO);
    }
    const stream = tk.InputStream.fromString(fs.readFileSync(fd).toString("latin1"));
    ctx.pctx = new tk.ParseContext(stream);
    const pctx = ctx.pctx;
    /** @type {Delta[]} */
    const keep = [];
    while (!stream.eof) {
      pctx.pos = 0;
      tk.getln(ctx, 0);
      if (!pctx.ch(0)) continue;
      const { cmd, ptr } = parseDeltaTuple(ctx);
      let match = true;
      if (section !== null && ptr.section !== section) match = false;
      if (match && option !== null && ptr.option !== option) match = false;
      if (!match && ptr.section !== null)
        keep.push({ cmd, section: ptr.section, option: ptr.option, value: ptr.value });
    }
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, Buffer.from(keep.map((h) => deltaLine(name, h)).join(""), "latin1"), 0, undefined, 0);
  } catch (e) {
    if (!(e instanceof UciError)) throw e;
    ctx.err = e.code; // swallowed, as in libuci's uci_filter_delta
  } finally {
    if (fd !== null) fs.closeSync(fd);
    ctx.pctx = null;
  }
}

/**
 * Package names in the confdir, in glob order (byte order), skipping directories, dot files and
 * names that are not valid package names (§2.2 "files whose names are not valid package names
 * are skipped"). An empty or missing confdir is "Entry not found" (glob found nothing).
 * @param {Context} ctx
 */
function listConfigs(ctx) {
  /** @type {Buffer[]} */
  let names;
  try {
    names = /** @type {Buffer[]} */ (fs.readdirSync(ctx.fsPath(ctx.confdir), { encoding: "buffer" }));
  } catch {
    throw new UciError(ERR.NOTFOUND);
  }
  const visible = names.filter((b) => b[0] !== 0x2e).sort(Buffer.compare);
  if (!visible.length) throw new UciError(ERR.NOTFOUND);
  /** @type {string[]} */
  const out = [];
  for (const b of visible) {
    const name = b.toString("latin1");
    let isDir;
    try {
      isDir = fs.statSync(ctx.fsPath(ctx.confdir + "/" + name)).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) continue;
    if (!tk.validatePackage(name)) continue;
    out.push(name);
  }
  return out;
}

module.exports = {
  CMD,
  Context,
  quote,
  escape,
  djbhash,
  anonymousName,
  scanInt,
  strtoulInt,
  parsePtr,
  lookupPtr,
  expandPtr,
  set,
  del,
  addList,
  delList,
  rename,
  reorderSection,
  addSection,
  importStream,
  load,
  loadDelta,
  save,
  commit,
  revert,
  exportPackage,
  listConfigs,
  deltaLine,
};
