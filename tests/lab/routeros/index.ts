/**
 * RouterOS 7 CLI emulator for the lab (DESIGN.md "The lab"; specification: docs/reference/routeros-cli.md).
 * Follows the reference document, not the provider: the only provider/ module it imports is RouterOS's own argument
 * catalogue (provider/routeros/catalogue.ts, generated from RouterOS's `/console/inspect`), which decides the names
 * `add`/`set` accept per menu and version (schema.ts).
 */
import { createConsole, type RouterOsVersion } from "./cli";
import type { RouterOsEmulatorOptions } from "./server";

export type { RouterOsVersion } from "./cli";
export { startRouterOsEmulator, fingerprintOf } from "./server";
export type { RouterOsEmulator, RouterOsEmulatorOptions, RouterOsEmulatorStats } from "./server";

/** In-process interpreter, for codec fuzzing and fast tests without SSH. */
export function createRouterOsCli(opts?: {
  version?: RouterOsVersion;
  variation?: RouterOsEmulatorOptions["variation"];
  startingConfig?: "reference" | "site" | "empty" | "defconf";
}): { run(line: string): string; dump(): Record<string, unknown[]> } {
  const c = createConsole(opts);
  return { run: (line) => c.run(line), dump: () => c.dump() };
}
