/**
 * Device registry of the dynamic-provider process: the `routerstack:devices` stack config, validated, and one
 * transport per device shared by every resource served by this process (DESIGN.md "Pulumi integration").
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { openDevice, closeAllDevices } from "../transport";
import type { DeviceSpec, DeviceTransport } from "../transport/types";

/** One entry of `routerstack:devices`. Secrets (`password`, `privateKey`) belong in `secure:` config values. */
export const deviceConfigSchema = z
  .object({
    platform: z.enum(["routeros", "openwrt"]),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    username: z.string().min(1),
    password: z.string().optional(),
    privateKey: z.string().optional(),
    /** Path of a private key file, relative to the program directory. */
    privateKeyFile: z.string().optional(),
    hostKeys: z.array(z.string()).optional(),
    /** Path of a known_hosts file, relative to the program directory. */
    knownHostsFile: z.string().optional(),
    insecureSkipHostKeyCheck: z.boolean().optional(),
    timeoutSeconds: z.number().positive().optional(),
    channelMode: z.enum(["per-exec", "sequential", "parallel"]).optional(),
    maxSessions: z.number().int().min(1).max(1000).optional(),
    /** Per-exec mode: connections logged in ahead of need (transport/types.ts); default 2, 0 = off. */
    warmConnections: z.number().int().min(0).max(1000).optional(),
    commandLogFile: z.string().optional(),
    batchWindowMs: z.number().int().min(0).max(1000).optional(),
    /**
     * Lock-out guard (README "Existing routers → Lock-out guard"): `{ windowSeconds }` (whole seconds, 3..3600,
     * default 60) or `false` to turn it off. Default: on, 60 seconds.
     */
    lockoutGuard: z
      .union([z.literal(false), z.object({ windowSeconds: z.number().int().min(3).max(3600).default(60) }).strict()])
      .optional(),
  })
  .strict()
  .refine((d) => d.password || d.privateKey || d.privateKeyFile, {
    message: "needs password, privateKey or privateKeyFile",
  })
  .refine((d) => d.hostKeys?.length || d.knownHostsFile || d.insecureSkipHostKeyCheck, {
    message: "needs hostKeys or knownHostsFile (or the explicit insecureSkipHostKeyCheck: true)",
  })
  // Pins always win in the transport; saying both would silently ignore the opt-out.
  .refine((d) => !(d.insecureSkipHostKeyCheck && (d.hostKeys?.length || d.knownHostsFile)), {
    message: "insecureSkipHostKeyCheck cannot be combined with hostKeys or knownHostsFile",
  });

export const devicesConfigSchema = z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), deviceConfigSchema);
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

const CONFIG_KEY = "routerstack:devices";

let rawDevices: unknown;
const transports = new Map<string, DeviceTransport>();

/** Called from the provider's `configure(req)`; the value is the JSON text Pulumi passes for structured config. */
export function setDevicesConfig(value: unknown): void {
  rawDevices = typeof value === "string" ? JSON.parse(value) : value;
}

function configuredDevices(): Record<string, DeviceConfig> {
  let raw = rawDevices;
  if (raw === undefined && process.env.PULUMI_CONFIG) {
    // The real engine also passes the stack config in PULUMI_CONFIG (pulumi-dynamic-host.md §2).
    const all = JSON.parse(process.env.PULUMI_CONFIG) as Record<string, string>;
    if (all[CONFIG_KEY] !== undefined) raw = JSON.parse(all[CONFIG_KEY]);
  }
  if (raw === undefined)
    throw new Error(`stack config "${CONFIG_KEY}" is not set: declare your routers there (see README)`);
  const parsed = devicesConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`stack config "${CONFIG_KEY}.${issue.path.join(".")}": ${issue.message}`);
  }
  return parsed.data;
}

function resolvePath(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(process.cwd(), p);
}

export function deviceSpec(name: string): DeviceSpec {
  const all = configuredDevices();
  const d = all[name];
  if (!d)
    throw new Error(
      `device "${name}" is not declared in stack config "${CONFIG_KEY}" (declared: ${Object.keys(all).join(", ") || "none"})`,
    );
  return {
    name,
    platform: d.platform,
    host: d.host,
    port: d.port,
    username: d.username,
    password: d.password,
    privateKey: d.privateKey ?? (d.privateKeyFile ? fs.readFileSync(resolvePath(d.privateKeyFile), "utf8") : undefined),
    hostKeys: d.hostKeys,
    knownHostsFile: d.knownHostsFile ? resolvePath(d.knownHostsFile) : undefined,
    insecureSkipHostKeyCheck: d.insecureSkipHostKeyCheck,
    timeoutSeconds: d.timeoutSeconds,
    channelMode: d.channelMode,
    maxSessions: d.maxSessions,
    warmConnections: d.warmConnections,
    commandLogFile: d.commandLogFile ? resolvePath(d.commandLogFile) : undefined,
    batchWindowMs: d.batchWindowMs,
    lockoutGuard: d.lockoutGuard,
  };
}

/** The shared transport of a device, opened on first use. */
export function transportFor(name: string, platform: "routeros" | "openwrt"): DeviceTransport {
  let t = transports.get(name);
  if (!t) {
    const spec = deviceSpec(name);
    if (spec.platform !== platform) {
      throw new Error(
        `device "${name}" is declared with platform "${spec.platform}" but this resource needs a ${platform} device`,
      );
    }
    t = openDevice(spec);
    transports.set(name, t);
  }
  return t;
}

process.once("beforeExit", () => {
  void closeAllDevices();
});
