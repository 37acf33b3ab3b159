/**
 * How one input field maps to one RouterOS property: the property name verbatim (`check-gateway`, `local.role`,
 * `output.redistribute`) and a type that encodes the input value as a CLI argument and decodes what a JSON read
 * returns (read.ts) back into the input's form, so a read compares equal to what `check` produced. Sections cited
 * (§) are those of docs/reference/routeros-cli.md.
 */
import type { Arg } from "./codec";
import { boolValue, durationMsValue, durationValue, intValue, listValue, percentValue, textValue } from "./read";

/** Encode/decode pair of one property type. `decode` returns `undefined` for unset or unreadable values. */
export interface PropType<T> {
  /** Argument that sets `prop` to `v`. */
  encode(prop: string, v: T): Arg;
  /** Argument that returns `prop` to its device default. */
  clear(prop: string): Arg;
  decode(raw: unknown): T | undefined;
}

/** An input field's RouterOS property. */
export interface PropMapping<T> {
  /** RouterOS property name, verbatim. */
  prop: string;
  type: PropType<T>;
  /**
   * Derived from the catalogue (scripts/gen-routeros-props.ts) with no known device default: left out, the value
   * is the device's own — never sent, never compared or reported; removed after being declared, it is unset.
   */
  deviceWhenUnset?: true;
}

const unset = (prop: string): Arg => ({ kind: "unset", prop });

const text: PropType<string> = {
  encode: (prop, v) => ({ kind: "value", prop, value: v }),
  clear: unset,
  decode: textValue,
};

const int: PropType<number> = {
  encode: (prop, v) => ({ kind: "value", prop, value: v }),
  clear: unset,
  decode: intValue,
};

/** `yes`/`no` on the CLI; JSON reads give `true`/`false`. */
const bool: PropType<boolean> = {
  encode: (prop, v) => ({ kind: "value", prop, value: v }),
  clear: unset,
  decode: boolValue,
};

/** Presence flag (`blackhole`, `fib`): bare word to set, `!prop` to clear (§3.1); absent from a read = off. */
const flag: PropType<boolean> = {
  encode: (prop, v) => ({ kind: "flag", prop, on: v }),
  clear: (prop) => ({ kind: "flag", prop, on: false }),
  decode: (raw) => boolValue(raw) ?? false,
};

/** Whole seconds in inputs, RouterOS duration text (`1m30s`) on the device. */
const duration: PropType<number> = {
  encode: (prop, v) => ({ kind: "value", prop, value: durationText(v) }),
  clear: unset,
  decode: durationValue,
};

/** Seconds with millisecond resolution in inputs (`0.1`), RouterOS duration text on the device (`100ms`). */
const durationMs: PropType<number> = {
  encode: (prop, v) => ({ kind: "value", prop, value: durationMsText(v) }),
  clear: unset,
  decode: durationMsValue,
};

/** A percentage 0..100, written as a plain number; reads accept `85`, `"85%"`, `"85.0%"` (§5.8, [I]). */
const percent: PropType<number> = {
  encode: (prop, v) => ({ kind: "value", prop, value: v }),
  clear: unset,
  decode: percentValue,
};

/**
 * A duration in whole seconds, or one of the console's words for the property (`infinity`, `auto`): a number
 * is written as duration text, a word as is; a read that is no duration is kept as the word.
 */
const durationOrWord: PropType<number | string> = {
  encode: (prop, v) => ({ kind: "value", prop, value: typeof v === "number" ? durationText(v) : v }),
  clear: unset,
  decode: (raw) => durationValue(raw) ?? textValue(raw),
};

/** Like durationOrWord, with millisecond resolution (`0.1` ↔ `100ms`). */
const durationMsOrWord: PropType<number | string> = {
  encode: (prop, v) => ({ kind: "value", prop, value: typeof v === "number" ? durationMsText(v) : v }),
  clear: unset,
  decode: (raw) => durationMsValue(raw) ?? textValue(raw),
};

/** A comma list. `sorted` for sets whose order RouterOS does not keep meaningfully (normalised both ways). */
function list(opts: { sorted: boolean }): PropType<string[]> {
  const norm = (xs: string[]) => (opts.sorted ? [...xs].sort() : xs);
  return {
    encode: (prop, v) => ({ kind: "value", prop, value: norm(v) }),
    clear: unset,
    decode: (raw) => {
      const xs = listValue(raw);
      return xs === undefined ? undefined : norm(xs);
    },
  };
}

/** Seconds as RouterOS duration text: 90 → `1m30s`, 3600 → `1h`, 0 → `0s`. Throws RangeError for fractions. */
export function durationText(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0)
    throw new RangeError(`duration must be whole seconds ≥ 0, got ${seconds}`);
  if (seconds === 0) return "0s";
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ["w", 604800],
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join("");
}

/**
 * Seconds (millisecond resolution) as RouterOS duration text: 0.1 → `100ms`, 1.5 → `1s500ms`, 90 → `1m30s`.
 * Throws RangeError for negative values or finer than a millisecond.
 */
export function durationMsText(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  if (seconds < 0 || Math.abs(ms - seconds * 1000) > 1e-6)
    throw new RangeError(`duration must be ≥ 0 in whole milliseconds, got ${seconds}`);
  const whole = Math.floor(ms / 1000);
  const rest = ms % 1000;
  if (rest === 0) return durationText(whole);
  return (whole > 0 ? durationText(whole) : "") + `${rest}ms`;
}

/** Mapping constructors used by kind files: `prop.int("distance")`. */
export const prop = {
  /** Text, also for string enums (the device's value is taken as is, so an unexpected one shows as drift). */
  text: (name: string): PropMapping<string> => ({ prop: name, type: text }),
  int: (name: string): PropMapping<number> => ({ prop: name, type: int }),
  bool: (name: string): PropMapping<boolean> => ({ prop: name, type: bool }),
  flag: (name: string): PropMapping<boolean> => ({ prop: name, type: flag }),
  duration: (name: string): PropMapping<number> => ({ prop: name, type: duration }),
  /** Seconds with millisecond resolution (`0.1` ↔ `100ms`), e.g. netwatch `thr-avg`. */
  durationMs: (name: string): PropMapping<number> => ({ prop: name, type: durationMs }),
  /** A percentage 0..100, e.g. netwatch `thr-loss-percent`. */
  percent: (name: string): PropMapping<number> => ({ prop: name, type: percent }),
  /** An ordered list (order is meaningful, e.g. BGP `templates`). */
  list: (name: string): PropMapping<string[]> => ({ prop: name, type: list({ sorted: false }) }),
  /** A set: order-normalised by sorting (e.g. `output.redistribute`). */
  set: (name: string): PropMapping<string[]> => ({ prop: name, type: list({ sorted: true }) }),
  /** Whole seconds or a console word (`infinity`), e.g. BGP `hold-time`. */
  durationOrWord: (name: string): PropMapping<number | string> => ({ prop: name, type: durationOrWord }),
  /** Seconds with millisecond resolution or a console word. */
  durationMsOrWord: (name: string): PropMapping<number | string> => ({ prop: name, type: durationMsOrWord }),
};

/** A mapping derived from the catalogue (see PropMapping.deviceWhenUnset). */
export function derivedProp<T>(m: PropMapping<T>): PropMapping<T> {
  return { ...m, deviceWhenUnset: true };
}
