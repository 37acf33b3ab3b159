/**
 * Derives, for every RouterOS kind declared with `routerosKind()` (provider/resources/routeros/*.ts), one input per
 * add/set argument of its catalogued menus (provider/routeros/catalogue.generated.ts, RouterOS's own
 * `/console/inspect`) that the kind does not already declare by hand, and writes them to
 * provider/resources/routeros/generated/<kind file>.ts: a zod `shape` (spread into the kind's `z.object`) and the
 * `props` mappings (spread into its `props`), with docstrings naming the property, the console's `desc`, the
 * versions and the completion values (evidence, not limits; docs/reference/routeros-schema.md).
 *
 * Left out: the kind's hand-written fields (they win), `comment` (the identity tag), the console's command
 * arguments (`numbers`, `copy-from`, `place-before`) and the kind's own `notInputs` (each with its reason).
 * `npm run props` (tsx scripts/gen-routeros-props.ts) rewrites the files; a new kind gets a stub first, so its
 * `import * as derived from "./generated/<file>"` resolves, then its derived inputs.
 * tests/unit/routeros/derived-props.test.ts fails when a committed file differs from the output.
 */
import * as fs from "fs";
import * as path from "path";
import type { ResourceKind } from "../provider/resources/kind";
import {
  acceptedProperties,
  CATALOGUE,
  CATALOGUE_VERSIONS,
  COMMAND_ARGS,
  fieldName,
  menuArguments,
  type CatalogueArg,
} from "../provider/routeros/catalogue";
import { isConventionalSecretOption } from "../provider/resources/secret-names";
import { menuImportOf } from "../provider/routeros/menu-engine";
import { durationMsValue } from "../provider/routeros/read";

const ROOT = path.resolve(__dirname, "..");
export const KINDS_DIR = path.join(ROOT, "provider", "resources", "routeros");
export const GENERATED_DIR = path.join(KINDS_DIR, "generated");

const STUB =
  "// Stub written by scripts/gen-routeros-props.ts; run `npm run props`.\nexport const shape = {};\nexport const props = {};\n";

