/**
 * `uciKind`: the OpenWrt counterpart of `routerosKind` (provider/routeros/menu-engine.ts). A typed uci kind is
 * declared as its uci package, section type and option rows (input field → uci option, value shape, secret);
 * everything else a ResourceKind holds is derived here: the section engine's option table, secret fields and
 * secret options, replaceOn, adoption, the reloads of the package, and the option names `extraOptions` may not
 * use ({@link refuseMapped}). The engine itself is provider/openwrt/section-engine.ts.
 * Docs: https://openwrt.org/docs/guide-user/base-system/uci
 */
import type { z } from "zod";
import type { AdoptionSpec, ResourceKind } from "../kind";
import { initScriptReload, type ReloadService } from "../../openwrt/reloads";
import {
  optionTable,
  SECTION_ADOPTION,
  sectionDriver,
  type OptionField,
  type SectionKindSpec,
} from "../../openwrt/section-engine";
import { openwrtSettings } from "../../openwrt/settings";
import type { UciValue } from "../../openwrt/uci-show-parser";
import { dhcpReloads } from "./dhcp-services";
import { mwan3Reload } from "./mwan3-common";

/** One option row: the uci option an input field is written to, verbatim, and how its value is written. */
export interface UciOptionRow {
  /** uci option name, e.g. `masq_src`. */
  option: string;
  /** Value shape: `string` as is, `int` ↔ decimal text, `bool` ↔ `1`/`0`, `list` ↔ uci list. */
  as: "string" | "int" | "bool" | "list";
  /** The value is a secret: the field is a secret input and the option a secret option (masked, never recorded). */
  secret?: boolean;
  /** Input value → uci value, overriding `as`; `inputs` are the kind's whole (normalised) inputs. */
  encode?(value: unknown, inputs: Record<string, unknown>): UciValue | undefined;
  /** uci value → input value, overriding `as`. A value that does not convert is returned as read (drift). */
  decode?(value: UciValue): unknown;
}

/** Option rows by input field. */
export type UciOptionRows = Readonly<Record<string, UciOptionRow>>;

type RowExtras = Pick<UciOptionRow, "secret" | "encode" | "decode">;

/** Row builders: `uci.list("masq_src")`, `uci.option("password", { secret: true })`. */
export const uci = {
  option: (option: string, more: RowExtras = {}): UciOptionRow => ({ option, as: "string", ...more }),
  int: (option: string): UciOptionRow => ({ option, as: "int" }),
  bool: (option: string): UciOptionRow => ({ option, as: "bool" }),
  list: (option: string): UciOptionRow => ({ option, as: "list" }),
};

/** The input field holding the options no row names (undeclared options on the device show there as drift). */
const EXTRA_FIELD = "extraOptions";

/**
 * Issues for `extraOptions` keys that an option row (or `reserved`, options the kind never writes) maps: set
 * the field instead. Called first in the kind's own refinement, so its issues come before the kind's checks.
 */
export function refuseMapped(
  extra: Record<string, unknown>,
  rows: UciOptionRows,
  kind: string,
  ctx: z.RefinementCtx,
  reserved: readonly string[] = [],
): void {
  const mapped = new Set([...Object.values(rows).map((r) => r.option), ...reserved]);
  for (const k of Object.keys(extra)) {
    if (mapped.has(k))
      ctx.addIssue({ code: "custom", path: [EXTRA_FIELD, k], message: `is a field of ${kind}; set it there` });
  }
}

/** What each package's change reloads (init scripts under openwrtSettings().initDir). */
const PACKAGE_RELOADS: Readonly<Record<string, () => ReloadService[]>> = {
  network: () => [initScriptReload("network", openwrtSettings().initDir)],
  firewall: () => [initScriptReload("firewall", openwrtSettings().initDir)],
  dhcp: dhcpReloads,
  mwan3: mwan3Reload,
  // `system` applies hostname, timezone, conloglevel, buffersize; `log` (logd, remote logging) reads `log_*`
  // (docs/reference/openwrt-netifd-dhcp-system.md §3).
  system: () => [
    initScriptReload("system", openwrtSettings().initDir),
    initScriptReload("log", openwrtSettings().initDir),
  ],
};

