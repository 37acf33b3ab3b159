/**
 * Menu verbs (routeros-cli.md §3.1): `add` returns the new id, `set/unset/remove/move/enable/disable` are
 * silent, `get` returns a value, `find` an id list, `print as-value` an array of rows. Values are checked by the
 * menu schema with the runtime error texts of §4.1.
 */
import type { MenuDef } from "./menus";
import { menuByPath, MENUS } from "./menus";
import { coerce, type PropDef, type Stored } from "./props";
import { menuExists, menuSchema } from "./schema";
import { rt } from "./errors";
import { buildRow, propsOf, rowValue, type RowOptions } from "./rows";
import type { Item, RouterState } from "./state";
import { parseIdLiteral, toText, type Value } from "./values";
import { networkOf, parsePrefix, formatIp } from "./ipaddr";

export type Where = (item: Item) => boolean;

const noSuchItem = (): Error => rt("no such item");

export class MenuCommands {
  constructor(private readonly state: RouterState) {}

  private writable(menu: MenuDef, name: string): PropDef | undefined {
    return propsOf(this.state, menu).find((p) => p.name === name && !p.readOnly);
  }

  /**
   * Item references: ids (`*1A`), id lists from `find`, or names on named menus. Console row numbers are only
   * valid after a `print` in the same login (§2.4), which exec never has → `no such item` [I].
   */
  resolve(menu: MenuDef, v: Value | undefined): Item[] {
    if (!v || v.t === "nil") throw noSuchItem();
    const items = this.state.items(menu);
    const out: Item[] = [];
    const one = (x: Value): void => {
      if (x.t === "arr") return x.v.forEach(one);
      let item: Item | undefined;
      const idv = x.t === "id" ? x.v : x.t === "str" ? parseIdLiteral(x.v) : undefined;
      if (idv !== undefined) item = items.find((i) => i.id === idv);
      else if (x.t === "str" && menu.named) item = items.find((i) => i.props.name === x.v);
      if (!item) throw noSuchItem();
      if (!out.includes(item)) out.push(item);
    };
    one(v);
    return out;
  }

  private singletonItem(menu: MenuDef): Item {
    return this.state.items(menu)[0];
  }

  /** Duplicate checks (§4.1 `failure: already have …`). */
  private checkUnique(menu: MenuDef, props: Record<string, Stored>, self?: Item): void {
    const owner = self ? this.state.ownerOf(menu, self) : menu;
    if (owner.idSpace === "interface") {
      const clash = this.state.interfaceByName(String(props.name));
      if (clash && clash !== self) throw rt("failure: already have interface with such name");
      return;
    }
    const others = this.state.items(owner).filter((i) => i !== self);
    const unique = owner.uniqueBy;
    if (unique && others.some((i) => unique.props.every((p) => i.props[p] === props[p]))) throw rt(unique.error);
    // Names are optional on some named menus (netwatch): only a given name must be unique.
    if (owner.named && props.name !== undefined && others.some((i) => i.props.name === props.name)) {
      throw rt("failure: already have such entry"); // [I] wording for names outside /interface
    }
    if (owner.path === "/ip/address" || owner.path === "/ipv6/address") {
      if (others.some((i) => i.props.address === props.address && i.props.interface === props.interface)) {
        throw rt("failure: already have such address");
      }
    }
    if (owner.path === "/interface/list/member") {
      if (others.some((i) => i.props.list === props.list && i.props.interface === props.interface)) {
        throw rt("failure: already have such entry"); // [I] wording, as for address-list duplicates
      }
    }
    if (owner.path === "/ip/firewall/address-list") {
      if (others.some((i) => i.props.list === props.list && i.props.address === props.address)) {
        throw rt("failure: already have such entry");
      }
    }
  }

  private coerceArgs(menu: MenuDef, named: [string, Value][], flags: string[]): Record<string, Stored> {
    const out: Record<string, Stored> = {};
    for (const [name, v] of named) {
      const def = this.writable(menu, name);
      if (!def) continue; // place-before and positional names are handled by the caller
      out[name] = coerce(def, v, this.state);
    }
    for (const f of flags) if (this.writable(menu, f)?.type.kind === "flag") out[f] = true;
    return out;
  }

  /** `network` follows `address` unless given (DOC-SCRIPT `/ip/address print` columns). */
  private deriveNetwork(menu: MenuDef, props: Record<string, Stored>, explicit: boolean): void {
    if (menu.path !== "/ip/address" || explicit || props.address === undefined) return;
    const pre = parsePrefix(String(props.address), 4);
    if (pre) props.network = formatIp(networkOf(pre));
  }

  add(menu: MenuDef, named: [string, Value][], flags: string[]): Value {
    const props = this.coerceArgs(menu, named, flags);
    const pb = named.find(([n]) => n === "place-before");
    const before = pb ? this.resolve(menu, pb[1])[0] : undefined;
    const missing = propsOf(this.state, menu).filter((p) => p.required && props[p.name] === undefined);
    // Not in the reference: RouterOS' text for a missing required argument over exec [I].
    if (missing.length) throw rt(`missing value(s) of argument(s) ${missing.map((p) => p.name).join(", ")}`);
    this.deriveNetwork(
      menu,
      props,
      named.some(([n]) => n === "network"),
    );
    this.checkUnique(menu, props);
    const item = this.state.insert(menu, props, {}, before);
    return { t: "id", v: item.id };
  }