/** The kind files: those declaring a kind with `routerosKind(` (item.ts is the generic escape hatch). */
export function kindFiles(): string[] {
  return fs
    .readdirSync(KINDS_DIR)
    .filter((f) => f.endsWith(".ts"))
    .filter((f) => /\brouterosKind\(/.test(fs.readFileSync(path.join(KINDS_DIR, f), "utf8")))
    .sort();
}

interface Derived {
  field: string;
  /** Device property name. */
  name: string;
  zod: string;
  prop: string;
  doc: string[];
}

const YES_NO = "no,yes";
const ALTERNATIVES = /^[a-z0-9][a-z0-9-]*(\|[a-z0-9][a-z0-9-]*)+$/;
const ALTERNATIVES_SET = /^([a-z0-9][a-z0-9-]*(?:\|[a-z0-9][a-z0-9-]*)*)\[,\w+\*\]$/;
const TIME_RANGE = /^(\S+)\.\.(\S+) \(time interval\)$/;
const INT_RANGE = /^(-?\d+)\.\.(-?\d+)$/;
const MAX_LENGTH = /^string value,(?: min length \d+,)? max length (\d+)$/;

const lit = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}] as const`;

/** The validator and mapping a catalogue argument's `desc` and completion give (derived-fields.ts). */
function typeOf(name: string, a: CatalogueArg): { zod: string; prop: string } {
  const desc = a.desc ?? "";
  const completion = a.completion ?? [];
  const p = (t: string) => `p(prop.${t}(${JSON.stringify(name)}))`;
  const time = TIME_RANGE.exec(desc);
  if (time || desc === "time interval") {
    const min = time ? durationMsValue(time[1]) : undefined;
    const max = time ? durationMsValue(time[2]) : undefined;
    const ms = [min, max].some((x) => x !== undefined && !Number.isInteger(x));
    const range = min === undefined ? "" : `, ${min}, ${ms ? max : Math.floor(max!)}`;
    const words = completion.filter((c) => durationMsValue(c) === undefined);
    if (words.length > 0)
      return {
        zod: `d.${ms ? "durationMsOr" : "durationOr"}(${lit(words)}${range})`,
        prop: p(ms ? "durationMsOrWord" : "durationOrWord"),
      };
    return { zod: `d.${ms ? "durationMs" : "duration"}(${range.slice(2)})`, prop: p(ms ? "durationMs" : "duration") };
  }
  const int = INT_RANGE.exec(desc);
  if (int) return { zod: `d.int(${int[1]}, ${int[2]})`, prop: p("int") };
  const set = ALTERNATIVES_SET.exec(desc);
  if (set) return { zod: `d.setOf(${lit(set[1].split("|"))})`, prop: p("set") };
  if (ALTERNATIVES.test(desc)) return { zod: `d.oneOf(${lit(desc.split("|"))})`, prop: p("text") };
  if ([...completion].sort().join(",") === YES_NO) return { zod: "d.bool()", prop: p("bool") };
  const max = MAX_LENGTH.exec(desc);
  return { zod: max ? `d.text(${max[1]})` : "d.text()", prop: p("text") };
}

/** "7.16, 7.19" or "add 7.16–7.23, set 7.20–7.23" when they differ. */
function versions(add: Set<string>, set: Set<string>): string {
  const list = (s: Set<string>) => [...s].sort().join(", ");
  return list(add) === list(set) ? list(add) : `add: ${list(add) || "none"}; set: ${list(set) || "none"}`;
}

const safe = (s: string) => s.replace(/\*\//g, "*\u2215");

/** The derived inputs of one kind module. */
export function deriveKind(file: string): { kindName: string; derived: Derived[]; menus: readonly string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(KINDS_DIR, file)) as { kind: ResourceKind<object> };
  const view = menuImportOf(mod.kind);
  if (!view) throw new Error(`${file}: its kind is not built by routerosKind()`);
  const derivedNow = new Set(view.derivedFields);
  const handFields = new Set(Object.keys(view.properties).filter((f) => !derivedNow.has(f)));
  if (view.commentField !== undefined) handFields.add(view.commentField);
  const handProps = new Set(
    Object.entries(view.properties)
      .filter(([f]) => !derivedNow.has(f))
      .map(([, p]) => p),
  );
  // Union over the kind's menus: the first menu with a desc/completion for the argument gives its type.
  const args = new Map<string, { arg: CatalogueArg; menus: string[]; add: Set<string>; set: Set<string> }>();
  for (const menu of view.menus) {
    const m = CATALOGUE[menu];
    if (!m) continue;
    for (const [name, a] of Object.entries(m.args)) {
      if (COMMAND_ARGS.has(name) || name === "comment" || handProps.has(name) || name in view.notInputs) continue;
      if (a.add.length === 0 && a.set.length === 0) continue;
      // A derived input is plain (not secret): a secret-looking argument must be hand-written with the kind's
      // `secrets`, or left out with a reason in `notInputs`.
      if (isConventionalSecretOption(name.replace(/[-.]/g, "_")))
        throw new Error(
          `${file}: ${menu} ${name} looks like a secret; hand-write it as a secret or list it in notInputs`,
        );
      const got = args.get(name) ?? { arg: a, menus: [], add: new Set<string>(), set: new Set<string>() };
      if (!got.arg.desc && !got.arg.completion && (a.desc || a.completion)) got.arg = a;
      got.menus.push(menu);
      a.add.forEach((v) => got.add.add(v));
      a.set.forEach((v) => got.set.add(v));
      args.set(name, got);
    }
  }
  const derived: Derived[] = [];
  for (const [name, { arg, menus, add, set }] of [...args].sort(([a], [b]) => a.localeCompare(b))) {
    const field = fieldName(name);
    if (handFields.has(field))
      throw new Error(`${file}: derived input ${field} (${name}) collides with a hand-written field of that name`);
    const { zod, prop } = typeOf(name, arg);
    const doc = [
      `Property \`${name}\` of ${menus.map((m) => `\`${m}\``).join(", ")} (RouterOS ${versions(add, set)}; refused on other versions).`,
    ];
    if (arg.desc) doc.push(`Console: "${safe(arg.desc)}".`);
    const shown = (arg.completion ?? []).filter((c) => c !== "," && c !== "");
    if (shown.length > 0 && zod !== "d.bool()") {
      const head = shown.slice(0, 12).join(", ") + (shown.length > 12 ? ", …" : "");
      doc.push(`7.22.3 console offered: ${safe(head)} (evidence, not a limit).`);
    }
    doc.push("Left out: the device's own value, never compared. Source: docs/reference/routeros-schema.md.");
    derived.push({ field, name, zod, prop, doc });
  }
  return { kindName: mod.kind.name, derived, menus: view.menus };
}

/** The content of generated/<file> for one kind file. */
export function renderKind(file: string): string {
  const { kindName, derived, menus } = deriveKind(file);
  const out: string[] = [
    `// Generated by scripts/gen-routeros-props.ts (\`npm run props\`) from provider/routeros/catalogue.generated.ts`,
    `// and the declaration of ${kindName} (${file}; menus ${menus.join(", ")}). Do not edit.`,
    `// tests/unit/routeros/derived-props.test.ts fails when this file is stale.`,
    ``,
    ...(derived.length > 0
      ? [
          `import * as d from "../derived-fields";`,
          `import { derivedProp as p, prop } from "../../../routeros/property-types";`,
          ``,
        ]
      : []),
    `/** The catalogue's add/set arguments ${kindName} does not declare by hand, one optional input each. */`,
    `export const shape = {`,
  ];
  for (const x of derived) {
    out.push(`  /**`, ...x.doc.map((l) => `   * ${l}`), `   */`, `  ${x.field}: ${x.zod}.optional(),`);
  }
  out.push(`};`, ``, `/** Input field → RouterOS property of the inputs above. */`, `export const props = {`);
  for (const x of derived) out.push(`  ${x.field}: ${x.prop},`);
  out.push(`};`, ``);
  return out.join("\n");
}

