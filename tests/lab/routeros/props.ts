/**
 * Property types of menu items and how an argument value becomes a stored value, with the runtime error texts of
 * routeros-cli.md §4.1: `input does not match any value of <prop>` (enum or reference not found),
 * `invalid value for argument <prop>` (type/format), `value of <prop> contains invalid trailing characters`
 * (bad number). Which text RouterOS picks for each type is partly [I]; the choices are noted per type.
 */
import { parseDuration } from "./durations";
import { formatIp, formatPrefix, networkOf, parseIp, parsePrefix } from "./ipaddr";
import { rt } from "./errors";
import { toText, type Value } from "./values";

/** A stored property value. Durations are seconds (number); `infinity` stays a string so dumps are JSON. */
export type Stored = string | number | boolean | string[];

export type PropType =
  | { kind: "string"; max?: number }
  | { kind: "int"; min: number; max: number }
  | { kind: "bool" }
  /** Presence flag: a bare word on add/set (`fib`, `blackhole`), `!name` clears it (§3.1). */
  | { kind: "flag" }
  | { kind: "enum"; values: string[] }
  | { kind: "enumList"; values: string[] }
  | { kind: "duration"; min?: number; max?: number; infinity?: boolean }
  | { kind: "ip"; family?: 4 | 6 }
  /** Route/rule destination: normalised to the network address, `/32` or `/128` added when missing [I]. Any
   *  family when `family` is left out (`/routing/rule`). */
  | { kind: "dst"; family?: 4 | 6 }
  /** An interface address `ip/len`, host bits kept. */
  | { kind: "ifaddr"; family: 4 | 6 }
  /** Firewall address matcher: address, prefix or range, optional `!` (§5.6); of one family when given. */
  | { kind: "addrMatch"; family?: 4 | 6 }
  /** `IP | interface | IP%interface | IP@table`, comma list = ECMP (§5.1). */
  | { kind: "gateway"; family: 4 | 6 }
  | { kind: "interface"; negatable?: boolean }
  | { kind: "ref"; menu: string; builtins?: string[] }
  | { kind: "refList"; menu: string }
  /** Ports `80`, `80-90`, `80,443`, optional `!`. */
  | { kind: "ports" }
  /** IP address or a /routing/id name (`main`) for router-id (§5.4) [I: names other than `main` refused]. */
  | { kind: "routerId" }
  | { kind: "protocol" }
  /** A percentage `85`, `85%` or `85.5%`, 0..100 (netwatch `thr-loss-percent 85%`, §5.8) [I: accepted forms]. */
  | { kind: "percent" }
  /** A type defined by one menu file (menus-vpn.ts: key lists, prefix lists); throws the RouterOS runtime error. */
  | { kind: "custom"; coerce: (text: string, prop: string) => Stored };

export interface PropDef {
  name: string;
  type: PropType;
  /** Shown by `print detail` / `as-value` while unset (§5.1 defaults). */
  default?: Stored;
  /** Computed by the emulator, not an argument of add/set. */
  readOnly?: boolean;
  sensitive?: boolean;
  required?: boolean;
  /** First version with the property (inclusive), e.g. "7.20". */
  since?: string;
  /** First version without the property, e.g. "7.20" for connection `router-id` (§5.4). */
  until?: string;
  /** Words accepted verbatim besides the type (catalogue completion values such as `none` for a time interval;
   *  schema.ts fromCatalogue). */
  also?: string[];
  /** Listed in `print as-value` without `detail` (§2.2: only the summary columns come back). */
  summary?: boolean;
}

/** What coercion needs to know about the rest of the configuration. */
export interface Lookup {
  interfaceExists(name: string): boolean;
  nameExists(menuPath: string, name: string): boolean;
}

export function versionAtLeast(version: string, floor: string): boolean {
  const [a1, a2] = version.split(".").map(Number);
  const [b1, b2] = floor.split(".").map(Number);
  return a1 !== b1 ? a1 > b1 : a2 >= b2;
}

export function propInVersion(p: { since?: string; until?: string }, version: string): boolean {
  if (p.since && !versionAtLeast(version, p.since)) return false;
  if (p.until && versionAtLeast(version, p.until)) return false;
  return true;
}

const PROTOCOLS = [
  "dccp",
  "ddp",
  "egp",
  "encap",
  "etherip",
  "ggp",
  "gre",
  "hmp",
  "icmp",
  "icmpv6",
  "idpr-cmtp",
  "igmp",
  "ipencap",
  "ipip",
  "ipsec-ah",
  "ipsec-esp",
  "ipv6-encap",
  "ipv6-frag",
  "ipv6-icmp",
  "ipv6-nonxt",
  "ipv6-opts",
  "ipv6-route",
  "iso-tp4",
  "l2tp",
  "ospf",
  "pim",
  "pup",
  "rdp",
  "rspf",
  "rsvp",
  "sctp",
  "st",
  "tcp",
  "udp",
  "udp-lite",
  "vmtp",
  "vrrp",
  "xns-idp",
  "xtp",
];

function invalid(prop: string): Error {
  return rt(`invalid value for argument ${prop}`);
}
function noMatch(prop: string): Error {
  return rt(`input does not match any value of ${prop}`);
}

function parseInteger(prop: string, text: string, min: number, max: number): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    // Out-of-range wording is not in the reference; "invalid value" is the documented type/format error [I].
    if (n < min || n > max) throw invalid(prop);
    return n;
  }
  if (/^\d+\D/.test(text)) throw rt(`value of ${prop} contains invalid trailing characters`);
  throw invalid(prop);
}

