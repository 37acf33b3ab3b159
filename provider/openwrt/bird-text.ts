/**
 * BIRD2 configuration text for the main file and the per-protocol files. Every user value goes through the
 * codec (birdSymbol, birdString) or has been validated as an address/prefix/number by the kind's schema.
 * Syntax follows the BIRD 2.0 user's guide: https://bird.network.cz/?get_doc&v=20&f=bird-3.html (config),
 * bird-6.html (protocols). Whether every combination is accepted is checked on the device by `bird -p`
 * before anything is loaded (bird.ts); the lab runs real BIRD 2.0.12.
 */
import { birdString, birdSymbol, CodecError } from "./codec";

/** Kernel protocol export choice: everything, nothing, or everything except unreachable/blackhole/prohibit routes. */
export type KernelExport = "all" | "none" | "reachable";

export interface KernelChannelSpec {
  import: "all" | "none";
  export: KernelExport;
}

export interface BirdMainSpec {
  /** IPv4 router id. */
  routerId: string;
  /** `protocol device` scan time, seconds. */
  deviceScanTime: number;
  kernel: {
    ipv4: KernelChannelSpec;
    ipv6: KernelChannelSpec;
    /** `learn`: import routes added to the kernel by others. */
    learn: boolean;
    /** `persist`: keep routes in the kernel when BIRD exits. */
    persist: boolean;
    /** Kernel scan time, seconds. */
    scanTime?: number;
  };
  /** Directory included as `<dir>/*.conf`. */
  includeDir: string;
}

export interface BgpChannelSpec {
  import: "all" | "none";
  export: "all" | "none";
  /** Typed filter: set the BGP next hop of exported routes to this address (e.g. IPv6 routes over an IPv4 session). */
  exportNextHop?: string;
  /** Escape hatch: the body of `export filter { … }`, verbatim. Exclusive with `exportNextHop`. */
  rawExportFilter?: string;
  /** `next hop self`. */
  nextHopSelf?: boolean;
  /** `extended next hop` (RFC 8950; IPv4 routes with IPv6 next hops). */
  extendedNextHop?: boolean;
  /**
   * Protocols whose routes are announced even while not best: the channel gets its own table fed by a pipe from the
   * master table that prefers these protocols' routes (see renderBgp).
   */
  standby?: string[];
}

export interface BgpSpec {
  name: string;
  localAs: number;
  localAddress?: string;
  neighborAddress: string;
  neighborAs: number;
  interface?: string;
  sourceAddress?: string;
  /** Seconds. */
  holdTime?: number;
  /** Seconds. */
  keepaliveTime?: number;
  bfd: boolean;
  /** BFD interval (min rx = min tx), milliseconds. */
  bfdIntervalMs?: number;
  /** BFD detection multiplier. */
  bfdMultiplier?: number;
  /** `direct` (neighbor on a connected network) vs `multihop`. Default: BIRD's (direct for eBGP, multihop for iBGP). */
  direct?: boolean;
  ipv4?: BgpChannelSpec;
  ipv6?: BgpChannelSpec;
}

/** A static route: to an interface, to a gateway address, or one of BIRD's special destinations. */
export interface StaticRouteSpec {
  prefix: string;
  interface?: string;
  gateway?: string;
  special?: "blackhole" | "unreachable" | "prohibit";
}

export interface StaticSpec {
  name: string;
  channel: "ipv4" | "ipv6";
  preference?: number;
  routes: StaticRouteSpec[];
}

export interface DirectSpec {
  name: string;
  interfaces: string[];
  ipv4: boolean;
  ipv6: boolean;
}

/** First line of every managed file: who owns it. */
export function managedHeader(identity: string): string {
  return `# Managed by routerstack (${identity.replace(/[^\x20-\x7e]/g, "?")}); local edits show as drift and are overwritten.\n`;
}

function kernelProtocol(name: string, channel: "ipv4" | "ipv6", spec: KernelChannelSpec, main: BirdMainSpec): string {
  const exp =
    spec.export === "reachable"
      ? "export filter {\n\t\tif dest = RTD_UNREACHABLE || dest = RTD_BLACKHOLE || dest = RTD_PROHIBIT then reject;\n\t\taccept;\n\t};"
      : `export ${spec.export};`;
  const lines = [
    `protocol kernel ${name} {`,
    `\t${channel} {`,
    `\t\timport ${spec.import};`,
    `\t\t${exp.replace(/\n/g, "\n\t")}`,
    "\t};",
  ];
  if (main.kernel.learn) lines.push("\tlearn;");
  if (main.kernel.persist) lines.push("\tpersist;");
  if (main.kernel.scanTime !== undefined) lines.push(`\tscan time ${int(main.kernel.scanTime, "kernel.scanTime")};`);
  lines.push("}");
  return lines.join("\n");
}

