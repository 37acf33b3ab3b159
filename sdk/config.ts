/**
 * Typed, validated stack configuration. A program declares a zod schema for its keys; errors name the full key
 * (`<namespace>:<key>.<path>`) so a typo in `Pulumi.<stack>.yaml` is found before anything reaches a router.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { devicesConfigSchema } from "../provider/dynamic/devices";

export { devicesConfigSchema };

/** Thrown for a missing or invalid stack config value; the message names the key. */
export class StackConfigError extends Error {}

/**
 * Reads `<namespace>:<key>` (structured YAML or JSON text) and validates it with `schema`.
 * @throws StackConfigError naming the key and the first problem found.
 */
export function requireConfig<S extends z.ZodType>(namespace: string, key: string, schema: S): z.infer<S> {
  const cfg = new pulumi.Config(namespace);
  const raw = cfg.getObject<unknown>(key);
  if (raw === undefined) throw new StackConfigError(`stack config "${namespace}:${key}" is required`);
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = [key, ...issue.path.map(String)].join(".");
    throw new StackConfigError(`stack config "${namespace}:${where}": ${issue.message}`);
  }
  return r.data;
}

/** Validates `routerstack:devices` in the program too, so a bad device entry fails before any resource runs. */
export function requireDevices(): z.infer<typeof devicesConfigSchema> {
  return requireConfig("routerstack", "devices", devicesConfigSchema);
}
