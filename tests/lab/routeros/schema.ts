/**
 * Which properties a menu has on one RouterOS version, and which of them `add` and `set` accept: RouterOS's own
 * argument catalogue (provider/routeros/catalogue.ts, from `/console/inspect` of 7.16, 7.19, 7.20 and 7.23;
 * docs/reference/routeros-schema.md) decides the names, the menu files (menus*.ts) add what the catalogue does not
 * say: types and validation, references that must exist, defaults shown by print, read-only and computed values.
 *
 * For a menu the catalogue covers (its `path` is a catalogue key), on a version:
 * - an argument the catalogue lists for `add`/`set` is accepted by that verb, typed by the menu's hand-written
 *   PropDef when it has one (its `since`/`until` then only choose between two typings of one name), otherwise
 *   from the catalogue's `desc` ({@link fromCatalogue});
 * - a hand-written argument the catalogue does not list for that version is absent: refused by `add`/`set` with
 *   the parser's unknown-parameter error (`bad parameter X` from 7.23, `syntax error` before; routeros-cli.md §4.1);
 * - hand-written read-only properties stay readable (print, get).
 * A menu the catalogue does not cover (`/interface`, `/system/note`, …) keeps its hand-written PropDefs, gated by
 * their `since`/`until`; a catalogued menu absent from a version's catalogue does not exist on that version.
 */
import { CATALOGUE, COMMAND_ARGS, catalogueVersionFor, type CatalogueArg } from "../../../provider/routeros/catalogue";
import { parseVersion } from "../../../provider/routeros/version";
import { parseDuration } from "./durations";
import type { MenuDef } from "./menus";
import { propInVersion, type PropDef, type PropType, type Stored } from "./props";

export interface MenuSchema {
  /** Every property of the menu on this version, readable and writable, hand-written ones first. */
  props: PropDef[];
  /** Item properties `add` accepts (command arguments such as `place-before` are the parser's). */
  add: ReadonlySet<string>;
  /** Item properties `set` accepts (and `unset` / `!name` clear). */
  set: ReadonlySet<string>;
  /** The catalogue version that stands for this version; undefined for a menu the catalogue does not cover. */
  catalogueVersion?: string;
}

/** The crawled catalogue version standing for an emulator version such as `7.20`. */
export function catalogueVersionOf(version: string): string {
  const v = parseVersion(version);
  if (!v) throw new Error(`not a RouterOS version: ${version}`);
  return catalogueVersionFor(v);
}

/** Whether the menu exists on `version`: its `since` gate, and the catalogue's menu list when it covers the menu. */
export function menuExists(menu: MenuDef, version: string): boolean {
  if (!propInVersion({ since: menu.since }, version)) return false;
  const cat = CATALOGUE[menu.path];
  return !cat || cat.versions.includes(catalogueVersionOf(version));
}

const cache = new WeakMap<MenuDef, Map<string, MenuSchema>>();

export function menuSchema(menu: MenuDef, version: string): MenuSchema {
  let perMenu = cache.get(menu);
  if (!perMenu) cache.set(menu, (perMenu = new Map()));
  let s = perMenu.get(version);
  if (!s) perMenu.set(version, (s = derive(menu, version)));
  return s;
}

function derive(menu: MenuDef, version: string): MenuSchema {
  const cat = CATALOGUE[menu.path];
  if (!cat) {
    const props = menu.props.filter((p) => propInVersion(p, version));
    const writable = new Set(props.filter((p) => !p.readOnly).map((p) => p.name));
    return { props, add: writable, set: writable };
  }
  const cv = catalogueVersionOf(version);
  const args = Object.entries(cat.args).filter(
    ([name, a]) => !COMMAND_ARGS.has(name) && (a.add.includes(cv) || a.set.includes(cv)),
  );
  const argNames = new Set(args.map(([name]) => name));
  const printOnly = new Set(cat.printOnly ?? []);
  const props: PropDef[] = [];
  const seen = new Set<string>();
  for (const p of menu.props) {
    if (seen.has(p.name)) continue;
    if (argNames.has(p.name)) {
      // The catalogue says the version has it; a version-gated pair (lte/apn `ip-type`) only chooses the typing.
      const def = menu.props.find((q) => q.name === p.name && propInVersion(q, version)) ?? p;
      // A read-only hand-written property the catalogue lists as an argument (address-list `dynamic`, script
      // `owner`) is an argument: stored when given, computed otherwise (rows.ts rowValue).
      props.push({ ...def, readOnly: false, since: undefined, until: undefined });
      seen.add(p.name);
    } else if (p.readOnly ? propInVersion(p, version) : printOnly.has(p.name)) {
      props.push({ ...p, readOnly: true });
      seen.add(p.name);
    }
    // Otherwise a hand-written argument this version's console lacks: absent, so add/set refuse it.
  }
  for (const [name, a] of args) if (!seen.has(name)) props.push(fromCatalogue(name, a));
  const names = (verb: "add" | "set"): Set<string> =>
    new Set(args.filter(([, a]) => a[verb].includes(cv)).map(([name]) => name));
  return { props, add: names("add"), set: names("set"), catalogueVersion: cv };
}

/**
 * A PropDef for an argument only the catalogue knows, typed from its `desc` where that is the console's own
 * statement (`0..4294967295`, `3s..18h12m15s (time interval)`, `A.B.C.D (IP address)`, `a|b|c[,X*]`,
 * `string value, max length 31`); anything else is stored as written. Completion values are evidence, not
 * limits (routeros-schema.md §2): they are accepted verbatim besides the desc's type (`none` for a time
 * interval), and never the only values accepted. A `no|yes` completion without desc reads `yes`/`no` as a
 * boolean (print shows booleans) and keeps any other word as written.
 */
export function fromCatalogue(name: string, a: CatalogueArg): PropDef {
  const words = (a.completion ?? []).filter((w) => w !== "!" && w !== ",");
  const def = (type: PropType): PropDef => ({ name, type, ...(words.length ? { also: words } : {}) });
  const d = a.desc ?? "";
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)\.\.(\d+)$/.exec(d))) return def({ kind: "int", min: Number(m[1]), max: Number(m[2]) });
  if ((m = /^(?:(\S+)\.\.(\S+) \()?time interval\)?$/.exec(d))) {
    return def({
      kind: "duration",
      ...(m[1] !== undefined ? { min: parseDuration(m[1]), max: parseDuration(m[2]) } : {}),
    });
  }
  if (d === "A.B.C.D (IP address)") return def({ kind: "ip", family: 4 });
  if ((m = /^([a-z0-9-]+(?:\|[a-z0-9-]+)+)\[,\w+\*\]$/.exec(d))) {
    return { name, type: { kind: "enumList", values: m[1].split("|") } };
  }
  if ((m = /^string value(?:, min length \d+)?, max length (\d+)$/.exec(d))) {
    return def({ kind: "string", max: Number(m[1]) });
  }
  if (!d && words.length === 2 && words.includes("no") && words.includes("yes")) {
    return { name, type: { kind: "custom", coerce: yesNoOrText } };
  }
  return def({ kind: "string" });
}

function yesNoOrText(text: string): Stored {
  return text === "yes" ? true : text === "no" ? false : text;
}
