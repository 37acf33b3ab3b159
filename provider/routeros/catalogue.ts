/**
 * RouterOS's own argument catalogue (catalogue.generated.ts, from `/console/inspect` of real RouterOS 7.16, 7.19,
 * 7.20 and 7.23; docs/reference/routeros-schema.md) and the questions asked of it: which arguments a menu's
 * `add`/`set` accept on a given RouterOS version. Names and presence per version are facts; `desc` and completion
 * values are evidence only (completions omit values that depend on configuration), never limits.
 */
import { atLeast, type RouterOsVersion } from "./version";
import { CATALOGUE, CATALOGUE_VERSIONS } from "./catalogue.generated";

export interface CatalogueArg {
  /** Crawled versions whose `add` accepts the argument. */
  add: string[];
  /** Crawled versions whose `set` accepts the argument. */
  set: string[];
  /** The console's type hint, e.g. `3s..18h12m15s (time interval)`, `0..4294967295`, `ip|ipv6[,Afi*]`. */
  desc?: string;
  /** Values the 7.22.3 console offered (evidence, not a closed set). */
  completion?: string[];
}

export interface CatalogueMenu {
  /** Crawled versions that have the menu. */
  versions: string[];
  args: Record<string, CatalogueArg>;
  /** Properties `print` shows that `add`/`set` refuse (7.22.3). */
  printOnly?: string[];
}

export type RouterOsCatalogue = Record<string, CatalogueMenu>;

export { CATALOGUE, CATALOGUE_VERSIONS };

/** Arguments of the console's commands that are not item properties. */
export const COMMAND_ARGS: ReadonlySet<string> = new Set(["numbers", "copy-from", "place-before"]);

/**
 * The crawled version that stands for `v`: the newest crawled version not newer than `v` (7.21 → 7.20), or the
 * oldest one for versions before it. [I] Arguments change at minor releases; patch releases are taken to keep them.
 */
export function catalogueVersionFor(v: RouterOsVersion): string {
  let pick: string = CATALOGUE_VERSIONS[0];
  for (const c of CATALOGUE_VERSIONS) {
    const [major, minor] = c.split(".").map(Number);
    if (atLeast(v, major, minor)) pick = c;
  }
  return pick;
}

/** The item properties `verb` accepts on `menu` for RouterOS `v`; `undefined` when the menu is not catalogued. */
export function catalogueProperties(menu: string, verb: "add" | "set", v: RouterOsVersion): Set<string> | undefined {
  const m = CATALOGUE[menu];
  if (!m) return undefined;
  const cv = catalogueVersionFor(v);
  return new Set(
    Object.entries(m.args)
      .filter(([name, a]) => !COMMAND_ARGS.has(name) && a[verb].includes(cv))
      .map(([name]) => name),
  );
}

/** What a kind declares, as far as the catalogue is concerned (menu-engine.ts MenuImport). */
export interface KindProperties {
  menus: readonly string[];
  /** Input field → RouterOS property. */
  properties: Readonly<Record<string, string>>;
}

/**
 * The device properties a kind accepts on crawled version `cv` (e.g. "7.20"): its properties (and `comment`, which
 * every catalogued kind writes) that `add` or `set` of one of its menus takes in that version, sorted. The menu
 * engine refuses the others before any write.
 */
export function acceptedProperties(kind: KindProperties, cv: string): string[] {
  const mine = new Set([...Object.values(kind.properties), "comment"]);
  const out = new Set<string>();
  for (const menu of kind.menus) {
    for (const [name, a] of Object.entries(CATALOGUE[menu]?.args ?? {})) {
      if (mine.has(name) && !COMMAND_ARGS.has(name) && (a.add.includes(cv) || a.set.includes(cv))) out.add(name);
    }
  }
  return [...out].sort();
}

/** A device property's input or output name: `output.network-blackhole` → `outputNetworkBlackhole`. */
export function fieldName(property: string): string {
  return property.replace(/[.-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Print-only properties that may hold a secret (RouterOS masks or hides these; never an output). */
const SECRET_PROPERTY = /(^|[-.])(key|secret|password|passwd|psk|passphrase|token|authkey|pin|pincode|md5)([-.]|$)/;

/**
 * Output name → property for every property `print` shows on `menus` that `add`/`set` refuse (the catalogue's
 * `printOnly`, crawled on 7.22.3), except `about` (a console remark) and names that may hold a secret
 * (`reconfigure-key`; `public-key` is public).
 */
export function printOnlyOutputs(menus: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const menu of menus) {
    for (const p of CATALOGUE[menu]?.printOnly ?? []) {
      if (p === "about" || (SECRET_PROPERTY.test(p) && p !== "public-key")) continue;
      out[fieldName(p)] = p;
    }
  }
  return out;
}

/** Per menu: the catalogue's add/set arguments on `cv` (command arguments left out), sorted. */
export function menuArguments(menu: string, cv: string): string[] {
  return Object.entries(CATALOGUE[menu]?.args ?? {})
    .filter(([name, a]) => !COMMAND_ARGS.has(name) && (a.add.includes(cv) || a.set.includes(cv)))
    .map(([name]) => name)
    .sort();
}