  set(menu: MenuDef, target: Value | undefined, named: [string, Value][], flags: string[], unsets: string[]): void {
    const items = menu.singleton ? [this.singletonItem(menu)] : this.resolve(menu, target);
    const changes = this.coerceArgs(menu, named, flags);
    const next = items.map((item) => {
      const props = { ...item.props, ...changes };
      for (const u of unsets) delete props[u];
      this.deriveNetwork(
        menu,
        props,
        named.some(([n]) => n === "network"),
      );
      if (!menu.singleton && props.name !== undefined) this.checkUnique(menu, props, item);
      return props;
    });
    items.forEach((item, n) => {
      const oldName = item.props.name;
      item.props = next[n];
      const owner = this.state.ownerOf(menu, item);
      if (owner.idSpace === "interface" && oldName !== undefined && next[n].name !== oldName) {
        renameInterfaceRefs(this.state, String(oldName), String(next[n].name));
      }
    });
  }

  unset(menu: MenuDef, target: Value | undefined, valueName: Value | undefined): void {
    const items = menu.singleton ? [this.singletonItem(menu)] : this.resolve(menu, target);
    const name = valueName ? toText(valueName) : "";
    const def = this.writable(menu, name);
    if (!def || def.required || !menuSchema(menu, this.state.version).set.has(name)) {
      throw rt("input does not match any value of value-name");
    }
    for (const item of items) delete item.props[name];
  }

  remove(menu: MenuDef, target: Value | undefined): void {
    const items = this.resolve(menu, target);
    // The wording for removing a dynamic or built-in item is not in the reference [I].
    if (items.some((i) => i.dynamic || i.builtin)) throw rt("failure: can not remove dynamic item");
    for (const i of items) this.state.removeItem(menu, i);
  }

  enable(menu: MenuDef, target: Value | undefined, disabled: boolean): void {
    for (const i of this.resolve(menu, target)) i.props.disabled = disabled;
  }

  move(menu: MenuDef, target: Value | undefined, destination: Value | undefined): void {
    const items = this.resolve(menu, target);
    const dest = destination && destination.t !== "nil" ? this.resolve(menu, destination)[0] : undefined;
    for (const i of items) if (i !== dest) this.state.move(menu, i, dest);
  }

  /** `get` (§3.1); `value-name=.id` is refused (`input does not match any value of value-name`, §3.1). */
  get(menu: MenuDef, target: Value | undefined, valueName: Value | undefined, rowOpts: RowOptions): Value {
    let item: Item;
    if (menu.singleton) item = this.singletonItem(menu);
    else {
      const items = this.resolve(menu, target);
      if (items.length !== 1) throw noSuchItem(); // [I] a multi-item get
      item = items[0];
    }
    if (!valueName || valueName.t === "nil") return buildRow(this.state, menu, item, { ...rowOpts, detail: true });
    const name = toText(valueName);
    if (!propsOf(this.state, menu).some((p) => p.name === name))
      throw rt("input does not match any value of value-name");
    return rowValue(this.state, menu, item, name) ?? { t: "nil" };
  }

  find(menu: MenuDef, where: Where): Value {
    return {
      t: "arr",
      v: this.state
        .items(menu)
        .filter(where)
        .map((i) => ({ t: "id", v: i.id }) as Value),
    };
  }

  rows(menu: MenuDef, where: Where, rowOpts: RowOptions, proplist?: string[]): Value[] {
    return this.state
      .items(menu)
      .filter(where)
      .map((i) => {
        const row = buildRow(this.state, menu, i, rowOpts);
        if (proplist && row.t === "map") row.v = row.v.filter(([k]) => k === ".id" || proplist.includes(k));
        return row;
      });
  }
}

/** RouterOS keeps references to objects, so renaming an interface renames it everywhere it is used. */
function renameInterfaceRefs(state: RouterState, from: string, to: string): void {
  for (const m of MENUS) {
    if (m.viewOf || m.singleton || !menuExists(m, state.version)) continue;
    const menu = menuByPath(m.path)!;
    for (const def of menuSchema(m, state.version).props) {
      for (const item of state.items(menu)) {
        const v = item.props[def.name];
        if (v === undefined) continue;
        if (def.type.kind === "interface" && typeof v === "string") {
          if (v === from) item.props[def.name] = to;
          else if (v === `!${from}`) item.props[def.name] = `!${to}`;
        } else if (def.type.kind === "gateway" && Array.isArray(v)) {
          item.props[def.name] = v.map((g) =>
            g === from ? to : g.endsWith(`%${from}`) ? `${g.slice(0, -from.length)}${to}` : g,
          );
        }
      }
    }
  }
}
