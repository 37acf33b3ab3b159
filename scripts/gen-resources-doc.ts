/**
 * Generates docs/resources.md from the kinds themselves: `npm run docs` (tsx scripts/gen-resources-doc.ts).
 * Kinds come from the kind registry (provider/resources/registry.ts): each entry names its kind module under
 * provider/resources/<platform>/, whose `kind` and `schema` give platform, replacement,
 * secrets and types (zod 4 `z.toJSONSchema`), defaults come from parsing `undefined`, descriptions are the JSDoc
 * comments of the `z.object({...})` properties (TypeScript compiler API), SDK class names and summaries come from
 * the registry, and a kind's `requires` version gate is probed with RouterOS versions to find the versions it
 * supports and the fields it requires or refuses on some of them. Units come from the validators' `.meta({ unit })`.
 * tests/unit/docs/resources-doc.test.ts fails when the committed file differs from the output.
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { z } from "zod";
import type { ResourceKind } from "../provider/resources/kind";
import { kindListing, type KindListing } from "../provider/import/kinds";
import { KINDS, loadKind } from "../provider/resources/registry";
import { commonInputs } from "../provider/resources/common";
import { MIN_VERSION, parseVersion, type RouterOsVersion } from "../provider/routeros/version";
import { menuImportOf } from "../provider/routeros/menu-engine";

const ROOT = path.resolve(__dirname, "..");
export const DOC_PATH = path.join(ROOT, "docs", "resources.md");
const PLATFORM_LABEL = { routeros: "RouterOS", openwrt: "OpenWrt" } as const;
/** OpenWrt has no version probe; the supported floor is the one README.md states. */
const OPENWRT_FLOOR = "OpenWrt 23.05 or newer";

type Json = Record<string, unknown>;
type AnyKind = ResourceKind<object>;

interface KindInfo {
  kind: AnyKind;
  /** Absolute path of provider/resources/<platform>/<file>.ts. */
  file: string;
  sdkClass: string;
  sdkSummary: string;
}

const sources = new Map<string, ts.SourceFile>();
function source(file: string): ts.SourceFile {
  let sf = sources.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    sources.set(file, sf);
  }
  return sf;
}

/** The JSDoc text of a node (its last JSDoc block), whitespace collapsed; "" when none. */
function jsDoc(node: ts.Node): string {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const doc = docs?.[docs.length - 1];
  const text = doc ? (ts.getTextOfJSDocComment(doc.comment) ?? "") : "";
  return text.replace(/\s+/g, " ").trim();
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}

function resolveModule(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(fromFile), spec);
  return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
}

/** JSDoc of a top-level declaration named `name` in `file`, following one relative import. */
function declarationDoc(file: string, name: string, depth = 0): string {
  const sf = source(file);
  for (const st of sf.statements) {
    if (
      ts.isVariableStatement(st) &&
      st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)
    )
      return jsDoc(st);
    if ((ts.isFunctionDeclaration(st) || ts.isInterfaceDeclaration(st)) && st.name?.text === name) return jsDoc(st);
    if (depth === 0 && ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named) && named.elements.some((e) => e.name.text === name)) {
        const target = resolveModule(file, st.moduleSpecifier.text);
        if (target) return declarationDoc(target, name, 1);
      }
    }
  }
  return "";
}

/**
 * Where a spread in a schema comes from: `...name` (declared in `file` or imported by name) or `...ns.name` (a
 * namespace import) → [declaration name, module file].
 */
function spreadSource(file: string, e: ts.Expression): [string, string] | undefined {
  const [local, name] = ts.isIdentifier(e)
    ? [e.text, e.text]
    : ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)
      ? [e.expression.text, e.name.text]
      : [undefined, undefined];
  if (!local || !name) return undefined;
  for (const st of source(file).statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const b = st.importClause?.namedBindings;
    const imported =
      (b && ts.isNamespaceImport(b) && b.name.text === local && local !== name) ||
      (b && ts.isNamedImports(b) && b.elements.some((x) => x.name.text === local) && local === name);
    if (imported) {
      const target = resolveModule(file, st.moduleSpecifier.text);
      return target ? [name, target] : undefined;
    }
  }
  return local === name ? [name, file] : undefined;
}

/** The object literal a top-level `const <name> = {…}` of `file` holds. */
function objectLiteral(file: string, name: string): ts.ObjectLiteralExpression | undefined {
  for (const st of source(file).statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations)
      if (
        ts.isIdentifier(d.name) &&
        d.name.text === name &&
        d.initializer &&
        ts.isObjectLiteralExpression(d.initializer)
      )
        return d.initializer;
  }
  return undefined;
}

