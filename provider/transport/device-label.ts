import type { DeviceSpec } from "./types";

/** `device "crs" (192.0.2.1:22)`: how every message of the transport names a device. */
export function deviceLabel(spec: Pick<DeviceSpec, "name" | "host" | "port">): string {
  return `device "${spec.name}" (${spec.host}:${spec.port ?? 22})`;
}
