/**
 * The router's configuration: items per menu with ids that are never reused (routeros-cli.md §2.4: `*hex`,
 * "removing and re-adding an item gives a new ID"), dynamic connected routes derived from addresses, computed
 * read-only properties, renumbering as after a reboot, and the dump used for "what is left" comparisons.
 */
import { formatIp, formatPrefix, networkOf, parseIp, parsePrefix, prefixContains, type Prefix } from "./ipaddr";
import { MENUS, menuByPath, type MenuDef } from "./menus";
import type { Lookup, Stored } from "./props";
import { formatId } from "./values";

export interface Item {
  id: number;
  props: Record<string, Stored>;
  /** Fixed read-only values (an ethernet's default-name, a connected route's local-address). */
  fixed?: Record<string, Stored>;
  /** Created by the router itself (connected routes); not ours, never dumped. */
  dynamic?: boolean;
  /** Built in (`main` routing table, `default` BGP template); not removable, never dumped. */
  builtin?: boolean;
  /** For a connected route: `<address menu>:<address id>`. */
  origin?: string;
}

export const FULL_VERSIONS: Record<string, string> = {
  "7.16": "7.16.2",
  "7.19": "7.19.6",
  "7.20": "7.20.8",
  "7.23": "7.23.1",
};

export class RouterState implements Lookup {
  private readonly lists = new Map<string, Item[]>();
  private readonly counters = new Map<string, number>();
  private readonly startedAt = Date.now();
  /** The device clock (ms since the epoch): `/system/clock` and the scheduler read it (cli.ts sets it). */
  now: () => number = Date.now;

  constructor(readonly version: string) {
    for (const m of MENUS) {
      if (m.viewOf) continue;
      this.lists.set(m.path, m.singleton ? [{ id: 0, props: {} }] : []);
    }
  }

  get fullVersion(): string {
    return `${FULL_VERSIONS[this.version]} (stable)`;
  }

  /** Items of a menu in print order; a view (`/interface`) lists its members by id. */
  items(menu: MenuDef): Item[] {
    if (menu.viewOf) return menu.viewOf.flatMap((p) => this.lists.get(p) ?? []).sort((a, b) => a.id - b.id);
    return this.lists.get(menu.path)!;
  }

  /** The concrete menu holding an item (differs from `menu` only for views). */
  ownerOf(menu: MenuDef, item: Item): MenuDef {
    if (!menu.viewOf) return menu;
    const path = menu.viewOf.find((p) => this.lists.get(p)!.includes(item))!;
    return menuByPath(path)!;
  }

  newId(space: string): number {
    const n = this.counters.get(space) ?? 1;
    this.counters.set(space, n + 1);
    return n;
  }

  insert(menu: MenuDef, props: Record<string, Stored>, extra: Partial<Item> = {}, before?: Item): Item {
    const item: Item = { id: this.newId(menu.idSpace), props, ...extra };
    const list = this.lists.get(menu.path)!;
    const at = before ? list.indexOf(before) : -1;
    if (at >= 0) list.splice(at, 0, item);
    else list.push(item);
    return item;
  }

  removeItem(menu: MenuDef, item: Item): void {
    const owner = this.ownerOf(menu, item);
    const list = this.lists.get(owner.path)!;
    list.splice(list.indexOf(item), 1);
  }

  /** Move `item` before `dest` (or to the end) in an ordered menu (§3.1 `move`). */
  move(menu: MenuDef, item: Item, dest?: Item): void {
    const list = this.lists.get(menu.path)!;
    list.splice(list.indexOf(item), 1);
    const at = dest ? list.indexOf(dest) : -1;
    if (at >= 0) list.splice(at, 0, item);
    else list.push(item);
  }

  // ---- lookups --------------------------------------------------------------------------------------------

  private interfaceMenu(): MenuDef {
    return menuByPath("/interface")!;
  }

  interfaceByName(name: string): Item | undefined {
    return this.items(this.interfaceMenu()).find((i) => i.props.name === name);
  }

  interfaceExists(name: string): boolean {
    return this.interfaceByName(name) !== undefined;
  }

  nameExists(menuPath: string, name: string): boolean {
    const menu = menuByPath(menuPath);
    return !!menu && this.lists.has(menuPath) && this.items(menu).some((i) => i.props.name === name);
  }

  // ---- derived state --------------------------------------------------------------------------------------

