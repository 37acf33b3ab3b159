/**
 * Validators shared by the RouterOS kinds. Addresses and prefixes come from ../common (ip-num).
 */
import { z } from "zod";
import { freeText, LONE_SURROGATE } from "../common";
import { quote } from "../../routeros/codec";
import { userCommentProblem } from "../../routeros/identity-tag";
import { durationMsValue } from "../../routeros/read";
import { orderCommentProblem } from "../../routeros/rule-order";

/**
 * The user's own comment, stored after the identity tag (`rs:<identity> <comment>`, see
 * provider/routeros/identity-tag.ts): free text, not empty, no leading/trailing whitespace.
 */
export const userComment = freeText.superRefine((s, ctx) => {
  const problem = userCommentProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * The user's own comment on a rule with a declared `order`, stored after the identity tag and the order mark
 * (`rs:<identity> order=<n> <comment>`, see provider/routeros/rule-order.ts): free text, not empty, no
 * leading/trailing whitespace, not starting with `order=` (reserved for the mark).
 */
export const orderedUserComment = userComment.superRefine((s, ctx) => {
  const problem = orderCommentProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * A declared rule order (provider/routeros/rule-order.ts): an integer 0..999999999 (the `order=<n>` mark in the
 * comment holds at most 9 digits), lower first.
 */
export const declaredOrder = z
  .number()
  .int("must be an integer")
  .min(0, "must be 0 or more")
  .max(999999999, "must be at most 999999999");

/**
 * Names of RouterOS objects referenced or created by name (routing tables, BGP instances/connections/templates,
 * filter chains, interface lists): letters, digits, `.` `_` `-`, 1–63 chars. RouterOS allows more [I]; the
 * narrow set keeps names unambiguous in `where name="…"` and in logs.
 */
export const routerosName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "must be a name of letters, digits, . _ - (at most 63)");

/**
 * A firewall interface or interface-list matcher: the name, or `!name` to match everything else (routeros-cli.md
 * §5.6: "in/out-interface, in/out-interface-list (`!` negation)").
 */
export function negatable(name: z.ZodType<string>) {
  return z.string().refine((v) => name.safeParse(v.startsWith("!") ? v.slice(1) : v).success, {
    message: "must be a name, optionally negated with a leading !",
  });
}

/** `disabled`, device default `no`. */
export const disabled = z.boolean().default(false);

/**
 * A duration in seconds with millisecond resolution, for properties that take sub-second values (netwatch
 * `thr-avg 100ms`, `packet-interval 50ms`): a number of seconds (`0.1`) or RouterOS text (`"100ms"`, `"1s500ms"`,
 * `"00:00:00.100"`), normalised to seconds.
 */
export const durationSecondsMs = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const s =
      typeof v === "number"
        ? Number.isFinite(v) && v >= 0 && Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6
          ? Math.round(v * 1000) / 1000
          : undefined
        : durationMsValue(v);
    if (s === undefined) {
      ctx.addIssue({
        code: "custom",
        message: 'must be a duration in seconds with at most millisecond precision, such as 0.1, "100ms" or "1s500ms"',
      });
      return z.NEVER;
    }
    return s;
  })
  .meta({ unit: "seconds, millisecond resolution" });

/**
 * A password or pre-shared key: 1–255 characters, no control characters (they cannot be typed into RouterOS and
 * would not round-trip). Written to the device, compared through a hash (DESIGN.md "Pulumi integration").
 */
export const secretText = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no unpaired surrogate)")
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

/** Longest script body, in bytes once quoted for the CLI, so that a whole `add` still fits one 4 KB exec line. */
export const MAX_SCRIPT_QUOTED_BYTES = 1200;

// A named constant, not an inline literal, so the disable comment stays on its line however the code is formatted.
// eslint-disable-next-line no-control-regex
const SCRIPT_CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A RouterOS script body (netwatch `up-script`/`down-script`): line breaks and tabs allowed, other control
 * characters not. It travels quoted and escaped on one exec line (routeros-cli.md §1.3, §3.3), so its quoted form
 * is limited to MAX_SCRIPT_QUOTED_BYTES (about 1200 ASCII characters; non-ASCII characters count 3 bytes each).
 */
export const scriptText = z
  .string()
  .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no unpaired surrogate)")
  .refine(
    (s) => !SCRIPT_CONTROL_CHARACTER.test(s),
    "must not contain control characters other than tab and line breaks",
  )
  .refine(
    (s) => quote(s).text.length <= MAX_SCRIPT_QUOTED_BYTES,
    `is too long: at most ${MAX_SCRIPT_QUOTED_BYTES} bytes once quoted for the RouterOS command line`,
  );
