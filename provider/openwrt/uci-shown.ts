/**
 * Parsing the `show <pkg>` / `rc N` sections that the read and transaction scripts (uci-script.ts) print, with each
 * alias mapped back to its real package.
 */
import { unalias, type UciAliases } from "./uci-script";
import { parseUciShow, type UciShowSection } from "./uci-show-parser";

/** Parsed `show` sections of one phase: per-package sections, or the uci error for a package that failed. */
export interface ShownPhase {
  sections: UciShowSection[];
  errors: string[];
  /** The same errors keyed by package (absent when built by hand, e.g. in tests). */
  errorsByPackage?: ReadonlyMap<string, string>;
}

/** Renames the package of shown sections from its alias back to the real package. */
function mapPackages(sections: UciShowSection[], aliases: UciAliases): UciShowSection[] {
  const back = new Map([...aliases].map(([pkg, alias]) => [alias, pkg]));
  return sections.map((s) => {
    const pkg = back.get(s.package);
    return pkg === undefined ? s : { ...s, package: pkg };
  });
}

/**
 * Parses the `show`/`rc` sections of script output (one phase); `aliases` maps the shown packages back.
 * Throws when a `show` has no exit status (the output is cut).
 */
export function parseShownPhase(
  parts: ReadonlyArray<{ tag: string; body: string }>,
  aliases: UciAliases = new Map(),
): ShownPhase {
  const sections: UciShowSection[] = [];
  const errors: string[] = [];
  const errorsByPackage = new Map<string, string>();
  for (let k = 0; k < parts.length; k++) {
    const m = /^show (.+)$/.exec(parts[k].tag);
    if (!m) continue;
    const rc = parts[k + 1] && /^rc (\d+)$/.exec(parts[k + 1].tag);
    if (!rc) throw new Error(`transaction output for package ${m[1]} has no exit status`);
    if (rc[1] !== "0") {
      const error = `uci show ${m[1]} failed (rc ${rc[1]}): ${unalias(parts[k + 1].body.trim(), aliases)}`;
      errors.push(error);
      errorsByPackage.set(m[1], error);
    } else sections.push(...mapPackages(parseUciShow(parts[k].body), aliases));
  }
  return { sections, errors, errorsByPackage };
}