/** The identifier an expression is built on: `userComment.optional()` → `userComment`. */
function rootIdentifier(e: ts.Expression): string | undefined {
  while (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) e = e.expression;
  return ts.isIdentifier(e) && e.text !== "z" ? e.text : undefined;
}

/** Field descriptions of a kind file: top-level schema fields by name, and every object-literal field as a fallback. */
function fieldDocs(file: string): { top: Map<string, string>; any: Map<string, string | null> } {
  const sf = source(file);
  const top = new Map<string, string>();
  const any = new Map<string, string | null>();
  const spreads: [string, string][] = [];
  const describe = (p: ts.ObjectLiteralElementLike): [string, string] | undefined => {
    if (
      !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) ||
      !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))
    )
      return undefined;
    let doc = jsDoc(p);
    if (!doc) {
      const id = ts.isShorthandPropertyAssignment(p) ? p.name.text : rootIdentifier(p.initializer);
      if (id) doc = declarationDoc(file, id);
    }
    return [p.name.text, doc];
  };
  walk(sf, (n) => {
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === "object" &&
      ts.isIdentifier(n.expression.expression) &&
      n.expression.expression.text === "z" &&
      n.arguments[0] &&
      ts.isObjectLiteralExpression(n.arguments[0])
    ) {
      for (const p of n.arguments[0].properties) {
        if (ts.isSpreadAssignment(p)) {
          const spread = spreadSource(file, p.expression);
          if (spread) spreads.push(spread);
          continue;
        }
        const d = describe(p);
        if (d && d[1]) any.set(d[0], any.has(d[0]) && any.get(d[0]) !== d[1] ? null : d[1]);
      }
    }
  });
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== "schema" || !d.initializer) continue;
      walk(d.initializer, (n) => {
        if (
          top.size === 0 &&
          ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          n.expression.name.text === "object" &&
          n.arguments[0] &&
          ts.isObjectLiteralExpression(n.arguments[0])
        ) {
          for (const p of n.arguments[0].properties) {
            const r = describe(p);
            if (r) top.set(r[0], r[1]);
          }
        }
      });
    }
  }
  // Fields spread into a `z.object` (`...matchFields`, the catalogue-derived `...derived.shape`) are documented
  // where their object literal is; fields written in the kind file itself win.
  for (const [name, module] of spreads) {
    const literal = objectLiteral(module, name);
    for (const p of literal?.properties ?? []) {
      const r = describe(p);
      if (r && !top.has(r[0])) top.set(r[0], r[1]);
    }
  }
  return { top, any };
}

/** The property `name` of the object literal passed to the call that initialises `export const kind`. */
function kindProperty(file: string, name: string): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  for (const st of source(file).statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== "kind" || !d.initializer) continue;
      walk(d.initializer, (n) => {
        if (!found && ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === name)
          found = n.initializer;
      });
    }
  }
  return found;
}

/** RouterOS menu paths of a kind, as its engine knows them (ordered kinds and kinds spanning menus included). */
function menus(kind: AnyKind): string[] {
  return [...(menuImportOf(kind as ResourceKind<object>)?.menus ?? [])].sort();
}

/** A kind's RouterOS version gate (`requires`); with inputs it also checks fields that exist only in some versions. */
type Gate = (v: RouterOsVersion, device: string, inputs?: Record<string, unknown>) => void;

/** RouterOS 7 minor versions probed: the supported floor up to well past the newest release. */
const PROBE_MINORS = Array.from({ length: 100 - MIN_VERSION.minor }, (_, i) => MIN_VERSION.minor + i);

