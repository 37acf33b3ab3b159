// @ts-check
"use strict";
/**
 * `uci` stand-in for the lab's OpenWrt-like host (DESIGN.md "The lab"; behaviour:
 * openwrt-uci.md §2). Installed as /sbin/uci via `exec node /path/uci.js "$@"`.
 * Plain CommonJS with Node built-ins only: the lab root has no TypeScript toolchain.
 *
 * Arguments arrive as UTF-8-decoded strings (Node decodes argv); they are turned back into their
 * bytes, and stdin/stdout/stderr are handled as raw bytes, so non-ASCII values pass through.
 */

const fs = require("fs");
const { runCli } = require("./cli");

/** Read all of a file descriptor (stdin may be a pipe, a file or non-blocking). @param {number} fd */
function readAll(fd) {
  /** @type {Buffer[]} */
  const chunks = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      const code = /** @type {NodeJS.ErrnoException} */ (e).code;
      if (code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (code === "EOF") break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** @param {number} fd @param {Buffer} data */
function writeAll(fd, data) {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off, data.length - off);
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw e;
    }
  }
}

function main() {
  const args = process.argv.slice(2).map((a) => Buffer.from(a, "utf8").toString("latin1"));
  // stdout and stderr are written as they come, like stdio (stderr unbuffered)
  const code = runCli(args, {
    stdout: (s) => writeAll(1, Buffer.from(s, "latin1")),
    stderr: (s) => writeAll(2, Buffer.from(s, "latin1")),
    stdin: () => {
      try {
        return readAll(0).toString("latin1");
      } catch {
        return ""; // no usable stdin: reads see EOF
      }
    },
  });
  process.exitCode = code & 0xff;
}

main();
