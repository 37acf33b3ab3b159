/**
 * Hostile-string generators shared by the in-process fuzz tests (tests/unit/fuzz) and the SSH run
 * (tests/e2e/hostile-input.test.ts), plus independent oracles saying which strings a field must accept.
 *
 * The oracles are written from the field documentation (provider/resources/common.ts `freeText`, identity-tag.ts,
 * openwrt-uci.md §2.1/§2.6), not by calling the provider's own validators, so a validator that drifts from its
 * documentation shows up as a failure.
 */
import fc from "fast-check";

/** Fixed seed; override with FUZZ_SEED=<n> to explore, the value is printed by every fuzz test. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20260601);

/** Marker that an injected command would leave behind (identity name, note, `:put` output, file name). */
export const CANARY = "PWNED";

/** Injection attempts for every layer a value crosses: RouterOS CLI, uci batch, POSIX sh, BIRD config. */
export const INJECTIONS: readonly string[] = [
  // RouterOS: end the quoted token, run a command, reopen a string
  `"; /system/identity/set name=${CANARY}; "`,
  `\\"; /system/identity/set name=${CANARY}; :put \\"`,
  `" ; :put ${CANARY} ; "`,
  `$[/system/identity/set name=${CANARY}]`,
  `$[:put ${CANARY}]`,
  `$(/system/identity/set name=${CANARY})`,
  `[/system/identity/set name=${CANARY}]`,
  `{ /system/note/set note=${CANARY} }`,
  `$e`,
  `" . $e . "`,
  `$${CANARY}`,
  `\\$`,
  `\\\\`,
  `\\"`,
  `\\n`,
  `\\00`,
  `\\5C`,
  `\\FF`,
  `\\_`,
  `"}; :put ${CANARY}; :onerror e in={ "`,
  `# comment "`,
  // uci batch: close the quote, add a line, reopen
  `'\nset network.${CANARY.toLowerCase()}=interface\nset network.lan.x='`,
  `x'\nset network.x.${CANARY.toLowerCase()}='1`,
  `'\\''`,
  `'\\'''`,
  `\ncommit\n`,
  `\ndelete network\n`,
  // sh
  `'; touch ${CANARY}; '`,
  `$(touch ${CANARY})`,
  "`touch " + CANARY + "`",
  `'$(touch ${CANARY})'`,
  `\\'; touch ${CANARY} #`,
  // BIRD
  `"; }; protocol static ${CANARY.toLowerCase()} { ipv4; } filter x { "`,
  `/* */ } # {`,
];

/** Single characters that mean something to at least one of the parsers. */
export const SPECIALS: readonly string[] = [
  '"',
  "'",
  "`",
  "$",
  "\\",
  ";",
  "[",
  "]",
  "{",
  "}",
  "(",
  ")",
  "<",
  ">",
  "|",
  "&",
  "#",
  "=",
  "~",
  "!",
  "*",
  "?",
  "%",
  "@",
  ".",
  ",",
  ":",
  "/",
  " ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\x00",
  "\x01",
  "\x07",
  "\x08",
  "\x0b",
  "\x0c",
  "\x1b",
  "\x1f",
  "\x7f",
  "\u0080",
  "\u0085",
  "\u00a0",
  "\u00ff",
  "é",
  "ü",
  "ß",
  "при",
  "中文",
  "\u2028",
  "\u2029",
  "\u200b",
  "\u200e",
  "\ufeff",
  "\ufffd",
  "😀",
  "👨‍👩‍👧",
  "\u{10ffff}",
];

const special = fc.constantFrom(...SPECIALS);
const injection = fc.constantFrom(...INJECTIONS);
const word = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.-"),
  minLength: 1,
  maxLength: 12,
});
/** Any Unicode scalar value (no lone surrogates: those cannot be sent as UTF-8; see the dedicated tests). */
const anyChar = fc.string({ unit: "binary", minLength: 1, maxLength: 3 });

/** Mostly short hostile strings, sometimes very long ones (up to `maxLong` UTF-16 units). */
export function hostileString(opts: { maxLong?: number } = {}): fc.Arbitrary<string> {
  const maxLong = opts.maxLong ?? 1200;
  const piece = fc.oneof(
    { weight: 4, arbitrary: special },
    { weight: 2, arbitrary: injection },
    { weight: 3, arbitrary: word },
    { weight: 2, arbitrary: anyChar },
  );
  const short = fc.array(piece, { minLength: 1, maxLength: 12 }).map((xs) => xs.join(""));
  const long = fc
    .tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.integer({ min: 20, max: 200 }))
    .map(([xs, n]) => {
      const unit = xs.join("");
      return unit.repeat(Math.ceil(maxLong / Math.max(1, unit.length))).slice(0, Math.min(maxLong, unit.length * n));
    });
  return fc.oneof({ weight: 9, arbitrary: short }, { weight: 1, arbitrary: long }).map(stripLoneSurrogates);
}

/** Cuts a string to valid UTF-16 (slicing a long repeat may split a surrogate pair). */
export function stripLoneSurrogates(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "");
}

/**
 * freeText (common.ts) + identity-tag user comment: ≤ 255 characters (zod 4 counts code points), no C0 control
 * but TAB, no DEL, not empty, no leading or trailing whitespace.
 */
export function routerosCommentAcceptable(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return s.length >= 1 && [...s].length <= 255 && !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s) && s.trim() === s;
}

/** A uci option value (openwrt-uci.md §2.1, §2.6): not empty, no control character other than TAB, LF, CR. */
export function uciValueAcceptable(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return s !== "" && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
}

/** A cheap assertion for hot loops: jest's matcher only runs (for its message) when the values differ. */
export function same(actual: unknown, expected: unknown): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!require("util").isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
}

/** Counts printed by every fuzz test in one line, so a CI log shows what ran. */
export interface FuzzCounts {
  tried: number;
  stored: number;
  rejected: number;
  executed: number;
  mismatched: number;
}

export function newCounts(): FuzzCounts {
  return { tried: 0, stored: 0, rejected: 0, executed: 0, mismatched: 0 };
}

export function report(label: string, c: FuzzCounts, extra = ""): string {
  const line =
    `${label}: ${c.tried} strings tried, ${c.stored} stored and read back byte-for-byte, ${c.rejected} rejected by validation naming the field, ` +
    `${c.mismatched} mismatched, ${c.executed} executed (seed ${SEED})${extra ? `; ${extra}` : ""}`;
  // eslint-disable-next-line no-console
  console.log(line);
  return line;
}

/** A unique, trimmed, non-empty visible tag so many values can share one device without colliding. */
export function tagged(k: number, s: string): string {
  return `v${k} ${s}`;
}