/** The gate's error for `7.<minor>`, or undefined when it passes. */
function gateError(gate: Gate, minor: number, inputs?: Record<string, unknown>): string | undefined {
  try {
    gate(parseVersion(`${MIN_VERSION.major}.${minor}`)!, "probe", inputs);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** `7.16–7.19`, `7.20 or newer`, joined with "and": contiguous runs of the probed minors. */
function versionRanges(minors: number[]): string {
  const runs: [number, number][] = [];
  for (const m of minors) {
    const last = runs[runs.length - 1];
    if (last && last[1] === m - 1) last[1] = m;
    else runs.push([m, m]);
  }
  const top = PROBE_MINORS[PROBE_MINORS.length - 1];
  const v = (m: number) => `${MIN_VERSION.major}.${m}`;
  return runs.map(([a, b]) => (b === top ? `${v(a)} or newer` : a === b ? v(a) : `${v(a)}–${v(b)}`)).join(" and ");
}

/** The kind's `requires` gate: the function it names, imported by the kind file (the gates live in shared modules). */
function gateOf(file: string): Gate | undefined {
  const e = kindProperty(file, "requires");
  if (!e || !ts.isIdentifier(e)) {
    if (e)
      throw new Error(
        `${path.relative(ROOT, file)}: \`requires\` must name an imported function for the docs generator`,
      );
    return undefined;
  }
  for (const st of source(file).statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const named = st.importClause?.namedBindings;
    if (named && ts.isNamedImports(named) && named.elements.some((x) => x.name.text === e.text)) {
      const target = resolveModule(file, st.moduleSpecifier.text);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const gate = target ? (require(target) as Record<string, Gate | undefined>)[e.text] : undefined;
      if (gate) return gate;
    }
  }
  throw new Error(`${path.relative(ROOT, file)}: cannot resolve its \`requires\` gate ${e.text}`);
}

/** The RouterOS versions the kind's `requires` gate accepts (probed without inputs). */
function versionLine(gate: Gate | undefined): string {
  const all = `RouterOS ${versionRanges(PROBE_MINORS)}`;
  if (!gate) return all;
  const ok = PROBE_MINORS.filter((m) => gateError(gate, m) === undefined);
  if (!ok.length) return "no RouterOS 7 version passes its version check";
  const floor = ok[0] > MIN_VERSION.minor ? " (older versions fail with an error naming the device)" : "";
  return `RouterOS ${versionRanges(ok)}${floor}`;
}

/**
 * Per-field version rules of a gate, found by probing it: a field is required on the versions where the gate
 * refuses empty inputs naming that field, and refused on those where it refuses the field set (the gates' errors
 * start with the field name, see provider/resources/routeros/bgp-common.ts).
 */
function fieldVersionRules(gate: Gate | undefined, fields: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!gate) return out;
  const supported = PROBE_MINORS.filter((m) => gateError(gate, m) === undefined);
  for (const f of fields) {
    const names = (msg: string | undefined) => msg?.startsWith(`${f}:`) ?? false;
    const required = supported.filter((m) => names(gateError(gate, m, {})));
    const refused = supported.filter((m) => names(gateError(gate, m, { [f]: "probe" })));
    const parts = [
      ...(required.length ? [`required on RouterOS ${versionRanges(required)}`] : []),
      ...(refused.length ? [`refused on RouterOS ${versionRanges(refused)}`] : []),
    ];
    if (parts.length) out.set(f, parts.join(", "));
  }
  return out;
}

/** Every kind of the registry (provider/resources/registry.ts) with its SDK class and summary, sorted by class. */
function discoverKinds(): KindInfo[] {
  const infos = KINDS.map((e) => ({
    kind: loadKind(e) as AnyKind,
    file: path.join(ROOT, "provider", "resources", e.platform, `${e.module}.ts`),
    sdkClass: `${e.platform}.${e.className}`,
    sdkSummary: e.summary,
  }));
  const key = (i: KindInfo) => `${i.kind.platform} ${i.sdkClass}`;
  return infos.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The table's summary: a RouterOS kind's menus (the registry's summary leaves them to the kind), then the summary. */
function summaryCell(k: KindInfo): string {
  const m = k.kind.platform === "routeros" ? menus(k.kind) : [];
  return `${m.length ? `${m.map(code).join(", ")} — ` : ""}${k.sdkSummary}`;
}

/** Markdown text: `<`/`>` escaped outside code spans (GitHub would take `<name>` for HTML). */
const text = (s: string) =>
  s
    .split("`")
    .map((part, i) => (i % 2 ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("`");
/** A table cell: also `|` escaped and on one line. */
const cell = (s: string) => text(s).replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `\`${s}\``;

/**
 * The type of a JSON schema, with the unit a validator declares (`.meta({ unit })`, e.g. durations in seconds) and,
 * for a duration given as text, an example of that text (`.meta({ textExample })`, default `1m30s`).
 */
function typeOf(s: Json): string {
  const t = bareType(s);
  if (typeof s.unit !== "string") return t;
  const example = typeof s.textExample === "string" ? s.textExample : "1m30s";
  return t === "number | string" ? `duration in ${s.unit} (a number, or text such as "${example}")` : `${t}, ${s.unit}`;
}

function bareType(s: Json): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in s) return JSON.stringify(s.const);
  const alts = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (alts) return [...new Set(alts.map(typeOf))].join(" | ");
  const t = s.type;
  if (Array.isArray(t)) return t.join(" | ");
  if (t === "array") return s.items ? `${wrap(typeOf(s.items as Json))}[]` : "array";
  if (t === "object") {
    if (s.properties) return "object";
    const ap = s.additionalProperties;
    return ap && typeof ap === "object" ? `Record<string, ${typeOf(ap as Json)}>` : "object";
  }
  if (t === "integer" || t === "number") {
    const lo = s.minimum ?? s.exclusiveMinimum;
    const hi = s.maximum ?? s.exclusiveMaximum;
    return lo !== undefined || hi !== undefined ? `${t} (${lo ?? ""}..${hi ?? ""})` : String(t);
  }
  if (t === "string" && (s.minLength !== undefined || s.maxLength !== undefined))
    return `string (length ${s.minLength ?? 0}..${s.maxLength ?? ""})`;
  return typeof t === "string" ? t : "any";
}
const wrap = (t: string) => (t.includes(" ") ? `(${t})` : t);

interface Row {
  name: string;
  type: string;
  required: string;
  def: string;
  doc: string;
}

/** Rows for the fields of a zod object: JSON schema for types, parsing `undefined` for optionality and defaults. */
function rows(
  schema: z.ZodType,
  docs: { top: Map<string, string>; any: Map<string, string | null> },
  prefix = "",
  topLevel = true,
): Row[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  const props = (json.properties ?? {}) as Record<string, Json>;
  const out: Row[] = [];
  for (const [name, field] of Object.entries(shape)) {
    const parsed = field.safeParse(undefined);
    const def = parsed.success && parsed.data !== undefined ? code(JSON.stringify(parsed.data)) : "";
    const doc =
      (topLevel ? docs.top.get(name) : undefined) ||
      docs.any.get(name) ||
      (props[name]?.description as string | undefined) ||
      "";
    out.push({
      name: prefix + name,
      type: typeOf(props[name] ?? {}),
      required: parsed.success ? "no" : "yes",
      def,
      doc,
    });
    const inner = unwrapObject(field);
    if (inner) out.push(...rows(inner, docs, `${prefix}${name}.`, false));
  }
  return out;
}

/** The zod object inside optional/default/pipe wrappers, if the field is an object with its own fields. */
function unwrapObject(t: z.ZodType): z.ZodType | undefined {
  for (let i = 0; i < 10 && t; i++) {
    if ((t as unknown as { shape?: object }).shape) return t;
    const def = (t as unknown as { def: { innerType?: z.ZodType; in?: z.ZodType; schema?: z.ZodType } }).def;
    const next = def.innerType ?? def.in ?? def.schema;
    if (!next) return undefined;
    t = next;
  }
  return undefined;
}

function table(rs: Row[]): string[] {
  return [
    "| Input | Type | Required | Default | Description |",
    "| --- | --- | --- | --- | --- |",
    ...rs.map((r) => `| ${code(r.name)} | ${cell(r.type)} | ${r.required} | ${cell(r.def)} | ${cell(r.doc)} |`),
  ];
}

export function generateResourcesDoc(): string {
  const kinds = discoverKinds();
  const resourceTs = path.join(ROOT, "sdk", "resource.ts");
  const commonDocs = { top: new Map<string, string>(), any: new Map<string, string | null>() };
  walk(source(resourceTs), (n) => {
    if (
      ts.isPropertySignature(n) &&
      ts.isIdentifier(n.name) &&
      ts.isInterfaceDeclaration(n.parent) &&
      n.parent.name.text === "CommonArgs"
    )
      commonDocs.top.set(n.name.text, jsDoc(n));
  });
  const common = rows(commonInputs.omit({ identity: true }), commonDocs);

  const lines: string[] = [
    "<!-- Generated by `npm run docs` (scripts/gen-resources-doc.ts) from the kind schemas and their JSDoc. Do not edit by hand. -->",
    "",
    "# Resources",
    "",
    "Every resource kind routerstack manages, generated from the zod schemas in `provider/resources/`. Durations show",
    "their unit in the type; other units are stated per input. The Default column is the value routerstack writes when",
    "an input is omitted (normally the device default); an optional input without one is left to the device, whose",
    'default the description names. "Version rules" are fields that only some RouterOS versions take.',
    "",
    "## Common inputs",
    "",
    "Every resource also takes these. The identity `<project>/<stack>/<resource name>` is set by the SDK and names the",
    "object on the device; changing `device` or the resource name replaces the resource.",
    "",
    ...table(common),
    "",
    "## Index",
    "",
    "| Class | Kind | Platform | Summary |",
    "| --- | --- | --- | --- |",
    ...kinds.map(
      (k) =>
        `| [${k.sdkClass}](#${anchor(k)}) | ${code(k.kind.name)} | ${PLATFORM_LABEL[k.kind.platform]} | ${cell(summaryCell(k))} |`,
    ),
  ];
  const listing = new Map(kindListing().map((l) => [l.kind, l]));
  for (const k of kinds) {
    const { kind, file } = k;
    const accepted = listing.get(k.sdkClass);
    const replace = ["`device`", "resource name (identity)", ...kind.replaceOn.map(code)].join(", ");
    const gate = kind.platform === "routeros" ? gateOf(file) : undefined;
    const fieldRules = fieldVersionRules(gate, Object.keys((kind.schema as unknown as { shape?: object }).shape ?? {}));
    const menuPaths = kind.platform === "routeros" ? menus(kind) : [];
    lines.push(
      "",
      `## ${k.sdkClass}`,
      "",
      ...(k.sdkSummary ? [text(k.sdkSummary), ""] : []),
      `- Kind: ${code(kind.name)}, source \`${path.relative(ROOT, file).split(path.sep).join("/")}\``,
      `- Platform: ${PLATFORM_LABEL[kind.platform]}`,
      ...(menuPaths.length ? [`- Menu: ${menuPaths.map(code).join(", ")}`] : []),
      `- Versions: ${kind.platform === "routeros" ? versionLine(gate) : OPENWRT_FLOOR}`,
      ...(fieldRules.size ? [`- Version rules: ${[...fieldRules].map(([f, r]) => `${code(f)} ${r}`).join("; ")}`] : []),
      `- Device docs: ${kind.docs}`,
      `- Replaces on change: ${replace}; ${kind.deleteBeforeReplace ? "deletes before creating the replacement" : "creates the replacement before deleting"}`,
      `- Secrets: ${kind.secrets.length ? kind.secrets.map(code).join(", ") : "none"}`,
      `- Natural key / adopt: ${adoptionLine(kind)}`,
      ...outputsLine(kind),
      "",
      ...table(
        rows(kind.schema, fieldDocs(file)).map((r) =>
          fieldRules.has(r.name) ? { ...r, required: `${r.required} (${fieldRules.get(r.name)})` } : r,
        ),
      ),
      ...(accepted ? ["", ...acceptedTable(accepted)] : []),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A RouterOS menu kind's read-only outputs (`observed`): its print-only properties and its own output names. */
function outputsLine(kind: ResourceKind<object>): string[] {
  const outputs = kind.platform === "routeros" ? menuImportOf(kind)?.outputs : undefined;
  return outputs?.length ? [`- Outputs in \`observed\` (read-only): ${outputs.map(code).join(", ")}`] : [];
}

/**
 * The device properties the kind accepts (as `routerstack kinds --json` prints them): per RouterOS version from
 * RouterOS's own catalogue, or the uci options of an OpenWrt kind.
 */
function acceptedTable(l: KindListing): string[] {
  if (l.platform === "openwrt")
    return [`Device options (${l.menus.map(code).join(", ")}): ${l.properties.any.map(code).join(", ")}`];
  const versions = Object.keys(l.properties);
  const all = [...new Set(Object.values(l.properties).flat())].sort();
  return [
    "Device properties accepted per RouterOS version (RouterOS's own `/console/inspect`; others are refused before any write):",
    "",
    `| property | ${versions.join(" | ")} |`,
    `| --- | ${versions.map(() => "---").join(" | ")} |`,
    ...all.map(
      (p) => `| ${code(p)} | ${versions.map((v) => (l.properties[v].includes(p) ? "yes" : "—")).join(" | ")} |`,
    ),
  ];
}

/** How `adopt: true` finds an existing object of the kind and what destroy does to it. */
function adoptionLine(kind: AnyKind): string {
  const a = kind.adoption;
  if (!a) return "not supported";
  const key =
    a.note ??
    (a.naturalKey.length
      ? `an existing item without an identity tag whose ${a.naturalKey.map(code).join(" + ")} equal the inputs`
      : "none (adopt creates a new object)");
  const secrets = kind.secrets.length ? " (secrets are left as they are)" : "";
  const destroy =
    a.onDestroy === "restore" ? `destroy restores the original values${secrets}` : "destroy leaves the object as it is";
  return `${key}; ${destroy}; an adopted object is never deleted`;
}

function anchor(k: KindInfo): string {
  return k.sdkClass
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(DOC_PATH), { recursive: true });
  fs.writeFileSync(DOC_PATH, generateResourcesDoc());
  console.log(`wrote ${path.relative(process.cwd(), DOC_PATH)}`);
}
