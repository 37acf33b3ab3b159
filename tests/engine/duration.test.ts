/**
 * customTimeouts values are Go durations (docs/engine.md O6): golang/go src/time/format.go ParseDuration,
 * whose error the CLI turns into "unable to parse customTimeout Value <v>" (pulumi/pulumi
 * pkg/resource/deploy/source_eval.go:3396-3403).
 */
import { customTimeoutSeconds, parseGoDuration } from "./duration";

test("O6: compound, fractional, signed and every unit parse as Go's ParseDuration does", () => {
  const cases: [string, bigint][] = [
    ["0", 0n],
    ["-0", 0n],
    ["5s", 5_000_000_000n],
    ["30s", 30_000_000_000n],
    ["2m", 120_000_000_000n],
    ["1h30m", 5_400_000_000_000n],
    ["2h45m10.5s", 9_910_500_000_000n],
    ["1.5h", 5_400_000_000_000n],
    ["-1.5h", -5_400_000_000_000n],
    ["+10ms", 10_000_000n],
    [".5s", 500_000_000n],
    ["1.s", 1_000_000_000n],
    ["300ms", 300_000_000n],
    ["100us", 100_000n],
    ["100µs", 100_000n],
    ["100μs", 100_000n],
    ["7ns", 7n],
    ["1m1s1ms1us1ns", 61_001_001_001n],
    ["9223372036854775807ns", 9_223_372_036_854_775_807n],
    ["-9223372036854775808ns", -9_223_372_036_854_775_808n],
  ];
  for (const [s, ns] of cases) expect([s, parseGoDuration(s)]).toEqual([s, ns]);
});

test("O6: what Go refuses is refused, with Go's message", () => {
  const cases: [string, RegExp][] = [
    ["", /^time: invalid duration ""$/],
    ["2 minutes", /^time: unknown unit " minutes" in duration "2 minutes"$/],
    ["3", /^time: missing unit in duration "3"$/],
    ["1d", /^time: unknown unit "d" in duration "1d"$/],
    ["1h 30m", /^time: unknown unit "h " in duration "1h 30m"$/],
    [".s", /^time: invalid duration ".s"$/],
    ["-", /^time: invalid duration "-"$/],
    ["s", /^time: invalid duration "s"$/],
    ["1H", /^time: unknown unit "H" in duration "1H"$/],
    ["9223372036854775808ns", /^time: invalid duration "9223372036854775808ns"$/],
    ["3000000h", /^time: invalid duration "3000000h"$/],
  ];
  for (const [s, msg] of cases) expect(() => parseGoDuration(s)).toThrow(msg);
});

test("O6: a customTimeout is its Go duration in seconds (a float, as Duration.Seconds()); an invalid one is the CLI's error", () => {
  expect(customTimeoutSeconds(undefined)).toBe(0);
  expect(customTimeoutSeconds("")).toBe(0);
  expect(customTimeoutSeconds("1h30m")).toBe(5400);
  expect(customTimeoutSeconds("1.5s")).toBe(1.5);
  expect(customTimeoutSeconds("250ms")).toBe(0.25);
  expect(() => customTimeoutSeconds("2 minutes")).toThrow(/^unable to parse customTimeout Value 2 minutes$/);
});
