/**
 * Host-key verification policy of one device: which fingerprints are accepted, which key types are
 * negotiated, and the messages for a mismatch or a missing pin (DESIGN.md "Device rules", "Both").
 */
import { promises as fs } from "node:fs";
import { deviceLabel } from "./device-label";
import { fingerprintOfKeyBlob, hostKeyAlgorithmsFor, keyTypeOfBlob, SAFE_HOST_KEY_ALGORITHMS } from "./host-key-types";
import { knownHostsName, lookupKnownHosts } from "./known-hosts";
import { parseHostKeyPin, type HostKeyPin } from "./pins";
import { TransportError, type DeviceSpec } from "./types";

export type HostKeyPolicy =
  /** Accept only `pins`; `algorithms` (ssh2 `algorithms.serverHostKey`) is set when every pin has a key type. */
  | { mode: "pinned"; pins: HostKeyPin[]; revoked: string[]; algorithms?: string[] }
  /** Explicit opt-out: accept any key (logged by the caller). */
  | { mode: "skip" }
  /** Nothing pinned: the handshake is stopped at the host key so the message can show it. */
  | { mode: "unpinned"; detail: string };

/**
 * Parses `spec.hostKeys`. Synchronous so a malformed pin is reported when the device is opened.
 * @throws TransportError kind "host-key" for an entry `parseHostKeyPin` rejects.
 */
export function pinsFromSpec(spec: DeviceSpec): HostKeyPin[] {
  return (spec.hostKeys ?? []).map((entry, i) => {
    try {
      return parseHostKeyPin(entry, `hostKeys[${i}]`);
    } catch (err) {
      throw new TransportError(`${deviceLabel(spec)}: ${(err as Error).message}`, spec.name, "host-key");
    }
  });
}

/**
 * Builds the policy for one connection attempt: `hostKeys` plus the matching lines of `knownHostsFile`
 * (read on every call, so an edited file takes effect on the next connection).
 * @throws TransportError kind "host-key" when a pin is malformed or the known_hosts file cannot be read.
 */
export async function resolveHostKeyPolicy(spec: DeviceSpec, specPins = pinsFromSpec(spec)): Promise<HostKeyPolicy> {
  const pins = [...specPins];
  const revoked: string[] = [];
  let detail = "";
  if (spec.knownHostsFile) {
    let text: string;
    try {
      text = await fs.readFile(spec.knownHostsFile, "utf8");
    } catch (err) {
      throw new TransportError(
        `${deviceLabel(spec)}: cannot read knownHostsFile ${spec.knownHostsFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        spec.name,
        "host-key",
      );
    }
    const found = lookupKnownHosts(text, spec.knownHostsFile, spec.host, spec.port ?? 22);
    pins.push(...found.pins);
    revoked.push(...found.revoked);
    if (found.pins.length === 0) {
      detail =
        ` (${spec.knownHostsFile} has no key for ${knownHostsName(spec.host, spec.port ?? 22)}` +
        (found.skippedCertAuthorities ? `; @cert-authority lines are not supported` : "") +
        ")";
    }
  }
  if (pins.length > 0) {
    // Narrowed to the pinned types when every pin names its type; an untyped pin still gets no SHA-1 or DSA.
    const typed = pins.every((p) => p.keyType !== undefined);
    const algorithms = typed
      ? [...new Set(pins.flatMap((p) => hostKeyAlgorithmsFor(p.keyType!)))]
      : [...SAFE_HOST_KEY_ALGORITHMS];
    return { mode: "pinned", pins, revoked, algorithms };
  }
  if (spec.insecureSkipHostKeyCheck) return { mode: "skip" };
  return { mode: "unpinned", detail };
}

/** Fingerprint and type of the key a server presented, for messages. */
export interface PresentedKey {
  fingerprint: string;
  keyType: string;
}

export function describePresentedKey(blob: Buffer): PresentedKey {
  return { fingerprint: fingerprintOfKeyBlob(blob), keyType: keyTypeOfBlob(blob) ?? "unknown-type" };
}

/**
 * Checks a presented key against the policy. Returns undefined when accepted, otherwise the error to
 * raise (kind "host-key"), whose message names the device and shows expected and presented fingerprints.
 */
export function checkHostKey(
  spec: DeviceSpec,
  policy: HostKeyPolicy,
  presented: PresentedKey,
): TransportError | undefined {
  const shown = `${presented.keyType} ${presented.fingerprint}`;
  const fail = (message: string) => new TransportError(`${deviceLabel(spec)}: ${message}`, spec.name, "host-key");
  switch (policy.mode) {
    case "skip":
      return undefined;
    case "unpinned":
      return fail(
        `refusing to connect: no host key is pinned${policy.detail}. The server presented ${shown}. ` +
          `Check that fingerprint out of band (on the router's console), then pin it with ` +
          `hostKeys: ["${shown}"] or add the host to knownHostsFile; ` +
          `insecureSkipHostKeyCheck: true connects without checking (logged).`,
      );
    case "pinned": {
      if (policy.revoked.includes(presented.fingerprint)) {
        return fail(
          `host key ${shown} is marked @revoked in ${spec.knownHostsFile}; connection aborted before authentication.`,
        );
      }
      if (policy.pins.some((p) => p.fingerprint === presented.fingerprint)) return undefined;
      const expected = policy.pins
        .map((p) => `${p.keyType ? `${p.keyType} ` : ""}${p.fingerprint} (${p.source})`)
        .join(", ");
      return fail(
        `HOST KEY MISMATCH: the server presented ${shown}, expected ${expected}. ` +
          `Connection aborted before authentication. If the router's key was changed on purpose, update the pin.`,
      );
    }
  }
}