  /** Keep one dynamic connected route per enabled address on an existing, enabled interface (DOC-ROUTING). */
  syncDynamic(): void {
    for (const [addrPath, routePath] of [
      ["/ip/address", "/ip/route"],
      ["/ipv6/address", "/ipv6/route"],
    ] as const) {
      const want = new Map<string, { dst: string; iface: string; local: string }>();
      for (const a of this.lists.get(addrPath)!) {
        const iface = String(a.props.interface ?? "");
        const ifItem = this.interfaceByName(iface);
        const pre = parsePrefix(String(a.props.address ?? ""));
        if (a.props.disabled === true || !ifItem || ifItem.props.disabled === true || !pre) continue;
        want.set(`${addrPath}:${a.id}`, {
          dst: formatPrefix({ ip: networkOf(pre), length: pre.length }),
          iface,
          local: `${formatIp(pre.ip)}%${iface}`,
        });
      }
      const routes = this.lists.get(routePath)!;
      for (let i = routes.length - 1; i >= 0; i--) {
        const r = routes[i];
        if (r.origin && !want.has(r.origin)) routes.splice(i, 1);
      }
      const menu = menuByPath(routePath)!;
      for (const [origin, w] of want) {
        const props: Record<string, Stored> = {
          "dst-address": w.dst,
          gateway: [w.iface],
          distance: 0,
          scope: 10,
          "target-scope": 0,
          "routing-table": "main",
        };
        const existing = routes.find((r) => r.origin === origin);
        if (existing) {
          existing.props = props;
          existing.fixed = { "local-address": w.local };
        } else this.insert(menu, props, { dynamic: true, origin, fixed: { "local-address": w.local } });
      }
    }
  }

  /** Whether a route resolves: interface gateways must exist; IP gateways must fall in a route whose scope is
   *  at most this route's target-scope (§5.1 recursive next hops). check-gateway probes are assumed to succeed:
   *  the lab forwards no packets. */
  private resolveRoute(route: Item, family: 4 | 6, depth: number): string | undefined {
    if (depth > 8 || route.props.disabled === true) return undefined;
    if (route.props.blackhole === true) return "";
    const table = String(route.props["routing-table"] ?? "main");
    if (!this.nameExists("/routing/table", table)) return undefined;
    const gws = (route.props.gateway as string[] | undefined) ?? [];
    const targetScope = Number(route.props["target-scope"] ?? 10);
    for (const g of gws) {
      const pct = g.indexOf("%");
      if (pct > 0) {
        if (this.interfaceUp(g.slice(pct + 1))) return g;
        continue;
      }
      const ipText = g.includes("@") ? g.slice(0, g.indexOf("@")) : g;
      const ip = parseIp(ipText);
      if (!ip) {
        if (this.interfaceUp(g)) return g;
        continue;
      }
      const host: Prefix = { ip, length: ip.family === 4 ? 32 : 128 };
      const routes = this.lists.get(family === 4 ? "/ip/route" : "/ipv6/route")!;
      let best: { r: Item; len: number } | undefined;
      for (const r of routes) {
        if (r === route || String(r.props["routing-table"] ?? "main") !== table) continue;
        const dst = parsePrefix(String(r.props["dst-address"] ?? (family === 4 ? "0.0.0.0/0" : "::/0")));
        if (!dst || !prefixContains(dst, host)) continue;
        if (Number(r.props.scope ?? 30) > targetScope) continue;
        if (!best || dst.length > best.len) best = { r, len: dst.length };
      }
      if (!best) continue;
      if (best.r.dynamic) return `${ipText}%${(best.r.props.gateway as string[])[0]}`;
      const via = this.resolveRoute(best.r, family, depth + 1);
      if (via !== undefined) return via === "" ? undefined : via;
    }
    return undefined;
  }

  private interfaceUp(name: string): boolean {
    const i = this.interfaceByName(name);
    return !!i && i.props.disabled !== true;
  }

