/**
 * Validators shared by the RouterOS kinds. Addresses and prefixes come from ../common (ip-num).
 */
import { z } from "zod";
import { freeText } from "../common";
import { userCommentProblem } from "../../routeros/identity-tag";

/**
 * The user's own comment, stored after the identity tag (`rs:<identity> <comment>`, see
 * provider/routeros/identity-tag.ts): free text, not empty, no leading/trailing whitespace.
 */
export const userComment = freeText.superRefine((s, ctx) => {
  const problem = userCommentProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * Names of RouterOS objects referenced or created by name (routing tables, BGP instances/connections/templates,
 * filter chains, interface lists): letters, digits, `.` `_` `-`, 1–63 chars. RouterOS allows more [I]; the
 * narrow set keeps names unambiguous in `where name="…"` and in logs.
 */
export const routerosName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "must be a name of letters, digits, . _ - (at most 63)");

/** `disabled`, device default `no`. */
export const disabled = z.boolean().default(false);
