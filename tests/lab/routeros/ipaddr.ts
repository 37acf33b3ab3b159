/**
 * Minimal IPv4/IPv6 address and prefix handling for argument validation (routeros-cli.md §5.1 dst-address,
 * gateway; §5.6 src/dst-address) and the `in` operator of where-expressions (§3.2).
 */

export interface Ip {
  family: 4 | 6;
  value: bigint;
}

export function parseIpv4(text: string): Ip | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return { family: 4, value: v };
}

export function parseIpv6(text: string): Ip | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(":")) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    const parts = s.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let v = 0n;
  for (const g of all) v = (v << 16n) | BigInt(g);
  return { family: 6, value: v };
}

export function parseIp(text: string, family?: 4 | 6): Ip | undefined {
  const ip = parseIpv4(text) ?? parseIpv6(text);
  return ip && (family === undefined || ip.family === family) ? ip : undefined;
}

export function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 255n)).join(".");
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (>= 2) of zero groups, leftmost on ties.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

export interface Prefix {
  ip: Ip;
  length: number;
}

const bits = (f: 4 | 6): number => (f === 4 ? 32 : 128);

/** `a.b.c.d[/len]`; a missing length means a host prefix. */
export function parsePrefix(text: string, family?: 4 | 6): Prefix | undefined {
  const slash = text.indexOf("/");
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash), family);
  if (!ip) return undefined;
  if (slash < 0) return { ip, length: bits(ip.family) };
  const len = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(len) || Number(len) > bits(ip.family)) return undefined;
  return { ip, length: Number(len) };
}

export function networkOf(p: Prefix): Ip {
  const total = BigInt(bits(p.ip.family));
  const hostBits = total - BigInt(p.length);
  const mask = ((1n << total) - 1n) ^ ((1n << hostBits) - 1n);
  return { family: p.ip.family, value: p.ip.value & mask };
}

export function formatPrefix(p: Prefix): string {
  return `${formatIp(p.ip)}/${p.length}`;
}

/** Whether `inner` (address or prefix) lies within `outer`. */
export function prefixContains(outer: Prefix, inner: Prefix): boolean {
  if (outer.ip.family !== inner.ip.family || inner.length < outer.length) return false;
  return networkOf(outer).value === networkOf({ ip: inner.ip, length: outer.length }).value;
}