  /** Read-only properties of an item as `print detail` shows them. */
  computed(menu: MenuDef, item: Item): Record<string, Stored> {
    const out: Record<string, Stored> = { ...(item.fixed ?? {}) };
    const owner = this.ownerOf(menu, item);
    switch (owner.path) {
      case "/ip/route":
      case "/ipv6/route": {
        const via = this.resolveRoute(item, owner.path === "/ip/route" ? 4 : 6, 0);
        const active = via !== undefined;
        Object.assign(out, {
          active,
          inactive: !active,
          dynamic: !!item.dynamic,
          static: !item.dynamic,
          connect: !!item.dynamic,
          ecmp: false,
          "hw-offloaded": false,
        });
        if (via) out["immediate-gw"] = via;
        break;
      }
      case "/interface/ethernet":
      case "/interface/bridge":
      case "/interface/vlan":
      case "/interface/pppoe-client":
      case "/interface/l2tp-client":
        // The lab has no links; every enabled interface counts as running [I: lab assumption].
        out.running = item.props.disabled !== true;
        break;
      case "/ip/address":
      case "/ipv6/address":
        out["actual-interface"] = String(item.props.interface ?? "");
        out.dynamic = false;
        out.invalid = !this.interfaceExists(String(item.props.interface ?? ""));
        if (owner.path === "/ipv6/address") out["link-local"] = String(item.props.address ?? "").startsWith("fe80:");
        break;
      case "/ip/firewall/nat":
      case "/ip/firewall/filter":
      case "/ip/firewall/mangle":
      case "/ipv6/firewall/filter":
      case "/ipv6/firewall/mangle":
        Object.assign(out, { dynamic: false, invalid: false, bytes: 0, packets: 0 });
        break;
      case "/ip/firewall/address-list":
        out.dynamic = item.props.timeout !== undefined;
        break;
      case "/routing/table":
        out.dynamic = !!item.builtin;
        out.invalid = false;
        break;
      case "/routing/rule":
        // A rule naming a table that no longer exists is invalid [I: flag `I` of the routing legends, §2.4].
        out.invalid = [item.props.table, item.props["routing-mark"]].some(
          (t) => t !== undefined && !this.nameExists("/routing/table", String(t)),
        );
        break;
      case "/tool/netwatch":
        // The lab forwards no packets; every enabled check reports up [I: lab assumption].
        out.status = item.props.disabled === true ? "unknown" : "up";
        break;
      case "/interface/lte/apn":
        out.default = !!item.builtin;
        break;
      case "/ppp/profile":
        out.default = !!item.builtin;
        break;
      case "/interface/list":
        out.builtin = !!item.builtin;
        out.dynamic = false;
        break;
      case "/interface/list/member":
        out.dynamic = false;
        break;
      case "/system/clock": {
        // 7.10+ prints the date as YYYY-MM-DD [I]; the lab's device clock is UTC.
        const at = new Date(this.now()).toISOString();
        Object.assign(out, {
          date: at.slice(0, 10),
          time: at.slice(11, 19),
          "time-zone-name": "UTC",
          "gmt-offset": "+00:00",
        });
        break;
      }
      case "/system/resource":
        Object.assign(out, {
          uptime: Math.floor((Date.now() - this.startedAt) / 1000),
          version: this.fullVersion,
          "build-time": "2026-01-01 00:00:00",
          "factory-software": "7.1",
          "free-memory": "224.5MiB",
          "total-memory": "256.0MiB",
          cpu: "QEMU",
          "cpu-count": "1",
          "cpu-frequency": "2400MHz",
          "cpu-load": "1%",
          "free-hdd-space": "80.3MiB",
          "total-hdd-space": "89.2MiB",
          "architecture-name": "x86_64",
          "board-name": "CHR",
          platform: "MikroTik",
        });
        break;
    }
    if (owner.compute) Object.assign(out, owner.compute(item));
    if (menu.viewOf) {
      out.type = owner.interfaceType ?? "unknown";
      out.dynamic = false;
      out.slave = false;
      out.running = item.props.disabled !== true;
    }
    return out;
  }

  // ---- lab controls ---------------------------------------------------------------------------------------

  /** Reassign every `.id` as after a reboot: per id space, static items in menu order first, then dynamic. */
  renumber(): void {
    const spaces = new Map<string, { stat: Item[]; dyn: Item[] }>();
    for (const m of MENUS) {
      if (m.viewOf || m.singleton) continue;
      const bucket = spaces.get(m.idSpace) ?? { stat: [], dyn: [] };
      spaces.set(m.idSpace, bucket);
      for (const it of this.lists.get(m.path)!) (it.dynamic || it.builtin ? bucket.dyn : bucket.stat).push(it);
    }
    for (const [space, { stat, dyn }] of spaces) {
      let n = 1;
      for (const it of [...stat, ...dyn]) it.id = n++;
      this.counters.set(space, n);
    }
  }

  /**
   * Static configuration of every menu as plain JSON (no counters, no derived state): items sorted by id, except
   * in ordered menus (firewall, routing rules), which keep list order so that a `move` shows in a dump diff.
   */
  dump(): Record<string, unknown[]> {
    const out: Record<string, unknown[]> = {};
    for (const m of [...MENUS].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      if (m.viewOf || m.volatile) continue;
      const items = this.lists.get(m.path)!.filter((i) => !i.dynamic && !i.builtin);
      if (!m.ordered) items.sort((a, b) => a.id - b.id);
      out[m.path] = items.map((i) => {
        const row: Record<string, unknown> = m.singleton ? {} : { ".id": formatId(i.id) };
        for (const k of Object.keys(i.props).sort()) {
          const v = i.props[k];
          row[k] = Array.isArray(v) ? [...v] : v;
        }
        return row;
      });
    }
    return out;
  }
}
