/**
 * Every resource kind, from the one kind registry (provider/resources/registry.ts), so a kind added there is
 * imported without touching the importer. Works from the TypeScript sources (tsx, jest) and from the compiled dist/.
 */
import type { ResourceKind } from "../resources/kind";
import { KINDS, kindName, loadKind } from "../resources/registry";
import { acceptedProperties, CATALOGUE_VERSIONS } from "../routeros/catalogue";
import { menuImportOf } from "../routeros/menu-engine";
import { sectionSpecOf } from "../openwrt/section-engine";

export type AnyKind = ResourceKind<object>;

/** The kinds of a platform, sorted by name. */
export function kindsOf(platform: "routeros" | "openwrt"): AnyKind[] {
  return KINDS.filter((e) => e.platform === platform)
    .map((e) => loadKind(e) as AnyKind)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The SDK class name of a kind (`routeros-nat-rule` → `NatRule`), as the registry declares it. Throws for an unlisted kind. */
export function sdkClassName(kind: AnyKind): string {
  const e = KINDS.find((k) => kindName(k) === kind.name);
  if (!e) throw new Error(`kind ${kind.name} is not in provider/resources/registry.ts`);
  return e.className;
}

/** One element of `routerstack kinds --json`. */
export interface KindListing {
  /** `routeros.StaticRoute`, `openwrt.FirewallZone`. */
  kind: string;
  platform: "routeros" | "openwrt";
  /** RouterOS menus (`/ip/route`), or OpenWrt `<package>.<type>`. */
  menus: string[];
  /** Sorted device property names the kind accepts: per crawled RouterOS version, or `any` on OpenWrt. */
  properties: Record<string, string[]>;
}

/**
 * What a typed uci kind writes: its `<package>.<type>` pairs and option names, found by asking its section spec
 * with the inputs `{}`, each family and each value of each small enum field (a family or section choice picks the
 * type). A kind whose package or type is the user's (`UciSection`) names none and is not listed.
 * Options are those `toOptions` names for any of these (kinds with a fixed option table name them all).
 */
export function openwrtListing(kind: AnyKind): { menus: string[]; options: string[] } | undefined {
  const spec = sectionSpecOf(kind.driver);
  if (!spec) return undefined;
  // `family` is often computed by the schema (from an address), so it is probed whether or not it is an input.
  const probes: Record<string, unknown>[] = [{}, { family: "ipv4" }, { family: "ipv6" }];
  const shape = (kind.schema as unknown as { shape?: Record<string, { options?: unknown }> }).shape ?? {};
  for (const [field, t] of Object.entries(shape)) {
    const values = (t as { options?: unknown[] }).options;
    if (Array.isArray(values) && values.length <= 4 && values.every((x) => typeof x === "string"))
      for (const v of values) probes.push({ [field]: v });
  }
  const menus = new Set<string>();
  const options = new Set<string>();
  for (const p of probes) {
    try {
      const [pkg, type] = [spec.package(p), spec.type(p)];
      if (typeof pkg === "string" && typeof type === "string") menus.add(`${pkg}.${type}`);
    } catch {
      // A probe the kind cannot answer (it needs a real input) names nothing.
    }
    try {
      for (const o of Object.keys(spec.toOptions(p))) options.add(o);
    } catch {
      // As above.
    }
  }
  return { menus: [...menus].sort(), options: [...options].sort() };
}

/**
 * `routerstack kinds --json`: every typed kind with its menus and the device property names it accepts (RouterOS:
 * per crawled version of RouterOS's own catalogue, provider/routeros/catalogue.ts; OpenWrt: the uci options it
 * writes). The generic escape hatches (`RouterOsItem`, `UciSection`, `RemoteFile`, BIRD files, services) manage no
 * fixed menu and are not listed.
 */
export function kindListing(): KindListing[] {
  const out: KindListing[] = [];
  for (const kind of kindsOf("routeros")) {
    const view = menuImportOf(kind);
    if (!view) continue;
    const properties: Record<string, string[]> = {};
    for (const v of CATALOGUE_VERSIONS) properties[v] = acceptedProperties(view, v);
    out.push({ kind: `routeros.${sdkClassName(kind)}`, platform: "routeros", menus: [...view.menus], properties });
  }
  for (const kind of kindsOf("openwrt")) {
    const l = openwrtListing(kind);
    if (!l || l.menus.length === 0) continue;
    out.push({
      kind: `openwrt.${sdkClassName(kind)}`,
      platform: "openwrt",
      menus: l.menus,
      properties: { any: l.options },
    });
  }
  return out;
}
