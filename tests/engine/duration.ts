/**
 * Go duration strings, as the Pulumi CLI reads `customTimeouts`: the CLI's resource monitor parses each value
 * with Go's `time.ParseDuration` and fails the registration with "unable to parse customTimeout Value <v>"
 * when it cannot (pulumi/pulumi `pkg/resource/deploy/source_eval.go:2948-2977, 3396-3403` at 1b5949891b).
 *
 * The grammar is Go's (golang/go `src/time/format.go`, `ParseDuration` and `unitMap`):
 * `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` — an optional sign, then one or more numbers, each with an optional
 * fraction and a unit `ns`, `us` (or `µs` / `μs`), `ms`, `s`, `m`, `h`. "0" alone is zero. No spaces, no
 * other units ("d" is unknown), and every number needs a unit. Values past ±2^63 ns are refused.
 */

const NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const LIMIT = 1n << 63n;

/**
 * Nanoseconds of a Go duration string (as a bigint, like Go's int64 Duration); throws Go's own messages
 * ("time: invalid duration …", "time: missing unit in duration …", "time: unknown unit …").
 */
export function parseGoDuration(orig: string): bigint {
  const quote = (v: string) => JSON.stringify(v);
  const invalid = () => new Error(`time: invalid duration ${quote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  const isDigit = (c: string) => c >= "0" && c <= "9";
  let d = 0n;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) throw invalid();
    // leading integer; Go refuses one that overflows
    let i = 0;
    let v = 0n;
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > LIMIT / 10n) throw invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) throw invalid();
    }
    const pre = i > 0;
    s = s.slice(i);
    // fraction: digits past int64 precision are dropped, not an error (Go's leadingFraction)
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > (LIMIT - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > LIMIT) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid();
    // unit: everything up to the next number
    let k = 0;
    while (k < s.length && !(s[k] === "." || isDigit(s[k]))) k++;
    if (k === 0) throw new Error(`time: missing unit in duration ${quote(orig)}`);
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = NS[u];
    if (unit === undefined) throw new Error(`time: unknown unit ${quote(u)} in duration ${quote(orig)}`);
    if (v > LIMIT / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      // Go computes the fraction in float64 and truncates it
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) throw invalid();
    }
    d += v;
    if (d > LIMIT) throw invalid();
  }
  if (neg) return -d;
  if (d > LIMIT - 1n) throw invalid();
  return d;
}

/**
 * Seconds of a `customTimeouts` value, as the CLI computes them (`duration.Seconds()`, a float) and sends
 * them as the provider's `timeout`; "" (not set) is 0. An invalid value throws the CLI's error.
 */
export function customTimeoutSeconds(value: string | undefined): number {
  if (!value) return 0;
  let ns: bigint;
  try {
    ns = parseGoDuration(value);
  } catch {
    throw new Error(`unable to parse customTimeout Value ${value}`);
  }
  // Go's Duration.Seconds(): whole seconds plus the remainder as a fraction
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}
