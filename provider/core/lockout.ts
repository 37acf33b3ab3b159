/**
 * What the RouterOS and OpenWrt lock-out guards share (provider/routeros/lockout-guard.ts,
 * provider/openwrt/lockout-guard.ts): the per-device window and the error of a change the device reverted.
 */
import type { DeviceTransport } from "./device";
import { DeviceError } from "./errors";

/** Window when `lockoutGuard` is not set, seconds. */
export const DEFAULT_WINDOW_SECONDS = 60;

/** The device's lock-out window in seconds, or undefined when its guard is off (`lockoutGuard: false`). */
export function windowOf(transport: DeviceTransport): number | undefined {
  const g = transport.spec.lockoutGuard;
  if (g === false) return undefined;
  return g?.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
}

/** The resource failed because the change cut the management path and the device reverted it by itself. */
export class LockoutRevertedError extends DeviceError {
  constructor(message: string) {
    super(message);
    this.name = "LockoutRevertedError";
  }
}
