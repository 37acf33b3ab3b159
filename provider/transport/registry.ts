/**
 * Opening devices and closing them all when the dynamic-provider process ends.
 */
import { SshDeviceTransport } from "./device";
import type { TransportOptions } from "./options";
import type { DeviceSpec, DeviceTransport } from "./types";

const open = new Set<DeviceTransport>();

/**
 * Creates the SSH transport of one device. No I/O happens until the first exec. Each call returns a new
 * transport (callers keep one per device: provider/dynamic/devices.ts); all are tracked for `closeAllDevices`.
 * @throws TransportError "host-key" for a malformed `hostKeys` entry, "connect" for a bad
 *   `timeoutSeconds` or `maxSessions`.
 */
export function openDevice(spec: DeviceSpec, options?: TransportOptions): DeviceTransport {
  const transport = new SshDeviceTransport(spec, options);
  open.add(transport);
  return transport;
}

/** Closes the connections of every transport opened by `openDevice`; never throws. */
export async function closeAllDevices(): Promise<void> {
  const all = [...open];
  open.clear();
  await Promise.all(all.map((t) => t.close().catch(() => undefined)));
}
