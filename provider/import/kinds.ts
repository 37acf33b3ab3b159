/**
 * Every resource kind, discovered rather than listed: each module under provider/resources/<platform>/ that
 * exports a `kind` is one (as scripts/gen-resources-doc.ts discovers them), so a kind added later is imported
 * without touching the importer. Works from the TypeScript sources (tsx, jest) and from the compiled dist/.
 */
import * as fs from "fs";
import * as path from "path";
import type { ResourceKind } from "../resources/kind";

export type AnyKind = ResourceKind<object>;

function isKind(k: unknown, platform: string): k is AnyKind {
  const o = k as Partial<AnyKind> | undefined;
  return !!o && typeof o.name === "string" && o.platform === platform && !!o.schema && !!o.driver;
}

/** The kinds of a platform, sorted by name. */
export function kindsOf(platform: "routeros" | "openwrt"): AnyKind[] {
  const dir = path.join(__dirname, "..", "resources", platform);
  const files = fs.readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts"));
  const seen = new Map<string, AnyKind>();
  for (const f of files.sort()) {
    // The kind modules are found by listing the directory, so their paths are known only at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, f)) as { kind?: unknown };
    if (isKind(mod.kind, platform)) seen.set(mod.kind.name, mod.kind);
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The SDK class name of a kind: `routeros-nat-rule` → `NatRule` (the convention of sdk/routeros.ts, sdk/openwrt.ts). */
export function sdkClassName(kind: AnyKind): string {
  return kind.name
    .slice(kind.platform.length + 1)
    .split("-")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");
}