function isAddrMatch(text: string, family?: 4 | 6): boolean {
  const t = text.startsWith("!") ? text.slice(1) : text;
  const dash = t.indexOf("-");
  if (dash > 0 && !t.includes("/")) return !!parseIp(t.slice(0, dash), family) && !!parseIp(t.slice(dash + 1), family);
  return !!parsePrefix(t, family);
}

/** Convert an argument value to what the item stores; throws the RouterOS runtime error on a bad value. */
export function coerce(p: PropDef, value: Value, lookup: Lookup): Stored {
  const text = toText(value, {}, true);
  if (p.also?.includes(text)) return text;
  const t = p.type;
  switch (t.kind) {
    case "string":
      if (t.max !== undefined && Buffer.byteLength(text) > t.max) throw invalid(p.name); // [I] wording
      return text;
    case "int":
      return parseInteger(p.name, text, t.min, t.max);
    case "bool":
      if (text === "yes" || text === "true") return true;
      if (text === "no" || text === "false") return false;
      throw noMatch(p.name); // yes|no is completed like an enum [I]
    case "flag":
      return true;
    case "enum":
      if (!t.values.includes(text)) throw noMatch(p.name);
      return text;
    case "enumList": {
      const parts = text === "" ? [] : text.split(",");
      for (const x of parts) if (!t.values.includes(x)) throw noMatch(p.name);
      return parts;
    }
    case "duration": {
      if (t.infinity && text === "infinity") return "infinity";
      const s = parseDuration(text);
      if (s === undefined) throw invalid(p.name);
      if ((t.min !== undefined && s < t.min) || (t.max !== undefined && s > t.max)) throw invalid(p.name);
      return s;
    }
    case "ip": {
      const ip = parseIp(text, t.family);
      if (!ip) throw invalid(p.name);
      return formatIp(ip);
    }
    case "dst": {
      const pre = parsePrefix(text, t.family);
      if (!pre) throw invalid(p.name);
      return formatPrefix({ ip: networkOf(pre), length: pre.length });
    }
    case "ifaddr": {
      const pre = parsePrefix(text, t.family);
      if (!pre) throw invalid(p.name);
      return formatPrefix(pre);
    }
    case "addrMatch":
      if (!isAddrMatch(text, t.family)) throw invalid(p.name); // [I] wording for the wrong family
      return text;
    case "gateway": {
      const parts = text.split(",");
      const out: string[] = [];
      for (const g of parts) {
        const pct = g.indexOf("%");
        const at = g.indexOf("@");
        if (pct > 0) {
          const ip = parseIp(g.slice(0, pct), t.family);
          if (!ip) throw invalid(p.name);
          if (!lookup.interfaceExists(g.slice(pct + 1))) throw noMatch(p.name); // [I] wording
          out.push(`${formatIp(ip)}%${g.slice(pct + 1)}`);
        } else if (at > 0) {
          const ip = parseIp(g.slice(0, at), t.family);
          if (!ip) throw invalid(p.name);
          if (!lookup.nameExists("/routing/table", g.slice(at + 1))) throw noMatch(p.name);
          out.push(`${formatIp(ip)}@${g.slice(at + 1)}`);
        } else {
          const ip = parseIp(g);
          if (ip) {
            if (ip.family !== t.family) throw invalid(p.name);
            out.push(formatIp(ip));
          } else if (lookup.interfaceExists(g)) {
            out.push(g);
          } else {
            throw noMatch(p.name); // [I] wording for an unknown gateway name
          }
        }
      }
      return out;
    }
    case "interface": {
      const name = t.negatable && text.startsWith("!") ? text.slice(1) : text;
      if (!lookup.interfaceExists(name)) throw noMatch(p.name);
      return text;
    }
    case "ref":
      if (!(t.builtins ?? []).includes(text) && !lookup.nameExists(t.menu, text)) throw noMatch(p.name);
      return text;
    case "refList": {
      const parts = text === "" ? [] : text.split(",");
      for (const x of parts) if (!lookup.nameExists(t.menu, x)) throw noMatch(p.name);
      return parts;
    }
    case "ports": {
      const tt = text.startsWith("!") ? text.slice(1) : text;
      for (const part of tt.split(",")) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(part);
        if (!m || Number(m[1]) > 65535 || (m[2] !== undefined && Number(m[2]) > 65535)) throw invalid(p.name);
      }
      return text;
    }
    case "routerId": {
      const ip = parseIp(text, 4);
      if (ip) return formatIp(ip);
      if (text === "main") return text;
      throw noMatch(p.name);
    }
    case "percent": {
      const m = /^(\d+(?:\.\d+)?)%?$/.exec(text);
      if (!m) throw invalid(p.name);
      if (Number(m[1]) > 100) throw invalid(p.name);
      return Number(m[1]);
    }
    case "custom":
      return t.coerce(text, p.name);
    case "protocol": {
      const tt = text.startsWith("!") ? text.slice(1) : text;
      if (PROTOCOLS.includes(tt)) return text;
      if (/^\d+$/.test(tt) && Number(tt) <= 255) return text;
      throw noMatch(p.name);
    }
  }
}

/** The typed script value of a stored property, as `get` and `print as-value` return it (§2.2, §2.3). */
export function storedToValue(p: PropDef, v: Stored): Value {
  if (Array.isArray(v)) {
    // A one-element list comes back as a plain string, two or more as an array [I — §9 item 4].
    return v.length === 1 ? { t: "str", v: v[0] } : { t: "arr", v: v.map((x) => ({ t: "str", v: x }) as Value) };
  }
  if (typeof v === "boolean") return { t: "bool", v };
  if (typeof v === "number") {
    if (p.type.kind === "duration") return { t: "time", v };
    return { t: "num", v };
  }
  return { t: "str", v };
}
