import type { z } from "zod";

/** The first issue of a zod error as `field: message`. */
export function zodIssue(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return "invalid";
  const at = i.code === "unrecognized_keys" ? [...i.path, ...i.keys].join(".") : i.path.join(".");
  return at ? `${at}: ${i.message}` : i.message;
}
