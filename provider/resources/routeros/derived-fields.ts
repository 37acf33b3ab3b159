/**
 * Validators of the inputs derived from RouterOS's own argument catalogue (provider/routeros/catalogue.ts;
 * generated per kind into ./generated/ by scripts/gen-routeros-props.ts). Each follows what the console states
 * for the argument (docs/reference/routeros-schema.md §2): a `desc` range (`3s..18h12m15s (time interval)`,
 * `0..4294967295`), an alternatives list (`a|b|c`, `a|b[,X*]`), a `yes|no` completion; otherwise text. Completion
 * values beyond `yes|no` are evidence, not limits: they are named in the docstrings, never enforced.
 */
import { z } from "zod";
import { durationSeconds, LONE_SURROGATE } from "../common";
import { durationSecondsMs } from "./fields";
import { durationMsText, durationText } from "../../routeros/property-types";

/** Text as the codec quotes it: valid Unicode, no control characters, at most `max` characters. */
export function text(max = 4095) {
  return (
    z
      .string()
      .max(max, `must be at most ${max} characters`)
      .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no unpaired surrogate)")
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s), "must not contain control characters")
  );
}

/** `yes`/`no` on the console. */
export const bool = () => z.boolean();

/** A whole number in the console's range. */
export function int(min: number, max: number) {
  return z
    .number()
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

/** Whole seconds (or RouterOS duration text) in the console's range; `min`/`max` in seconds. */
export function duration(min?: number, max?: number) {
  return durationSeconds.pipe(
    z
      .number()
      .min(min ?? 0, `must be at least ${durationText(min ?? 0)}`)
      .max(max ?? Number.MAX_SAFE_INTEGER, `must be at most ${max === undefined ? "" : durationText(max)}`),
  );
}

/** Seconds with millisecond resolution (or duration text such as `"100ms"`) in the console's range. */
export function durationMs(min?: number, max?: number) {
  return durationSecondsMs.pipe(
    z
      .number()
      .min(min ?? 0, `must be at least ${durationMsText(min ?? 0)}`)
      .max(max ?? Number.MAX_SAFE_INTEGER, `must be at most ${max === undefined ? "" : durationMsText(max)}`),
  );
}

/** A duration as above, or one of the console's words for the property (`infinity`, `auto`, `none`). */
export function durationOr<W extends string>(words: readonly [W, ...W[]], min?: number, max?: number) {
  // Widened to number | string: the mapping decodes whatever word the device prints back.
  return z.union([z.enum(words), duration(min, max)]).transform((v): number | string => v);
}

/** Like durationOr, with millisecond resolution. */
export function durationMsOr<W extends string>(words: readonly [W, ...W[]], min?: number, max?: number) {
  return z.union([z.enum(words), durationMs(min, max)]).transform((v): number | string => v);
}

/** One of the alternatives the console's `desc` states (`a|b|c`). */
export function oneOf<W extends string>(values: readonly [W, ...W[]]) {
  return z.enum(values);
}

/** A set of the alternatives the console's `desc` states (`a|b[,X*]`): sorted and de-duplicated. */
export function setOf<W extends string>(values: readonly [W, ...W[]]) {
  return z.array(z.enum(values)).transform((xs) => [...new Set(xs)].sort());
}