/** `/etc/bird.conf`: router id, `protocol device`, two `protocol kernel` (ipv4, ipv6), include of the protocol dir. */
export function renderBirdMain(spec: BirdMainSpec, identity: string): string {
  return (
    [
      managedHeader(identity) + `router id ${spec.routerId};`,
      `protocol device {\n\tscan time ${int(spec.deviceScanTime, "deviceScanTime")};\n}`,
      kernelProtocol("kernel4", "ipv4", spec.kernel.ipv4, spec),
      kernelProtocol("kernel6", "ipv6", spec.kernel.ipv6, spec),
      `include ${birdString(`${spec.includeDir}/*.conf`, "includeDir")};`,
    ].join("\n\n") + "\n"
  );
}

/** Preference the standby protocols' routes get in the session's own table (above every BIRD default). */
export const STANDBY_PREFERENCE = 65535;

/** Names derived from the session name for the standby table and pipe, per family. */
export function standbyNames(
  session: string,
  channel: "ipv4" | "ipv6",
): { table: string; pipe: string; master: string } {
  const n = channel === "ipv4" ? "4" : "6";
  return { table: `${session}_out${n}`, pipe: `${session}_pipe${n}`, master: `master${n}` };
}

/**
 * The standby table and the pipe that feeds it: every route of the master table (a pipe passes all routes, not only
 * the best), the standby protocols' ones at STANDBY_PREFERENCE so BGP exports them; and the neighbor's routes,
 * imported into the session table, go back to the master table unchanged.
 */
function standbyPipe(session: string, channel: "ipv4" | "ipv6", protocols: string[]): string {
  const { table, pipe, master } = standbyNames(session, channel);
  const names = protocols
    .map((p, k) => `proto = ${birdString(birdSymbol(p, `${channel}.standby[${k}]`), `${channel}.standby[${k}]`)}`)
    .join(" || ");
  return [
    `${channel} table ${table};`,
    "",
    `protocol pipe ${pipe} {`,
    `	table ${master};`,
    `	peer table ${table};`,
    "	import all;",
    "	export filter {",
    `		if ${names} then preference = ${STANDBY_PREFERENCE};`,
    "		accept;",
    "	};",
    "}",
    "",
  ].join("\n");
}

function bgpChannel(channel: "ipv4" | "ipv6", c: BgpChannelSpec, session: string): string {
  const lines = [`\t${channel} {`];
  if (c.standby !== undefined && c.standby.length > 0) lines.push(`\t\ttable ${standbyNames(session, channel).table};`);
  lines.push(`\t\timport ${c.import};`);
  if (c.rawExportFilter !== undefined) {
    lines.push(`\t\texport filter {\n${rawFilterBody(c.rawExportFilter, `${channel}.rawExportFilter`)}\n\t\t};`);
  } else if (c.exportNextHop !== undefined) {
    if (c.export === "none") throw new CodecError(`${channel}.exportNextHop`, 'needs export "all"');
    lines.push(`\t\texport filter {\n\t\t\tbgp_next_hop = ${c.exportNextHop};\n\t\t\taccept;\n\t\t};`);
  } else {
    lines.push(`\t\texport ${c.export};`);
  }
  if (c.nextHopSelf) lines.push("\t\tnext hop self;");
  if (c.extendedNextHop) lines.push("\t\textended next hop on;");
  lines.push("\t};");
  return lines.join("\n");
}

/**
 * Why a raw filter body cannot be used, or undefined: no control characters but TAB/LF, no comments (inside a BIRD
 * comment a `"` or a brace is not what it seems, so a comment could hide a brace that closes the block), balanced
 * quotes and braces (so it cannot close the block and declare protocols of its own).
 */
export function rawFilterProblem(body: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(body)) return "must not contain control characters";
  if (/#|\/\*|\*\//.test(body)) return "must not contain comments (# or /* */)";
  // BIRD expands `include "<file>"` wherever it appears, inside a filter too, so it would splice any file (a
  // `protocol static` of someone's choosing passed `bird -p`, issue 14). Keywords are case-insensitive in BIRD.
  if (/\binclude\b/i.test(body.replace(/"[^"\n]*"/g, '""')))
    return "must not contain include (BIRD would read another file into the config)";
  if ((body.match(/"/g) ?? []).length % 2 !== 0 || /"[^"]*\n[^"]*"/.test(body))
    return 'must have balanced " quotes, each string on one line';
  let depth = 0;
  for (const ch of body.replace(/"[^"\n]*"/g, "")) {
    if (ch === "{") depth++;
    if (ch === "}" && --depth < 0) break;
  }
  if (depth !== 0) return "must have balanced { } so it stays inside the filter block";
  return undefined;
}

function rawFilterBody(body: string, field: string): string {
  const problem = rawFilterProblem(body);
  if (problem) throw new CodecError(field, problem);
  return body
    .split("\n")
    .map((l) => `\t\t\t${l}`)
    .join("\n");
}

/**
 * `/etc/bird.d/<name>.conf` for a BGP session: with `bfd`, first a `protocol bfd <name>_bfd` (BIRD runs BFD sessions
 * only in a BFD protocol instance; several instances may coexist, each request is served by one); with a channel's
 * `standby`, first that family's table and pipe.
 */
export function renderBgp(spec: BgpSpec, identity: string): string {
  const name = birdSymbol(spec.name, "name");
  const pre: string[] = [];
  if (spec.bfd) {
    const iface = spec.interface !== undefined ? birdString(spec.interface, "interface") : '"*"';
    pre.push(`protocol bfd ${name}_bfd {\n\tinterface ${iface};\n}\n`);
  }
  for (const ch of ["ipv4", "ipv6"] as const) {
    const standby = spec[ch]?.standby;
    if (standby !== undefined && standby.length > 0) pre.push(standbyPipe(name, ch, standby));
  }
  const lines = [`protocol bgp ${name} {`];
  lines.push(`\tlocal${spec.localAddress ? ` ${spec.localAddress}` : ""} as ${int(spec.localAs, "localAs")};`);
  lines.push(`\tneighbor ${spec.neighborAddress} as ${int(spec.neighborAs, "neighborAs")};`);
  if (spec.interface !== undefined) lines.push(`\tinterface ${birdString(spec.interface, "interface")};`);
  if (spec.sourceAddress !== undefined) lines.push(`\tsource address ${spec.sourceAddress};`);
  if (spec.direct === true) lines.push("\tdirect;");
  if (spec.direct === false) lines.push("\tmultihop;");
  if (spec.holdTime !== undefined) lines.push(`\thold time ${int(spec.holdTime, "holdTime")};`);
  if (spec.keepaliveTime !== undefined) lines.push(`\tkeepalive time ${int(spec.keepaliveTime, "keepaliveTime")};`);
  if (spec.bfd) {
    const opts: string[] = [];
    if (spec.bfdIntervalMs !== undefined) opts.push(`interval ${int(spec.bfdIntervalMs, "bfdIntervalMs")} ms;`);
    if (spec.bfdMultiplier !== undefined) opts.push(`multiplier ${int(spec.bfdMultiplier, "bfdMultiplier")};`);
    lines.push(opts.length > 0 ? `\tbfd { ${opts.join(" ")} };` : "\tbfd on;");
  }
  if (spec.ipv4) lines.push(bgpChannel("ipv4", spec.ipv4, name));
  if (spec.ipv6) lines.push(bgpChannel("ipv6", spec.ipv6, name));
  lines.push("}");
  return managedHeader(identity) + pre.join("\n") + lines.join("\n") + "\n";
}

/** `/etc/bird.d/<name>.conf` for a static protocol. */
export function renderStatic(spec: StaticSpec, identity: string): string {
  const name = birdSymbol(spec.name, "name");
  const lines = [`protocol static ${name} {`];
  lines.push(
    spec.preference !== undefined
      ? `\t${spec.channel} {\n\t\tpreference ${int(spec.preference, "preference")};\n\t};`
      : `\t${spec.channel};`,
  );
  spec.routes.forEach((r, k) => {
    const dest =
      r.interface !== undefined
        ? `via ${birdString(r.interface, `routes[${k}].interface`)}`
        : r.gateway !== undefined
          ? `via ${r.gateway}`
          : r.special !== undefined
            ? r.special
            : undefined;
    if (!dest) throw new CodecError(`routes[${k}]`, "needs interface, gateway or special");
    lines.push(`\troute ${r.prefix} ${dest};`);
  });
  lines.push("}");
  return managedHeader(identity) + lines.join("\n") + "\n";
}

/** `/etc/bird.d/<name>.conf` for a direct protocol limited to the given interfaces. */
export function renderDirect(spec: DirectSpec, identity: string): string {
  const name = birdSymbol(spec.name, "name");
  const lines = [`protocol direct ${name} {`];
  if (spec.ipv4) lines.push("\tipv4;");
  if (spec.ipv6) lines.push("\tipv6;");
  lines.push(`\tinterface ${spec.interfaces.map((i, k) => birdString(i, `interfaces[${k}]`)).join(", ")};`);
  lines.push("}");
  return managedHeader(identity) + lines.join("\n") + "\n";
}

function int(n: number, field: string): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new CodecError(field, `${n} is not a non-negative integer`);
  return String(n);
}
