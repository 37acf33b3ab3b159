/**
 * Reads an OpenWrt device for the importer: `uci show` of the packages the kinds cover (committed config only,
 * uci-read.ts), each named section mapped to the first typed kind that reproduces it exactly, else to
 * `openwrt.UciSection`; and the BIRD files, listed.
 *
 * A typed kind matches a section when its own `fromSection` (section-engine.ts) reads the section into inputs
 * that its schema accepts and that write back the same package, type, name and options (`toOptions`), with no
 * companion file to create; otherwise a kind would change the device on the first `up`.
 * Left out, each with a note in the program's header:
 * - anonymous sections (`@zone[0]`): managed sections are named (DESIGN.md), and an importer that names them
 *   would change the device; the note gives the `uci rename` that makes one importable;
 * - BIRD files that routerstack wrote (their first line is the managed header, bird-text.ts): they belong to the
 *   stack that wrote them; a second owner would fight it.
 * BIRD files (the main config and `<birdDir>/*.conf`, the paths of the BIRD kinds) are imported as
 * `openwrt.RemoteFile`, content verbatim with the file's mode and owner: BIRD text is not parsed back
 * (bird-file-engine.ts), and adopting one as BirdConfig/BgpSession rewrites it in routerstack's own layout (its
 * identity header), which is a change; a RemoteFile holding the same content, mode and owner adopts it with no
 * write (remote-file-driver.ts). A file with a `password` statement (BGP MD5/TCP-AO) [I: BIRD 2 docs, `password`
 * of protocol bgp] has its whole content read from stack config as a secret; other files are written inline.
 * Options that look secret (password, key, psk, pincode, secret…) [I: names from OpenWrt's network/wireless docs,
 * not from openwrt-uci.md] and the secret fields of typed kinds are written as `config.requireSecret`.
 */
import type { DeviceTransport } from "../transport/types";
import type { OpContext } from "../resources/kind";
import { shQuote } from "../openwrt/codec";
import { sectionSpecOf, type SectionKindSpec } from "../openwrt/section-engine";
import { openwrtSettings } from "../openwrt/settings";
import { readUciPackagesSettled } from "../openwrt/uci-read";
import { readFile, octalMode } from "../openwrt/files";
import { managedHeader } from "../openwrt/bird-text";
import { schema as remoteFileSchema } from "../resources/openwrt/remote-file";
import { sameUciValue, type UciShowSection, type UciValue } from "../openwrt/uci-show-parser";
import { kindsOf, sdkClassName, type AnyKind } from "./kinds";
import { isConventionalSecretOption } from "../resources/secret-names";
import {
  NameBook,
  SecretRef,
  secretKey,
  slug,
  type ImportedResource,
  type ImportResult,
  type ImportValue,
} from "./model";
import { zodIssue } from "./zod-issue";

/** Packages read by default: those the typed kinds write, and mwan3 (read only when the device has it). */
export const DEFAULT_PACKAGES = ["network", "firewall", "mwan3", "dhcp"] as const;

/** True for a uci option name that holds a secret [I] (resources/secret-names.ts, shared with UciSection). */
export function isSecretOption(name: string): boolean {
  return isConventionalSecretOption(name);
}

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
  );
}

function sameOptions(shown: Record<string, UciValue>, written: Record<string, UciValue | undefined>): boolean {
  const keys = new Set([...Object.keys(shown), ...Object.keys(written)]);
  for (const k of keys) {
    const w = written[k];
    if (!sameUciValue(shown[k], isEmpty(w) ? undefined : w)) return false;
  }
  return true;
}

/** The inputs of `kind` that reproduce section `s` exactly, or undefined. */
function typedInputs(
  kind: AnyKind,
  spec: SectionKindSpec<object>,
  s: UciShowSection,
): Record<string, unknown> | undefined {
  try {
    const seed: Record<string, unknown> = { name: s.name };
    if (spec.typeField) seed[spec.typeField] = s.type;
    const raw = spec.fromSection({ type: s.type, options: s.options }, seed as object) as Record<string, unknown>;
    const parsed = kind.schema.safeParse(raw);
    if (!parsed.success) return undefined;
    const i = parsed.data;
    if (spec.package(i) !== s.package || spec.type(i) !== s.type || spec.sectionName?.(i) !== s.name) return undefined;
    if (!sameOptions(s.options, spec.toOptions(i))) return undefined;
    const ctx = { identity: `import/import/${s.name}` } as OpContext;
    if ((spec.files?.(i, s.name, ctx) ?? []).length > 0) return undefined;
    return Object.fromEntries(Object.entries(raw).filter(([, v]) => !isEmpty(v)));
  } catch {
    return undefined;
  }
}

/** The BIRD configuration files on the device: the main config and `<birdDir>/*.conf`. */
async function birdFiles(transport: DeviceTransport): Promise<string[]> {
  const s = openwrtSettings();
  const script = `for f in ${shQuote(s.birdConf, "birdConf")} ${shQuote(s.birdDir, "birdDir")}/*.conf; do [ -f "$f" ] && printf '%s\\n' "$f"; done; true`;
  const r = await transport.exec(script);
  return r.code === 0 ? r.stdout.split("\n").filter((l) => l !== "") : [];
}

/**
 * A BIRD `password` statement (protocol bgp/ospf/rip/babel authentication) or a TCP-AO key's `secret` (BIRD 2.16+
 * `authentication ao; keys { key { … secret "…"; }; }`) [I: BIRD docs], commented-out lines aside.
 */
