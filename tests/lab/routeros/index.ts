/**
 * RouterOS 7 CLI emulator for the lab (DESIGN.md "The lab"; specification: docs/reference/routeros-cli.md).
 * Follows the reference document, not the provider. The provider/ modules it imports are RouterOS's own argument
 * catalogue (provider/routeros/catalogue.ts, generated from RouterOS's `/console/inspect`), which decides the names
 * `add`/`set` accept per menu and version (schema.ts), and the version parser. It shares the provider's choice of
 * the crawled version that stands for a version between crawls (catalogueVersionFor, an [I] in
 * docs/reference/routeros-schema.md §3): if that guess is wrong, emulator and provider are wrong together.
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
