// @ts-check
"use strict";
/**
 * The `uci` command line (openwrt-uci.md §2): option parsing as a musl build does it, the
 * commands, their output formats, exit codes and error texts. Modelled on the 23.05-era uci
 * (5781664): its usage text has no `-C` line and `-C` is an unknown option (§1: master differs
 * only by that line and option).
 *
 * All strings here are byte strings (latin1); see tokenizer.js.
 */

const fs = require("fs");
const { UciError, ERR } = require("./errors");
const tk = require("./tokenizer");
const uci = require("./libuci");

/** argv[0]: OpenWrt calls uci through PATH, so messages start with `uci: ` (§1). */
const APPNAME = "uci";

const USAGE =
  "Usage: " +
  APPNAME +
  " [<options>] <command> [<arguments>]\n\n" +
  "Commands:\n" +
  "\tbatch\n" +
  "\texport     [<config>]\n" +
  "\timport     [<config>]\n" +
  "\tchanges    [<config>]\n" +
  "\tcommit     [<config>]\n" +
  "\tadd        <config> <section-type>\n" +
  "\tadd_list   <config>.<section>.<option>=<string>\n" +
  "\tdel_list   <config>.<section>.<option>=<string>\n" +
  "\tshow       [<config>[.<section>[.<option>]]]\n" +
  "\tget        <config>.<section>[.<option>]\n" +
  "\tset        <config>.<section>[.<option>]=<value>\n" +
  "\tdelete     <config>[.<section>[[.<option>][=<id>]]]\n" +
  "\trename     <config>.<section>[.<option>]=<name>\n" +
  "\trevert     <config>[.<section>[.<option>]]\n" +
  "\treorder    <config>.<section>=<position>\n" +
  "\n" +
  "Options:\n" +
  "\t-c <path>  set the search path for config files (default: /etc/config)\n" +
  "\t-d <str>   set the delimiter for list values in uci show\n" +
  "\t-f <file>  use <file> as input instead of stdin\n" +
  "\t-m         when importing, merge data into an existing package\n" +
  "\t-n         name unnamed sections on export (default)\n" +
  "\t-N         don't name unnamed sections\n" +
  "\t-p <path>  add a search path for config change files\n" +
  "\t-P <path>  add a search path for config change files and use as default\n" +
  "\t-t <path>  set save path for config change files\n" +
  "\t-q         quiet mode (don't print error messages)\n" +
  "\t-s         force strict mode (stop on parser errors, default)\n" +
  "\t-S         disable strict mode\n" +
  "\t-X         do not use extended syntax on 'show'\n" +
  "\n";

/** The getopt string of uci 5781664. 'L' is listed but has no case, so it prints usage. */
const OPTSTRING = "c:d:f:LmnNp:P:qsSt:X";

const CMD = Object.freeze({
  GET: "get",
  SET: "set",
  ADD_LIST: "add_list",
  DEL_LIST: "del_list",
  DEL: "delete",
  RENAME: "rename",
  REVERT: "revert",
  REORDER: "reorder",
  SHOW: "show",
  CHANGES: "changes",
  EXPORT: "export",
  COMMIT: "commit",
  ADD: "add",
  IMPORT: "import",
  HELP: "help",
});

/** Command words, case-insensitive (strcasecmp), with uci's aliases. */
const COMMANDS = new Map([
  ["show", CMD.SHOW],
  ["changes", CMD.CHANGES],
  ["export", CMD.EXPORT],
  ["commit", CMD.COMMIT],
  ["get", CMD.GET],
  ["set", CMD.SET],
  ["ren", CMD.RENAME],
  ["rename", CMD.RENAME],
  ["revert", CMD.REVERT],
  ["reorder", CMD.REORDER],
  ["del", CMD.DEL],
  ["delete", CMD.DEL],
  ["import", CMD.IMPORT],
  ["help", CMD.HELP],
  ["add", CMD.ADD],
  ["add_list", CMD.ADD_LIST],
  ["del_list", CMD.DEL_LIST],
]);