const BIRD_PASSWORD = /^[^#\n]*\b(password|secret)\s+"/m;

/** True when BIRD text holds a password: the importer then makes the file's content a stack secret. */
export function birdHasPassword(text: string): boolean {
  return BIRD_PASSWORD.test(text);
}

/** The start of the header routerstack's BIRD kinds write (bird-text.ts `managedHeader`), whatever the identity. */
const MANAGED_PREFIX = managedHeader("").slice(0, managedHeader("").indexOf("(") + 1);

/** Owner names RemoteFile accepts (its schema); any other owner (a bare uid) is left unmanaged. */
const OWNER = /^[a-z_][a-z0-9_-]{0,31}:[a-z_][a-z0-9_-]{0,31}$/;

/** One BIRD file as a RemoteFile, or a note on why not. */
async function birdFileResource(
  transport: DeviceTransport,
  device: string,
  file: string,
  names: NameBook,
): Promise<ImportedResource | string> {
  const st = await readFile(transport, file);
  if (!st.exists) return `BIRD file ${file}: gone while importing`;
  if (st.content.startsWith(MANAGED_PREFIX)) {
    return `BIRD file ${file}: written by routerstack (managed header); it belongs to the stack that wrote it`;
  }
  const args: Record<string, ImportValue> = { path: file, content: st.content, mode: octalMode(st.mode) };
  const p = shQuote(file, "path");
  const r = await transport.exec(`set -- $(ls -ldL ${p}) && echo "$3:$4"`);
  const owner = r.stdout.trim();
  if (r.code === 0 && OWNER.test(owner)) args.owner = owner;
  const parsed = remoteFileSchema.safeParse(args);
  if (!parsed.success) return `BIRD file ${file}: ${zodIssue(parsed.error)}`;
  const name = names.take(`${slug(device)}-file-${slug(file)}`);
  // Set with `ssh <router> cat <file> | pulumi config set --secret <key>`: pulumi drops the final newline, the
  // program adds it back.
  if (birdHasPassword(st.content)) {
    args.content = new SecretRef(
      secretKey(name, "content"),
      st.content.endsWith("\n") ? "\n" : "",
      `ssh root@<router> cat ${shQuote(file, "path")}`,
    );
  }
  const secret =
    args.content instanceof SecretRef ? " (holds a password: its content is a stack secret, see the header)" : "";
  return { platform: "openwrt", className: "RemoteFile", name, args, source: `BIRD file ${file}${secret}` };
}

export async function importOpenWrt(
  transport: DeviceTransport,
  device: string,
  opts: { kinds?: readonly AnyKind[]; packages?: readonly string[] } = {},
): Promise<ImportResult> {
  const kinds = opts.kinds ?? kindsOf("openwrt");
  const generic = kinds.find((k) => k.name === "openwrt-uci-section");
  const typed = kinds.flatMap((k) => {
    const spec = k === generic ? undefined : sectionSpecOf(k.driver);
    return spec ? [{ kind: k, spec }] : [];
  });
  const packages = opts.packages ?? DEFAULT_PACKAGES;
  const read = await readUciPackagesSettled(transport, packages, openwrtSettings().uci);
  const names = new NameBook();
  const resources: ImportedResource[] = [];
  const notes: string[] = [];
  for (const pkg of packages) {
    const got = read.get(pkg);
    if (got === undefined) continue;
    if (got instanceof Error) {
      notes.push(`${pkg}: not readable (${got.deviceMessage ?? got.message})`);
      continue;
    }
    for (const s of got) {
      const where = `${s.package}.${s.name}`;
      if (s.anonymous) {
        notes.push(
          `${where} (${s.type}): anonymous; name it on the device (uci rename ${where}=<name>; uci commit ${s.package}) and import again`,
        );
        continue;
      }
      const name = names.take(`${slug(device)}-${slug(s.package)}-${slug(s.name)}`);
      const match = typed
        .map((t) => ({ ...t, inputs: typedInputs(t.kind, t.spec, s) }))
        .find((t) => t.inputs !== undefined);
      if (match) {
        const args: Record<string, ImportValue> = {};
        for (const [f, v] of Object.entries(match.inputs!)) {
          args[f] = (match.kind.secrets as readonly string[]).includes(f)
            ? new SecretRef(secretKey(name, f))
            : (v as ImportValue);
        }
        resources.push({
          platform: "openwrt",
          className: sdkClassName(match.kind),
          name,
          args,
          source: `${where} (${s.type})`,
        });
        continue;
      }
      if (!generic) {
        notes.push(`${where} (${s.type}): no kind matches it`);
        continue;
      }
      const raw = { package: s.package, name: s.name, type: s.type, options: s.options };
      const parsed = generic.schema.safeParse(raw);
      if (!parsed.success) {
        notes.push(`${where} (${s.type}): ${zodIssue(parsed.error)}`);
        continue;
      }
      const options: Record<string, ImportValue> = {};
      for (const [k, v] of Object.entries(s.options))
        options[k] = isSecretOption(k) ? new SecretRef(secretKey(name, k)) : v;
      resources.push({
        platform: "openwrt",
        className: sdkClassName(generic),
        name,
        args: { ...raw, options },
        source: `${where} (${s.type})`,
      });
    }
  }
  if (kinds.some((k) => k.name === "openwrt-remote-file")) {
    for (const f of await birdFiles(transport)) {
      const got = await birdFileResource(transport, device, f, names).catch(
        (e: Error) => `BIRD file ${f}: not readable (${(e as { deviceMessage?: string }).deviceMessage ?? e.message})`,
      );
      if (typeof got === "string") notes.push(got);
      else resources.push(got);
    }
  }
  return { device, platform: "openwrt", resources, notes };
}