/** Every generated file: path → content. */
export function generateAll(): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of kindFiles()) files.set(path.join(GENERATED_DIR, f), renderKind(f));
  return files;
}

/** One managed menu on one crawled version: the catalogue's add/set arguments and those the kinds accept. */
export interface MenuCoverage {
  menu: string;
  version: string;
  args: number;
  accepted: number;
  /** Catalogue arguments no kind accepts. */
  missing: string[];
  /** Of `missing`, those a kind leaves out on purpose (its `notInputs`, each with a reason). */
  excluded: string[];
}

/** Every kind module's kind and its catalogue view (menus, field → property). */
export function routerosKinds() {
  return kindFiles().map((f) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kind = (require(path.join(KINDS_DIR, f)) as { kind: ResourceKind<object> }).kind;
    return { file: f, kind, view: menuImportOf(kind)! };
  });
}

/** Coverage of every managed menu × crawled version (a menu absent from a version is left out). */
export function coverage(): MenuCoverage[] {
  const kinds = routerosKinds();
  const menus = [...new Set(kinds.flatMap((k) => k.view.menus))].filter((m) => CATALOGUE[m]).sort();
  const out: MenuCoverage[] = [];
  for (const menu of menus) {
    for (const version of CATALOGUE_VERSIONS) {
      const args = menuArguments(menu, version);
      if (args.length === 0) continue;
      const accepted = new Set(
        kinds
          .filter((k) => k.view.menus.includes(menu))
          .flatMap((k) => acceptedProperties({ menus: [menu], properties: k.view.properties }, version)),
      );
      const excludedHere = new Set(
        kinds.filter((k) => k.view.menus.includes(menu)).flatMap((k) => Object.keys(k.view.notInputs)),
      );
      const missing = args.filter((a) => !accepted.has(a));
      out.push({
        menu,
        version,
        args: args.length,
        accepted: accepted.size,
        missing,
        excluded: missing.filter((a) => excludedHere.has(a)),
      });
    }
  }
  return out;
}

if (require.main === module && process.argv.includes("--coverage")) {
  const rows = coverage();
  const versions = [...CATALOGUE_VERSIONS];
  console.log(`| menu | ${versions.join(" | ")} |`);
  console.log(`|---|${versions.map(() => "---").join("|")}|`);
  for (const menu of [...new Set(rows.map((r) => r.menu))]) {
    const cells = versions.map((v) => {
      const r = rows.find((x) => x.menu === menu && x.version === v);
      return r ? `${r.accepted}/${r.args}` : "—";
    });
    console.log(`| \`${menu}\` | ${cells.join(" | ")} |`);
  }
  for (const v of versions) {
    const rs = rows.filter((r) => r.version === v);
    const a = rs.reduce((n, r) => n + r.accepted, 0);
    const t = rs.reduce((n, r) => n + r.args, 0);
    console.log(
      `${v}: ${a}/${t} (${((100 * a) / t).toFixed(1)}%), lowest ${Math.min(...rs.map((r) => r.accepted / r.args)).toFixed(3)}`,
    );
  }
  for (const r of rows) if (r.missing.length) console.log(`${r.menu} ${r.version} missing: ${r.missing.join(" ")}`);
} else if (require.main === module) {
  fs.mkdirSync(GENERATED_DIR, { recursive: true });
  // A new kind imports its generated file before there is one: a stub lets it load, then it is derived.
  for (const f of kindFiles()) {
    const target = path.join(GENERATED_DIR, f);
    if (!fs.existsSync(target)) fs.writeFileSync(target, STUB);
  }
  for (const [file, content] of generateAll()) fs.writeFileSync(file, content);
  console.log(`wrote ${kindFiles().length} files to ${path.relative(ROOT, GENERATED_DIR)}`);
}
