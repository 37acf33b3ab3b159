/**
 * Property values as they cross the engine: plain JSON plus Pulumi's sentinels
 * (reference §2.1, values from `@pulumi/pulumi/runtime/rpc.js`):
 * - secret: `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}` in memory,
 *   `{…sig…, ciphertext: "v1:…"}` in the state file (as Pulumi's checkpoint stores them);
 * - unknown (preview only): the string `04da6b54-80e4-46f7-96ec-b56ff0331ba9`.
 */
import type { SymmetricCrypter } from "./crypto";

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const PROVIDER_KEY = "__provider";

export type Props = Record<string, unknown>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function isSecret(v: unknown): v is { value: unknown } {
  return isObj(v) && v[SIG_KEY] === SECRET_SIG && "value" in v;
}

export function makeSecret(value: unknown): Obj {
  return isSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/** Strips every secret wrapper, at any depth (the host accepts no secrets, reference §6.3). */
export function unwrapSecrets<T>(v: T): T {
  if (isSecret(v)) return unwrapSecrets(v.value) as T;
  if (Array.isArray(v)) return v.map(unwrapSecrets) as T;
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)])) as T;
  return v;
}

export function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (isObj(v)) return Object.values(v).some(containsSecret);
  return false;
}

export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObj(v)) return Object.values(v).some(containsUnknown);
  return false;
}

/** Top-level keys whose value holds a secret anywhere. */
export function secretKeysOf(props: Props): string[] {
  return Object.keys(props).filter((k) => containsSecret(props[k]));
}

/**
 * Marks `keys` of plain outputs as secret, as the engine's annotateSecrets does for same-named
 * secret inputs and for additionalSecretOutputs (reference §7(c)).
 */
export function annotateSecrets(props: Props, keys: Iterable<string>): Props {
  const out: Props = { ...props };
  for (const k of keys) if (k in out && out[k] !== undefined) out[k] = makeSecret(out[k]);
  return out;
}

/** Replaces every in-memory secret by its ciphertext form: the plaintext encrypted is the JSON of the value. */
export function encryptSecrets(v: unknown, crypter: () => SymmetricCrypter): unknown {
  if (isSecret(v))
    return { [SIG_KEY]: SECRET_SIG, ciphertext: crypter().encrypt(JSON.stringify(unwrapSecrets(v.value))) };
  if (Array.isArray(v)) return v.map((x) => encryptSecrets(x, crypter));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encryptSecrets(x, crypter)]));
  return v;
}

/** Inverse of encryptSecrets; `crypter` is only called when a ciphertext is met. */
export function decryptSecrets(v: unknown, crypter: () => SymmetricCrypter): unknown {
  if (isObj(v) && v[SIG_KEY] === SECRET_SIG && typeof v.ciphertext === "string") {
    return makeSecret(JSON.parse(crypter().decrypt(v.ciphertext)));
  }
  if (Array.isArray(v)) return v.map((x) => decryptSecrets(x, crypter));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decryptSecrets(x, crypter)]));
  return v;
}

export function hasCiphertext(v: unknown): boolean {
  if (isObj(v) && v[SIG_KEY] === SECRET_SIG && typeof v.ciphertext === "string") return true;
  if (Array.isArray(v)) return v.some(hasCiphertext);
  if (isObj(v)) return Object.values(v).some(hasCiphertext);
  return false;
}

/** Structural equality of JSON values (object key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Top-level keys (without `__provider`) whose plain values differ; secret-ness alone is no change. */
export function changedKeys(olds: Props, news: Props): string[] {
  const a = unwrapSecrets(olds);
  const b = unwrapSecrets(news);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete(PROVIDER_KEY);
  return [...keys].filter((k) => !deepEqual(a[k], b[k])).sort();
}

/** Splits an ignoreChanges/replaceOnChanges path (`a.b`, `a["b.c"]`, `list[0]`) into segments. */
export function parsePath(p: string): string[] {
  const out: string[] = [];
  const re = /([^.[\]]+)|\[(\d+|"(?:[^"\\]|\\.)*")\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p))) out.push(m[1] ?? (m[2].startsWith('"') ? JSON.parse(m[2]) : m[2]));
  return out;
}

function getPath(v: unknown, segs: string[]): { found: boolean; value?: unknown } {
  let cur: unknown = v;
  for (const s of segs) {
    if (isSecret(cur)) cur = cur.value;
    if (!isObj(cur) && !Array.isArray(cur)) return { found: false };
    const c = cur as Record<string, unknown>;
    if (!(s in c)) return { found: false };
    cur = c[s];
  }
  return { found: true, value: cur };
}

/**
 * Copies old values into new inputs for ignoreChanges paths (reference §6.12: the host ignores
 * DiffRequest.ignoreChanges, the engine applies them). `*` ignores every change.
 */
export function applyIgnoreChanges(olds: Props, news: Props, paths: string[]): Props {
  if (paths.includes("*")) return { ...olds, [PROVIDER_KEY]: news[PROVIDER_KEY] };
  const out: Props = structuredClone(news);
  for (const p of paths) {
    const segs = parsePath(p);
    if (segs.length === 0) continue;
    const old = getPath(olds, segs);
    let parent: unknown = out;
    for (const s of segs.slice(0, -1)) {
      if (isSecret(parent)) parent = parent.value;
      const c = parent as Record<string, unknown>;
      if (!isObj(c[s]) && !Array.isArray(c[s])) c[s] = {};
      parent = c[s];
    }
    if (isSecret(parent)) parent = parent.value;
    const last = segs[segs.length - 1];
    const c = parent as Record<string, unknown>;
    if (old.found) c[last] = structuredClone(old.value);
    else delete c[last];
  }
  return out;
}

/** Did any replaceOnChanges path change between old and new inputs? (`*` = any key.) */
export function replaceOnChangesHit(olds: Props, news: Props, paths: string[], changed: string[]): string[] {
  if (paths.includes("*")) return changed;
  return paths.filter((p) => {
    const segs = parsePath(p);
    const a = getPath(unwrapSecrets(olds), segs);
    const b = getPath(unwrapSecrets(news), segs);
    return a.found !== b.found || !deepEqual(a.value, b.value);
  });
}