/** Data description of one typed uci kind. `I` is the schema's output (the normalised inputs). */
export interface UciKindSpec<S extends z.ZodType<object>, I extends object = z.output<S>> {
  /** Kind name, e.g. `openwrt-firewall-zone`. */
  name: string;
  /** openwrt.org page of the section type. */
  docs: string;
  /** Strict zod object of the inputs, with `extraOptions`; its refinement calls {@link refuseMapped} first. */
  schema: S;
  /** uci package (file under /etc/config), e.g. `firewall`; its reloads are PACKAGE_RELOADS'. */
  package: string;
  /**
   * Section type, e.g. `zone`; a function of the inputs when the kind spans types (`route`/`route6`), or
   * `{ field }` when an input names it (seeded by the importer; a change replaces the section).
   */
  sectionType: string | ((inputs: I) => string) | { field: keyof I & string };
  /**
   * How the section is named: the input field holding its name (a change replaces the section; left out, the
   * name is derived from the identity), or `singleton` for the package's one section of the type, managed in
   * place (section-engine.ts SectionKindSpec.singleton).
   */
  section: { nameField: keyof I & string } | "singleton";
  /** Every input field but the section name, type field, `extraOptions` and `notOptions` → its uci option. */
  options: UciOptionRows & { [K in keyof I]?: UciOptionRow };
  /** Input fields that are no uci option (a family the section type follows, companion files), each with why. */
  notOptions?: Readonly<{ [K in keyof I]?: string }>;
  /** Further input fields whose change replaces the section (besides the section name and type field). */
  replaceOn?: readonly (keyof I & string)[];
  /** Inputs as read through the option rows, completed from the section (e.g. a family from the section type). */
  fromSection?(inputs: I, section: { type: string }, last: I): I;
  conflict?: SectionKindSpec<I>["conflict"];
  files?: SectionKindSpec<I>["files"];
  onFileDrift?: SectionKindSpec<I>["onFileDrift"];
}

/** The field names of a zod object, also under refinements and a transform (`.transform` makes a pipe). */
function fieldsOf(schema: z.ZodType): string[] {
  let t = schema as unknown as { shape?: object; def: { in?: unknown } };
  while (!t.shape && t.def.in) t = t.def.in as typeof t;
  return Object.keys(t.shape ?? {});
}

/** Builds a ResourceKind whose driver is the section engine. Throws Error when an input field has no place. */
export function uciKind<S extends z.ZodType<object>>(spec: UciKindSpec<S>): ResourceKind<z.output<S>> {
  type I = z.output<S>;
  type Field = keyof I & string;
  const rows = Object.entries(spec.options) as [Field, UciOptionRow][];
  const typeField = typeof spec.sectionType === "object" ? spec.sectionType.field : undefined;
  const nameField = spec.section === "singleton" ? undefined : spec.section.nameField;
  const placed = new Set<string>([
    EXTRA_FIELD,
    ...rows.map(([f]) => f),
    ...Object.keys(spec.notOptions ?? {}),
    ...[typeField, nameField].filter((f) => f !== undefined),
  ]);
  const fields = fieldsOf(spec.schema);
  for (const f of fields) {
    if (!placed.has(f)) throw new Error(`kind ${spec.name}: input field ${f} has no uci option row`);
  }
  for (const f of placed) {
    if (!fields.includes(f)) throw new Error(`kind ${spec.name}: ${f} is not an input field`);
  }
  const services = PACKAGE_RELOADS[spec.package];
  if (!services) throw new Error(`kind ${spec.name}: no reload known for uci package ${spec.package}`);

  const table = optionTable<I>(
    rows.map(([field, r]): OptionField<I> => ({ field, ...r }) as OptionField<I>),
    EXTRA_FIELD as Field,
  );
  const secretRows = rows.filter(([, r]) => r.secret);
  const sectionType = spec.sectionType;
  const adoption: AdoptionSpec = nameField
    ? SECTION_ADOPTION
    : {
        naturalKey: [],
        onDestroy: "restore",
        note: `the package's one \`${String(sectionType)}\` section, found by type (adopted on create even without \`adopt\`)`,
      };
  return {
    name: spec.name,
    platform: "openwrt",
    schema: spec.schema as unknown as z.ZodType<I>,
    replaceOn: [
      ...new Set([...[typeField, nameField].filter((f) => f !== undefined), ...(spec.replaceOn ?? [])]),
    ] as Field[],
    deleteBeforeReplace: true,
    secrets: secretRows.map(([f]) => f),
    docs: spec.docs,
    adoption,
    driver: sectionDriver<I>({
      package: () => spec.package,
      type:
        typeof sectionType === "string"
          ? () => sectionType
          : typeof sectionType === "function"
            ? sectionType
            : (i) => (i as Record<string, unknown>)[sectionType.field] as string,
      ...(typeField ? { typeField } : {}),
      ...(nameField ? { sectionName: (i: I) => (i as Record<string, unknown>)[nameField] as string | undefined } : {}),
      ...(nameField ? {} : { singleton: true }),
      toOptions: table.toOptions,
      fromSection: spec.fromSection
        ? (s, last) => spec.fromSection!(table.fromSection(s, last), s, last)
        : table.fromSection,
      ...(secretRows.length ? { secretOptions: secretRows.map(([, r]) => r.option) } : {}),
      services,
      ...(spec.conflict ? { conflict: spec.conflict } : {}),
      ...(spec.files ? { files: spec.files } : {}),
      ...(spec.onFileDrift ? { onFileDrift: spec.onFileDrift } : {}),
    }),
  };
}
