/**
 * RouterOS version probe and feature gates (routeros-cli.md §7, transcript T1).
 * Probe: `:put [/system/resource/get version]` → `7.20.8 (stable)`.
 * Floors: 7.16 for `:serialize … options=json.no-string-conversion`; 7.20 for the BGP `instance` menu.
 * Documentation: https://help.mikrotik.com/docs/display/ROS/BGP (7.20 instance model).
 */
import type { DeviceTransport } from "../transport/types";
import { DeviceError } from "../core/errors";
import { envelopeSyntax, getSingleton } from "./codec";
import { outputLines, runCommands } from "./envelope";

/** A parsed RouterOS version, e.g. `7.20.8 (stable)` → {major: 7, minor: 20, patch: 8, channel: "stable"}. */
export interface RouterOsVersion {
  major: number;
  minor: number;
  /** 0 when absent (`7.16 (stable)`). */
  patch: number;
  /** `stable`, `long-term`, `testing`, `development`, or "" when not printed. */
  channel: string;
  /** Pre-release tag such as `rc2` or `beta3`, "" for releases. */
  prerelease: string;
  /** The text as the device printed it. */
  text: string;
}

/** Oldest supported RouterOS: JSON reads need `:serialize options=` (7.16, §2.3). */
export const MIN_VERSION = { major: 7, minor: 16 } as const;

/** Parses `7.20.8 (stable)`, `7.16`, `7.21rc2 (testing)`, `7.20beta3`; `undefined` when not a version. */
export function parseVersion(text: string): RouterOsVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?((?:alpha|beta|rc)\d*)?(?:\s+\(([a-z-]+)\))?$/.exec(text.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    prerelease: m[4] ?? "",
    channel: m[5] ?? "",
    text: text.trim(),
  };
}

/** True when `v` is at least `major.minor` (pre-releases of `major.minor` count as that version). */
export function atLeast(v: RouterOsVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** Which BGP configuration model the device has (§5.4). */
export type BgpModel = "instance" | "template-connection";

/** 7.20+ has `/routing/bgp/instance` with `connection instance=`; older 7.x infers instances from `router-id`. */
export function bgpModel(v: RouterOsVersion): BgpModel {
  return atLeast(v, 7, 20) ? "instance" : "template-connection";
}

/** Throws DeviceError for `/routing/bgp/instance` on devices before 7.20, where the menu does not exist. */
export function requireBgpInstanceModel(v: RouterOsVersion, device: string): void {
  if (bgpModel(v) !== "instance") {
    throw new DeviceError(
      `device "${device}" runs RouterOS ${v.text}: /routing/bgp/instance exists from RouterOS 7.20; ` +
        `on 7.16–7.19 leave out the BgpInstance and give the BgpSession (or BgpTemplate) a routerId`,
    );
  }
}

/** Throws DeviceError naming the device and the version when it is older than MIN_VERSION. */
export function requireSupported(v: RouterOsVersion, device: string): void {
  if (!atLeast(v, MIN_VERSION.major, MIN_VERSION.minor)) {
    throw new DeviceError(
      `device "${device}" runs RouterOS ${v.text}; routerstack needs RouterOS ${MIN_VERSION.major}.${MIN_VERSION.minor} ` +
        `or newer (JSON reads use :serialize options=json.no-string-conversion)`,
    );
  }
}

const cache = new Map<string, Promise<RouterOsVersion>>();

/**
 * Probes the device's version once per device name (cached for the process; a failed probe is not cached) and
 * refuses unsupported versions. Throws DeviceError naming the device on an unreadable answer or an old version.
 */
export function deviceVersion(transport: DeviceTransport, device: string): Promise<RouterOsVersion> {
  let p = cache.get(device);
  if (!p) {
    p = probe(transport, device);
    cache.set(device, p);
    p.catch(() => cache.delete(device));
  }
  return p;
}

/** Forgets cached versions (tests, or after a device upgrade). */
export function clearVersionCache(device?: string): void {
  if (device === undefined) cache.clear();
  else cache.delete(device);
}

async function probe(transport: DeviceTransport, device: string): Promise<RouterOsVersion> {
  const cmd = getSingleton("/system/resource", "version");
  let [r] = await runCommands(transport, [cmd], { readOnly: true });
  if (!r.ok && r.kind === "parse") {
    // Before 7.13 the envelope's `:onerror` does not exist (§7), so the line does not parse; ask without it to
    // name the old version in the error.
    const bare = await transport.exec(envelopeSyntax.run(cmd), { readOnly: true });
    const lines = outputLines(bare.stdout);
    if (lines.length === 1 && parseVersion(lines[0])) r = { ok: true, payload: lines };
  }
  if (!r.ok) {
    throw new DeviceError(`device "${device}": reading the RouterOS version failed: ${r.message}`, r.message);
  }
  const text = r.payload.join(" ").trim();
  const v = parseVersion(text);
  if (!v) throw new DeviceError(`device "${device}": unexpected RouterOS version text ${JSON.stringify(text)}`, text);
  requireSupported(v, device);
  return v;
}