/** strcasecmp-style lowering: ASCII letters only. @param {string} s */
function asciiLower(s) {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** musl strerror() texts for the errors fopen() can plausibly give. @param {string | undefined} code */
function strerror(code) {
  switch (code) {
    case "ENOENT":
      return "No such file or directory";
    case "EACCES":
      return "Permission denied";
    case "ENOTDIR":
      return "Not a directory";
    case "ELOOP":
      return "Symbolic link loop";
    case "ENAMETOOLONG":
      return "Filename too long";
    case "EMFILE":
      return "No file descriptors available";
    default:
      return "I/O error";
  }
}

/**
 * @typedef {{
 *   stdout: (s: string) => void, stderr: (s: string) => void,
 *   stdin: () => string, cwd?: string }} CliIo  byte-string I/O
 */

class Cli {
  /** @param {CliIo} io */
  constructor(io) {
    this.io = io;
    this.ctx = new uci.Context({ cwd: io.cwd, stderr: io.stderr });
    this.delimiter = " ";
    this.flags = { merge: false, quiet: false, nocommit: false, batch: false, showExt: true };
    this.stdin = new tk.InputStream(io.stdin);
    this.input = this.stdin;
  }

  usage() {
    this.io.stderr(USAGE);
  }

  /** cli_perror(): the library error, unless -q. */
  perror() {
    if (this.flags.quiet) return;
    this.ctx.perror(APPNAME);
  }

  /** cli_error(): a literal message, unless -q. @param {string} msg */
  error(msg) {
    if (this.flags.quiet) return;
    this.io.stderr(msg);
  }

  /** @param {unknown} e */
  setErr(e) {
    if (!(e instanceof UciError)) throw e;
    this.ctx.err = e.code;
    return e.code;
  }

  /**
   * main(): musl getopt stops at the first non-option, so options after the command are not
   * options (`uci get x -c dir` → usage, 255; §2.1). An unknown option prints getopt's message
   * and the usage text with exit status 0.
   * @param {string[]} args arguments after argv[0]
   */
  main(args) {
    let optind = 0;
    let optpos = 0;
    for (;;) {
      if (optind >= args.length) break;
      const arg = args[optind];
      if (arg[0] !== "-" || arg.length === 1) break;
      if (arg === "--") {
        optind++;
        break;
      }
      if (!optpos) optpos = 1;
      const c = arg[optpos];
      optpos++;
      if (optpos >= arg.length) {
        optind++;
        optpos = 0;
      }
      const i = OPTSTRING.indexOf(c);
      if (i < 0 || c === ":") {
        this.io.stderr(`${APPNAME}: unrecognized option: ${c}\n`);
        this.usage();
        return 0;
      }
      /** @type {string | null} */
      let optarg = null;
      if (OPTSTRING[i + 1] === ":") {
        if (optind >= args.length && optpos === 0) {
          this.io.stderr(`${APPNAME}: option requires an argument: ${c}\n`);
          this.usage();
          return 0;
        }
        optarg = args[optind].slice(optpos);
        optind++;
        optpos = 0;
      }
      const ret = this.option(c, optarg);
      if (ret !== null) return ret;
    }
    const rest = args.slice(optind);
    if (rest.length < 1) {
      this.usage();
      return 0;
    }
    const ret = this.command(rest);
    if (ret === 255) this.usage();
    return ret;
  }

  /** @param {string} c @param {string | null} optarg @returns {number | null} exit status to stop with */
  option(c, optarg) {
    const a = /** @type {string} */ (optarg);
    switch (c) {
      case "c":
        this.ctx.confdir = a;
        return null;
      case "d":
        this.delimiter = a;
        return null;
      case "f":
        if (this.input !== this.stdin) {
          this.error("Too many input files.\n");
          return 1;
        }
        try {
          const content = fs.readFileSync(this.ctx.fsPath(a)).toString("latin1");
          this.input = tk.InputStream.fromString(content);
        } catch (e) {
          const code = /** @type {NodeJS.ErrnoException} */ (e).code;
          if (code === "EISDIR") {
            // fopen() of a directory succeeds; every read then fails like EOF
            this.input = tk.InputStream.fromString("");
          } else {
            // no trailing newline, as measured (§2.1)
            this.error(`uci: ${strerror(code)}`);
            return 1;
          }
        }
        return null;
      case "m":
        this.flags.merge = true;
        return null;
      case "s":
        this.ctx.flags.strict = true;
        return null;
      case "S":
        this.ctx.flags.strict = false;
        this.ctx.flags.perror = true;
        return null;
      case "n":
        this.ctx.flags.exportName = true;
        return null;
      case "N":
        this.ctx.flags.exportName = false;
        return null;
      case "p":
        try {
          this.ctx.addDeltaPath(a);
        } catch {
          // a duplicate -p dir is rejected by libuci and ignored by the CLI
        }
        return null;
      case "P":
        this.ctx.setSavedir(a);
        this.flags.nocommit = true;
        return null;
      case "q":
        this.flags.quiet = true;
        return null;
      case "t":
        this.ctx.setSavedir(a);
        return null;
      case "X":
        this.flags.showExt = false;
        return null;
      default:
        // 'L' is in the getopt string but unhandled: usage, status 0
        this.usage();
        return 0;
    }
  }

  /** uci_cmd(). @param {string[]} argv command and its arguments */
  command(argv) {
    const word = asciiLower(argv[0]);
    if (word === "batch" && !this.flags.batch) return this.batch();
    const cmd = COMMANDS.get(word);
    switch (cmd) {
      case CMD.ADD_LIST:
      case CMD.DEL_LIST:
      case CMD.GET:
      case CMD.SET:
      case CMD.DEL:
      case CMD.RENAME:
      case CMD.REVERT:
      case CMD.REORDER:
        return this.sectionCmd(cmd, argv);
      case CMD.SHOW:
      case CMD.EXPORT:
      case CMD.COMMIT:
      case CMD.CHANGES:
        return this.packageCmds(cmd, argv);
      case CMD.IMPORT:
        return this.importCmd(argv);
      case CMD.ADD:
        return this.addCmd(argv);
      case CMD.HELP:
        this.usage();
        return 0;
      default:
        return 255;
    }
  }

  /**
   * §2.8: one command per line, applied and saved immediately; errors are printed and the batch
   * goes on; the exit status is always 0. A fifth word is "Too many arguments" (uci checks the
   * argument count before reading the next word, so four words already trigger it — the
   * reference only measured "more than 4"); the rest of that line is dropped.
   */
  batch() {
    this.flags.batch = true;
    while (!this.input.eof) {
      const ret = this.batchCmd();
      if (ret === 254) return 0;
      if (ret === 255) this.error("Unknown command\n");
      this.ctx.root = []; // every command starts from freshly loaded packages
    }
    this.flags.batch = false;
    return 0;
  }

  batchCmd() {
    /** @type {string[]} */
    const argv = [];
    for (let i = 0; i <= 4; i++) {
      if (i === 4) {
        this.error("Too many arguments\n");
        return 1;
      }
      let arg;
      try {
        arg = tk.parseArgument(this.ctx, this.input, i === 0).arg;
      } catch (e) {
        // e.g. an unterminated quote, which has read the rest of the input (§2.8)
        this.setErr(e);
        this.perror();
        return 0;
      }
      if (!arg) break;
      argv.push(arg);
    }
    if (!argv.length) return 0;
    if (asciiLower(argv[0]) === "exit") return 254;
    return this.command(argv);
  }

  /**
   * Commands on one `pkg.sec[.opt][=value]` argument (§2.1, §2.6).
   * @param {string} cmd @param {string[]} argv
   */
  sectionCmd(cmd, argv) {
    if (argv.length !== 2) return 255;
    /** @type {import('./libuci').Ptr} */
    let ptr;
    try {
      ptr = uci.lookupPtr(this.ctx, argv[1], true);
    } catch (e) {
      this.setErr(e);
      this.perror();
      return 1;
    }
    /** @type {string[]} */
    const takesValue = [CMD.SET, CMD.DEL, CMD.ADD_LIST, CMD.DEL_LIST, CMD.RENAME, CMD.REORDER];
    // `get 'network.lan.proto=x'` fails silently (§2.1)
    if (ptr.value !== null && !takesValue.includes(cmd)) return 1;
    let ret = 0;
    try {
      switch (cmd) {
        case CMD.GET:
          if (!ptr.complete) {
            this.ctx.err = ERR.NOTFOUND;
            this.perror();
            return 1;
          }
          if (ptr.o) this.io.stdout(this.showValue(ptr.o, false));
          else if (ptr.s) this.io.stdout(ptr.s.type + "\n");
          break;
        case CMD.RENAME:
          uci.rename(this.ctx, ptr, false);
          break;
        case CMD.REVERT:
          uci.revert(this.ctx, ptr);
          break;
        case CMD.SET:
          uci.set(this.ctx, ptr, false);
          break;
        case CMD.ADD_LIST:
          uci.addList(this.ctx, ptr, false);
          break;
        case CMD.DEL_LIST:
          uci.delList(this.ctx, ptr, false);
          break;
        case CMD.REORDER:
          if (!ptr.s || ptr.value === null) {
            this.ctx.err = ERR.NOTFOUND;
            this.perror();
            return 1;
          }
          uci.reorderSection(ptr.s, uci.strtoulInt(ptr.value), false);
          break;
        case CMD.DEL:
          // a non-numeric index fails silently (§2.1)
          if (ptr.value !== null && uci.scanInt(ptr.value).n === 0) return 1;
          ret = uci.del(this.ctx, ptr, false);
          if (ret) this.ctx.err = 0;
          break;
        default:
          break;
      }
    } catch (e) {
      ret = this.setErr(e);
    }
    // revert reports nothing, even when it did nothing (§2.6)
    if (cmd === CMD.GET || cmd === CMD.REVERT) return 0;
    if (ret === 0) {
      try {
        uci.save(this.ctx, /** @type {import('./libuci').Package} */ (ptr.p));
      } catch (e) {
        ret = this.setErr(e);
      }
    }
    if (ret !== 0) {
      this.perror();
      return 1;
    }
    return 0;
  }

  /**
   * show/export/commit/changes with one argument, or for every package in the confdir; in the
   * latter case per-package failures are printed but the status is 0 (§2.1).
   * @param {string} cmd @param {string[]} argv
   */
  packageCmds(cmd, argv) {
    if (argv.length > 2) return 255;
    if (argv.length === 2) return this.packageCmd(cmd, argv[1]);
    let configs;
    try {
      configs = uci.listConfigs(this.ctx);
    } catch (e) {
      this.setErr(e);
      this.perror();
      return 1;
    }
    for (const name of configs) this.packageCmd(cmd, name);
    return 0;
  }

  /** @param {string} cmd @param {string} tuple */
  packageCmd(cmd, tuple) {
    /** @type {import('./libuci').Ptr} */
    let ptr;
    try {
      ptr = uci.lookupPtr(this.ctx, tuple, true);
    } catch (e) {
      this.setErr(e);
      this.perror();
      return 1;
    }
    const p = /** @type {import('./libuci').Package} */ (ptr.p);
    let ret = 1;
    out: {
      switch (cmd) {
        case CMD.CHANGES:
          this.io.stdout(this.changes(p));
          break;
        case CMD.COMMIT:
          // -P: commit is a no-op that succeeds (§2.7)
          if (this.flags.nocommit) {
            ret = 0;
            break out;
          }
          try {
            uci.commit(this.ctx, p, false);
          } catch (e) {
            this.setErr(e);
            this.perror();
            break out;
          }
          break;
        case CMD.EXPORT:
          this.io.stdout(uci.exportPackage(this.ctx, p, true));
          break;
        case CMD.SHOW:
          if (!ptr.complete) {
            this.ctx.err = ERR.NOTFOUND;
            this.perror();
            break out;
          }
          if (ptr.o) this.io.stdout(this.showOption(ptr.o, null));
          else if (ptr.s) this.io.stdout(this.showSection(ptr.s, null));
          else this.io.stdout(this.showPackage(p));
          break;
        default:
          break;
      }
      ret = 0;
    }
    this.ctx.root = this.ctx.root.filter((x) => x.name !== p.name);
    return ret;
  }

  /**
   * §2.9: `import pkg` replaces the file at once (no delta); without a name the input needs
   * `package` lines; `-m` merges into the delta instead.
   * @param {string[]} argv
   */
  importCmd(argv) {
    if (argv.length > 2) return 255;
    const name = argv.length === 2 ? argv[1] : null;
    if (name === null && this.flags.merge) return 255;
    /** @type {import('./libuci').Package | null} */
    let pkg = null;
    let merge = false;
    if (this.flags.merge) {
      try {
        pkg = uci.load(this.ctx, /** @type {string} */ (name));
        merge = true;
      } catch (e) {
        if (!(e instanceof UciError)) throw e;
        pkg = null;
      }
    }
    let ret = 0;
    try {
      uci.importStream(this.ctx, this.input, name, pkg, name !== null);
      if (merge) uci.save(this.ctx, /** @type {import('./libuci').Package} */ (pkg));
      else {
        for (const p of [...this.ctx.root]) {
          try {
            uci.commit(this.ctx, p, true);
            ret = 0;
          } catch (e) {
            ret = this.setErr(e);
          }
        }
      }
    } catch (e) {
      ret = this.setErr(e);
    }
    if (ret !== 0) {
      this.perror();
      return 1;
    }
    return 0;
  }

  /**
   * §2.5: prints the new name; the exit status is libuci's raw error code.
   * @param {string[]} argv
   */
  addCmd(argv) {
    if (argv.length !== 3) return 255;
    let s;
    try {
      const p = uci.load(this.ctx, argv[1]);
      s = uci.addSection(p, argv[2], false);
      uci.save(this.ctx, p);
    } catch (e) {
      const code = this.setErr(e);
      this.perror();
      return code;
    }
    this.io.stdout(s.name + "\n");
    return 0;
  }

  /**
   * §2.2: a string prints raw (get) or quoted (show); a list joins its elements with the -d
   * delimiter, quoting an element for get only when it holds space, TAB, CR or LF.
   * @param {import('./libuci').Option} o @param {boolean} quoted
   */
  showValue(o, quoted) {
    if (o.type === "string") return (quoted ? uci.quote(o.value) : o.value) + "\n";
    return o.list.map((e) => (!quoted && !/[ \t\r\n]/.test(e) ? e : uci.quote(e))).join(this.delimiter) + "\n";
  }

  /** @param {import('./libuci').Option} o @param {string | null} ref */
  showOption(o, ref) {
    const s = o.section;
    return `${s.package.name}.${ref !== null ? ref : s.name}.${o.name}=` + this.showValue(o, true);
  }

  /** @param {import('./libuci').Section} s @param {string | null} ref */
  showSection(s, ref) {
    let out = `${s.package.name}.${ref !== null ? ref : s.name}=${s.type}\n`;
    for (const o of s.options) out += this.showOption(o, ref);
    return out;
  }

  /**
   * Whole-package show names anonymous sections `@type[N]`, N counting every section of that
   * type (named ones included), unless -X (§2.2).
   * @param {import('./libuci').Package} p
   */
  showPackage(p) {
    /** @type {Map<string, number>} */
    const idx = new Map();
    let out = "";
    for (const s of p.sections) {
      let ref = s.name;
      if (this.flags.showExt) {
        const n = idx.get(s.type) || 0;
        idx.set(s.type, n + 1);
        if (s.anonymous) ref = `@${s.type}[${n}]`;
      }
      out += this.showSection(s, ref);
    }
    return out;
  }

  /**
   * §2.7's lossy notation: `-` prefix for deletions (without the list index), `+=`/`-=` for
   * list changes, `=` for everything else.
   * @param {import('./libuci').Package} p
   */
  changes(p) {
    let out = "";
    for (const h of p.savedDelta) {
      const prefix = h.cmd === uci.CMD.REMOVE ? "-" : "";
      const op = h.cmd === uci.CMD.LIST_ADD ? "+=" : h.cmd === uci.CMD.LIST_DEL ? "-=" : "=";
      out += `${prefix}${p.name}.${h.section}`;
      if (h.option !== null) out += "." + h.option;
      if (h.cmd !== uci.CMD.REMOVE) out += op + uci.quote(/** @type {string} */ (h.value));
      out += "\n";
    }
    return out;
  }
}

/**
 * Run one uci invocation. Arguments, input and output are byte strings (latin1).
 * @param {string[]} args arguments after argv[0]
 * @param {CliIo} io
 * @returns {number} exit status
 */
function runCli(args, io) {
  return new Cli(io).main(args);
}

module.exports = { runCli, USAGE };
