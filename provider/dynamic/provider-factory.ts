/**
 * The generic `pulumi.dynamic.ResourceProvider` behind every kind. The SDK's serialized `__provider` is a stub
 * that `require()`s `routerstack/provider/dynamic/<kind>` at call time, so this module, its device transports and
 * caches are shared by every resource in one dynamic-provider process (pulumi-dynamic-host.md §4, §7(e)).
 *
 * Inputs of every resource: the common `device`, `identity`, `adopt` plus the kind's own fields.
 * Outputs: the same fields as observed on the device, `observed` read-only device properties, and
 * `secretHashes` (HMAC-SHA256 under a random key per resource kept in the same secret output, see secretHash).
 * A secret field's output is the declared value, never the device's (a masked read-back is not drift); drift of
 * a secret shows as a changed hash. The SDK lists secret fields and `secretHashes` in
 * `additionalSecretOutputs`, so Pulumi encrypts them in state.
 */
import { createHash, createHmac, randomBytes } from "crypto";
import { isDeepStrictEqual } from "util";
import type { z } from "zod";
import { opFailedMessage } from "../core/errors";
import { commonInputs, type CommonInputs } from "../resources/common";
import {
  joinAdoptedId,
  splitAdoptedId,
  type AdoptionPreview,
  type OpContext,
  type ResourceKind,
  type Observed,
  type UntypedKind,
} from "../resources/kind";
import { setDevicesConfig, transportFor } from "./devices";

/** The unknown-value sentinel of @pulumi/pulumi's RPC layer (pulumi-dynamic-host.md §2.1). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const COMMON_KEYS = ["device", "identity", "adopt"] as const;
/**
 * `adoption`: what `check` found on the device for a create with `adopt: true` (kind.ts AdoptionPreview). It is
 * an input only so that a preview shows it (a preview never calls create, pulumi-dynamic-host.md §5, and the Node
 * host drops detailed diffs, §7(f)); nothing else reads it, and diff ignores it.
 */
const ADOPTION_KEY = "adoption";
/**
 * Secret outputs of an adopted resource (the SDK lists them in `additionalSecretOutputs`, sdk/resource.ts):
 * `adoptionRecord`, what destroy restores (provider/core/adopted-id.ts, kept out of the never-encrypted id), and
 * `adoptedOriginal`, the driver's readable view of it (moved out of the plain `observed`: an adopted BIRD file's
 * content or a section's options may hold secrets). Neither is an input: diff ignores them.
 */
const RECORD_KEY = "adoptionRecord";
const ORIGINAL_KEY = "adoptedOriginal";
/** Properties that are outputs only: never inputs of the kind, never compared by diff. */
const OUTPUT_ONLY = new Set(["__provider", "secretHashes", "observed", ADOPTION_KEY, RECORD_KEY, ORIGINAL_KEY]);
/** How long a preview's read-only adoption look may take before the preview goes on without it. */
const ADOPTION_PREVIEW_TIMEOUT_MS = 15_000;
type Props = Record<string, unknown>;

export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * Hash under which a secret input is compared: `hmac-sha256:<hex>` of `<identity>\0<field>\0<JSON value>` under
 * `key` (64 hex digits, random per resource, {@link HASH_KEY_FIELD}). Without `key`, the form written before
 * issue 14, `sha256:<hex>` of the same text: the identity is public, so a short secret (a 4-digit PIN) is found by
 * brute force in well under a second; it is only computed to compare hashes still in users' state (migration).
 */
export function secretHash(identity: string, field: string, value: unknown, key?: string): string {
  const text = `${identity}\0${field}\0${JSON.stringify(value)}`;
  if (key === undefined) return "sha256:" + createHash("sha256").update(text).digest("hex");
  return "hmac-sha256:" + createHmac("sha256", Buffer.from(key, "hex")).update(text).digest("hex");
}

/**
 * The entry of `secretHashes` holding the resource's HMAC key: created (32 random bytes) on the first hash and kept
 * with the hashes in the same secret output, so Pulumi encrypts it in state like them. Not a field name (`#`).
 */
export const HASH_KEY_FIELD = "#key";

/** Whether `hash` (either form) is the hash of `value`; `key` is the resource's HMAC key. */
function hashMatches(hash: unknown, identity: string, field: string, value: unknown, key: unknown): boolean {
  if (typeof hash !== "string") return false;
  if (hash.startsWith("sha256:")) return hash === secretHash(identity, field, value);
  return typeof key === "string" && hash === secretHash(identity, field, value, key);
}

function split(props: Props): { common: Props; own: Props } {
  const common: Props = {};
  const own: Props = {};
  for (const [k, v] of Object.entries(props)) {
    if (OUTPUT_ONLY.has(k)) continue;
    if ((COMMON_KEYS as readonly string[]).includes(k)) common[k] = v;
    else own[k] = v;
  }
  return { common, own };
}

