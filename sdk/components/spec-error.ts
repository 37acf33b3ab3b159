/**
 * Validation of a component's spec: errors name the spec path the way a program writes it
 * (`uplinks[1].trackIp[0]`), so a mistake is found before any child resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** Thrown for an invalid component spec; the message names the component, the spec path and the problem. */
export class ComponentSpecError extends Error {}

/** `["uplinks", 1, "trackIp", 0]` → `uplinks[1].trackIp[0]`. */
export function specPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, k) => (typeof k === "number" ? `${s}[${k}]` : s === "" ? String(k) : `${s}.${String(k)}`),
    "",
  );
}

/**
 * Parses `spec` with `schema`.
 * @throws ComponentSpecError `<component> "<name>": spec.<path>: <message>` for the first problem found.
 */
export function parseSpec<S extends z.ZodType>(component: string, name: string, schema: S, spec: unknown): z.output<S> {
  const r = schema.safeParse(spec);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = specPath(issue.path);
  throw new ComponentSpecError(`${component} "${name}": spec${where ? `.${where}` : ""}: ${issue.message}`);
}

/** A secret such as `config.requireSecret("tunnelPassword")`, or plain text (which the kinds make secret). */
export const secretText = z.custom<pulumi.Input<string>>(
  (v) => typeof v === "string" || pulumi.Output.isInstance(v),
  "must be a string or a pulumi Output (e.g. config.requireSecret(...))",
);
