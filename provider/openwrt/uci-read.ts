/**
 * Reading uci packages as committed, in ONE exec for any number of packages: each file is copied under its alias
 * into a fresh private dir and shown from there (uci-transaction.ts explains the aliases), so pending changes in
 * /tmp/.uci (the admin's) are not mixed in. A package whose file does not exist reads as no sections.
 */
import { randomBytes } from "crypto";
import type { DeviceTransport } from "../transport/types";
import { DeviceError } from "../core/errors";
import { markerText, splitMarked } from "./device-lock";
import { parseShownPhase } from "./uci-shown";
import { buildReadScript, uciAliases, unalias, type UciInvocation } from "./uci-script";
import type { UciShowSection } from "./uci-show-parser";

/**
 * Sections of each of `packages` (deduplicated), or a {@link DeviceError} for a package uci could not show (a
 * broken file fails only its own package). Throws a DeviceError naming the device when the exec itself fails.
 */
export async function readUciPackagesSettled(
  transport: DeviceTransport,
  packages: readonly string[],
  opts: UciInvocation = {},
): Promise<Map<string, UciShowSection[] | DeviceError>> {
  const unique = [...new Set(packages)];
  const nonce = randomBytes(12).toString("hex");
  const marker = `@@RS_${nonce}`;
  const aliases = uciAliases(unique, nonce);
  const r = await transport.exec(buildReadScript(unique, marker, opts, aliases), { readOnly: true });
  const where = (pkgs: readonly string[]) => `reading uci ${pkgs.join(", ")} on device "${transport.spec.name}"`;
  if (!r.stdout.includes(markerText(marker, "done"))) {
    const err = unalias(r.stderr.trim(), aliases);
    throw new DeviceError(`${where(unique)} failed (exit ${r.code ?? "none"}): ${err}`, err);
  }
  const shown = parseShownPhase(splitMarked(r.stdout, marker), aliases);
  const result = new Map<string, UciShowSection[] | DeviceError>();
  for (const pkg of unique) {
    const error = shown.errorsByPackage?.get(pkg);
    result.set(
      pkg,
      error !== undefined
        ? new DeviceError(`${where([pkg])} failed: ${error}`, error)
        : shown.sections.filter((s) => s.package === pkg),
    );
  }
  return result;
}

/** The sections of `packages` as committed; throws a {@link DeviceError} when any of them cannot be read. */
export async function readUciPackages(
  transport: DeviceTransport,
  packages: readonly string[],
  opts: UciInvocation = {},
): Promise<UciShowSection[]> {
  const settled = await readUciPackagesSettled(transport, packages, opts);
  const errors = [...settled.values()].filter((v): v is DeviceError => v instanceof DeviceError);
  if (errors.length > 0) {
    const device = errors.map((e) => e.deviceMessage ?? e.message).join("; ");
    throw new DeviceError(
      `reading uci ${packages.join(", ")} on device "${transport.spec.name}" failed: ${device}`,
      device,
    );
  }
  return [...settled.values()].flatMap((v) => v as UciShowSection[]);
}