function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === "object") return Object.values(v).some(hasUnknown);
  return false;
}

function failuresOf(error: z.ZodError): CheckFailure[] {
  return error.issues.flatMap((i) =>
    // An unknown property has no path of its own: name each unknown key as the property.
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => ({
          property: [...i.path, k].join("."),
          reason: "unknown property: not an input of this resource",
        }))
      : [{ property: i.path.join("."), reason: i.message }],
  );
}

/** Drops `undefined` (the provider host cannot encode it, pulumi-dynamic-host.md §2.1). */
function clean(obj: Props): Props {
  return JSON.parse(JSON.stringify(obj)) as Props;
}

/** The driver's context of one operation: the device's transport and the label errors start with. */
function context(kind: UntypedKind, common: CommonInputs): OpContext {
  return {
    transport: transportFor(common.device, kind.platform),
    device: common.device,
    identity: common.identity,
    adopt: common.adopt,
    label: `${kind.name} "${common.identity}" on device "${common.device}"`,
  };
}

/** Inputs as `check` returned them, parsed into the kind's types. */
function parseChecked<I extends object>(kind: ResourceKind<I>, props: Props): { common: CommonInputs; own: I } {
  const { common, own } = split(props);
  return { common: commonInputs.parse(common), own: kind.schema.parse(own) };
}

/**
 * Secret fields carry the declared value (`declared`: the inputs just applied, or the previous outputs on
 * refresh); the device's value only enters through its hash in `secretHashes`.
 */
function outputsOf<I extends object>(
  kind: ResourceKind<I>,
  common: CommonInputs,
  observed: Observed<I>,
  declared: Props,
  oldHashes: Props,
  record?: string,
): Props {
  const secretFields = new Set<string>(kind.secrets);
  const fields: Props = {};
  const hashes: Props = {};
  for (const [k, v] of Object.entries(observed.inputs as Props)) {
    if (!secretFields.has(k)) fields[k] = v;
  }
  const oldKey = oldHashes[HASH_KEY_FIELD];
  const key = typeof oldKey === "string" && /^[0-9a-f]{64}$/.test(oldKey) ? oldKey : randomBytes(32).toString("hex");
  const hash = (f: string, v: unknown) => secretHash(common.identity, f, v, key);
  for (const f of secretFields) {
    fields[f] = declared[f];
    const deviceValue = (observed.inputs as Props)[f];
    const old = oldHashes[f];
    if (deviceValue !== undefined) hashes[f] = hash(f, deviceValue);
    // A masked or unreadable secret keeps its last known hash: never drift (DESIGN.md "Pulumi integration").
    // An old-form hash of the declared value is re-keyed (migration); one of another value stays as it is.
    else if (old !== undefined)
      hashes[f] =
        declared[f] !== undefined && hashMatches(old, common.identity, f, declared[f], oldKey)
          ? hash(f, declared[f])
          : old;
    else if (declared[f] !== undefined) hashes[f] = hash(f, declared[f]);
  }
  if (Object.keys(hashes).length > 0) hashes[HASH_KEY_FIELD] = key;
  const { [ORIGINAL_KEY]: original, ...plainObserved } = observed.outputs;
  const adoption: Props = {};
  if (record !== undefined) adoption[RECORD_KEY] = record;
  if (original !== undefined) adoption[ORIGINAL_KEY] = original;
  return clean({ ...common, ...fields, observed: plainObserved, secretHashes: hashes, ...adoption });
}

