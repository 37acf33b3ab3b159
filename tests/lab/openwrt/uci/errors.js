// @ts-check
"use strict";
/**
 * libuci error codes and texts (openwrt-uci.md §2.1). `uci add` returns the raw code as its exit
 * status (3 = NOTFOUND, 5 = PARSE), so the numbers matter.
 */

const ERR = Object.freeze({
  OK: 0,
  MEM: 1,
  INVAL: 2,
  NOTFOUND: 3,
  IO: 4,
  PARSE: 5,
  DUPLICATE: 6,
  UNKNOWN: 7,
});

const ERRSTR = [
  "Success",
  "Out of memory",
  "Invalid argument",
  "Entry not found",
  "I/O error",
  "Parse error",
  "Duplicate entry",
  "Unknown error",
];

class UciError extends Error {
  /** @param {number} code one of ERR */
  constructor(code) {
    super(ERRSTR[code] || ERRSTR[ERR.UNKNOWN]);
    this.code = code;
  }
}

module.exports = { ERR, ERRSTR, UciError };
