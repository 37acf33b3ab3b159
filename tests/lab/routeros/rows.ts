/**
 * Rows as `get` and `print … as-value` return them (routeros-cli.md §2.2, §2.4, T5, T6): `.id` plus properties,
 * keys sorted, defaults shown while unset, read-only flags as booleans, unset properties missing (or `nil` in the
 * nullForUnset variation, §2.3 "unset properties picked from a row as null" [V third party]).
 */
import type { MenuDef } from "./menus";
import { storedToValue, versionAtLeast, type PropDef } from "./props";
import { menuSchema } from "./schema";
import type { Item, RouterState } from "./state";
import { mapOf, NIL, type Value } from "./values";

export interface RowOptions {
  detail: boolean;
  showSensitive: boolean;
  nullForUnset: boolean;
  /** secretsMaskedAsText variation: a masked secret shows as `*****` instead of being left out. */
  maskedAsText?: boolean;
}

/** What a masked secret reads as in the secretsMaskedAsText variation [I: the mask's exact text is unverified]. */
export const MASK = "*****";

/** The menu's properties on the state's version (schema.ts: names from RouterOS's catalogue). */
export function propsOf(state: RouterState, menu: MenuDef): PropDef[] {
  return menuSchema(menu, state.version).props;
}

/** One property of a row; undefined when unset and without default. */
export function rowValue(state: RouterState, menu: MenuDef, item: Item, name: string): Value | undefined {
  if (name === ".id") return menu.singleton ? undefined : { t: "id", v: item.id };
  const def = propsOf(state, menu).find((p) => p.name === name);
  if (!def) return undefined;
  if (def.readOnly) {
    // Computed, or set by RouterOS itself when it made the item (a shipped service's `name`).
    const c = state.computed(menu, item)[name] ?? item.fixed?.[name] ?? item.props[name];
    return c === undefined ? undefined : storedToValue(def, c);
  }
  // A writable property the item was made with (an ethernet port's own `mac-address`) shows until one is set.
  const v = item.props[name] ?? item.fixed?.[name];
  if (v !== undefined) return storedToValue(def, v);
  // An argument that is computed while not given (address-list `dynamic`, schema.ts).
  const c = state.computed(menu, item)[name];
  if (c !== undefined) return storedToValue(def, c);
  if (def.default !== undefined) return storedToValue(def, def.default);
  return undefined;
}

/** Secrets are masked in print from 7.21 unless `show-sensitive` (§0 item 10) [I: masked by omission]. */
function masked(state: RouterState, def: PropDef, opts: RowOptions): boolean {
  return !!def.sensitive && versionAtLeast(state.version, "7.21") && !opts.showSensitive;
}

export function buildRow(state: RouterState, menu: MenuDef, item: Item, opts: RowOptions): Value {
  const entries: [string, Value][] = [];
  if (!menu.singleton) entries.push([".id", { t: "id", v: item.id }]);
  for (const def of propsOf(state, menu)) {
    if (!opts.detail && !def.summary) continue;
    if (masked(state, def, opts)) {
      if (opts.maskedAsText && rowValue(state, menu, item, def.name) !== undefined)
        entries.push([def.name, { t: "str", v: MASK }]);
      continue;
    }
    const v = rowValue(state, menu, item, def.name);
    if (v !== undefined) entries.push([def.name, v]);
    else if (opts.nullForUnset && !def.readOnly) entries.push([def.name, NIL]);
  }
  return mapOf(entries);
}