/** What create would take over, for the preview (`check` with `adopt: true`); a failure is shown, not thrown. */
async function adoptionPreview(kind: UntypedKind, checked: Props): Promise<AdoptionPreview> {
  const { common, own } = split(checked);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ctx = context(kind, commonInputs.parse(common));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${ADOPTION_PREVIEW_TIMEOUT_MS / 1000}s`)),
        ADOPTION_PREVIEW_TIMEOUT_MS,
      );
    });
    return await Promise.race([kind.driver.preview!(ctx, own), timeout]);
  } catch (e) {
    return { found: "unknown", changes: {}, error: (e as Error).message };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** A driver call whose error names the resource and the operation (once). */
async function guarded<T>(label: string, op: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e as Error;
    if (err.message.includes(label)) throw err;
    throw new Error(opFailedMessage(label, op, err.message), { cause: e });
  }
}

/** Compares old outputs with new checked inputs field by field; secrets through their hashes. No device I/O. */
function diffProps(kind: UntypedKind, olds: Props, news: Props) {
  const secretFields = new Set<string>(kind.secrets);
  if (hasUnknown(news)) return { changes: true };
  const replaces: string[] = [];
  let changes = false;
  const oldHashes = (olds.secretHashes ?? {}) as Props;
  const identity = String(news.identity);
  for (const k of new Set([...Object.keys(olds), ...Object.keys(news)])) {
    if (OUTPUT_ONLY.has(k)) continue;
    let same: boolean;
    if (secretFields.has(k)) {
      same =
        news[k] === undefined
          ? oldHashes[k] === undefined
          : hashMatches(oldHashes[k], identity, k, news[k], oldHashes[HASH_KEY_FIELD]);
    } else {
      same = isDeepStrictEqual(olds[k], news[k]);
    }
    if (same) continue;
    changes = true;
    if (k === "device" || k === "identity" || (kind.replaceOn as readonly string[]).includes(k)) replaces.push(k);
  }
  for (const f of secretFields) {
    if (news[f] === undefined && oldHashes[f] !== undefined) changes = true;
  }
  return { changes, replaces, deleteBeforeReplace: replaces.length > 0 && kind.deleteBeforeReplace };
}

/** The dynamic provider of one kind: Pulumi's CRUD calls mapped onto the kind's driver through the steps above. */
export function makeProvider<I extends object>(kind: ResourceKind<I>) {
  return {
    configure(req: { config: { get(key: string): string | undefined } }): void {
      const devices = req.config.get("routerstack:devices");
      if (devices !== undefined) setDevicesConfig(devices);
    },

    /**
     * Validates and normalises. Unknown values (preview) pass through unvalidated. No device I/O, except for a
     * resource not yet in state with `adopt: true`: then it looks (read-only) at what create would take over and
     * returns it as the `adoption` input, which the preview of the create shows. A device that cannot be reached
     * gives `found: "unknown"` with the reason, never a failed preview.
     */
    async check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
      const { common, own } = split(news);
      const failures: CheckFailure[] = [];
      const out: Props = {};
      const c = commonInputs.safeParse(common);
      if (c.success) Object.assign(out, c.data);
      else if (!hasUnknown(common)) failures.push(...failuresOf(c.error));
      if (hasUnknown(own)) return { inputs: { ...news }, failures };
      const o = kind.schema.safeParse(own);
      if (o.success) Object.assign(out, o.data);
      else failures.push(...failuresOf(o.error));
      if (failures.length) return { inputs: { ...news }, failures };
      const isNew = Object.keys(olds ?? {}).length === 0;
      if (isNew && out.adopt === true && kind.driver.preview) out[ADOPTION_KEY] = await adoptionPreview(kind, out);
      return { inputs: clean(out), failures };
    },

    /** diffProps: no device I/O. */
    async diff(_id: string, olds: Props, news: Props) {
      return diffProps(kind, olds, news);
    },

    async create(props: Props) {
      const { common, own } = parseChecked(kind, props);
      const ctx = context(kind, common);
      const created = await guarded(ctx.label, "create", () => kind.driver.create(ctx, own));
      const { id, record } = splitAdoptedId(created.id);
      return { id, outs: outputsOf(kind, common, created.observed, own as Props, {}, record) };
    },

    /** Refresh: returns the device's view as outputs and as inputs, so drift shows up as a diff; empty id = gone. */
    async read(id: string, props: Props) {
      const { common, own } = split(props);
      const c = commonInputs.parse(common);
      const ctx = context(kind, c);
      const last = own as I;
      const result = await guarded(ctx.label, "read", () =>
        kind.driver.read(ctx, joinAdoptedId(id, props[RECORD_KEY]), last),
      );
      if (!result) return { id: "" };
      // A v1 id (record inline) comes back as a v2 id plus the secret output: a refresh migrates the state.
      const stored = splitAdoptedId(result.id);
      const outs = outputsOf(kind, c, result.observed, props, (props.secretHashes ?? {}) as Props, stored.record);
      const inputs = Object.fromEntries(Object.entries(outs).filter(([k]) => !OUTPUT_ONLY.has(k)));
      return { id: stored.id, props: outs, inputs };
    },

    async update(id: string, olds: Props, news: Props) {
      const { common, own } = parseChecked(kind, news);
      const ctx = context(kind, common);
      const oldOwn = split(olds).own as I;
      const updated = await guarded(ctx.label, "update", () =>
        kind.driver.update(ctx, joinAdoptedId(id, olds[RECORD_KEY]), oldOwn, own),
      );
      // Pulumi keeps the id an update had (a v1 id stays until a refresh); the record still goes to the output.
      // Just written: a masked read-back takes the declared value's hash, not the old one.
      return { outs: outputsOf(kind, common, updated.observed, own as Props, {}, splitAdoptedId(updated.id).record) };
    },

    async delete(id: string, props: Props) {
      const { common, own } = split(props);
      const c = commonInputs.parse(common);
      const ctx = context(kind, c);
      await guarded(ctx.label, "delete", () => kind.driver.delete(ctx, joinAdoptedId(id, props[RECORD_KEY]), own as I));
    },
  };
}
