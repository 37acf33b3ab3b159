/**
 * The contract between the generic dynamic provider (provider/dynamic) and a resource kind.
 * A kind file (provider/resources) is data: a zod schema, which inputs force replacement, which are secret, and a
 * driver built by one of the platform engines (provider/routeros, provider/openwrt). Nothing here knows Pulumi.
 * It sits in provider/core so that the engines implement it without importing the kinds above them.
 */
import type { z } from "zod";
import type { DeviceTransport } from "./device";

export interface OpContext {
  transport: DeviceTransport;
  /** Stack-config name of the device. */
  device: string;
  /** `<project>/<stack>/<resource name>`: names the object on the device and in errors. */
  identity: string;
  /** Human label for errors: `<kind> "<identity>" on device "<device>"`. */
  label: string;
  /** Take over an existing object with the same natural key instead of failing. */
  adopt: boolean;
}

/** What the device holds for a resource: its inputs as `check` would normalise them, plus read-only outputs. */
export interface Observed<I> {
  inputs: I;
  outputs: Record<string, unknown>;
}

export interface KindDriver<I> {
  /** Creates the object; fails if an object with the same identity/natural key exists and `adopt` is false. */
  create(ctx: OpContext, inputs: I): Promise<{ id: string; observed: Observed<I> }>;
  /** Reads the object; `undefined` when it is gone. `last` is the last known inputs (for secrets and ids). */
  read(ctx: OpContext, id: string, last: I): Promise<{ id: string; observed: Observed<I> } | undefined>;
  update(ctx: OpContext, id: string, olds: I, news: I): Promise<{ id: string; observed: Observed<I> }>;
  delete(ctx: OpContext, id: string, last: I): Promise<void>;
  /**
   * Read-only look at what `create` with `ctx.adopt` would take over, for preview (engine `check`); never writes.
   * Drivers without it show nothing in preview.
   */
  preview?(ctx: OpContext, inputs: I): Promise<AdoptionPreview>;
}

/**
 * What `check` adds to a create's inputs as `adoption` when `adopt: true`: the existing object's id (`found`),
 * or `false` when create will make a new one, and each declared field that differs as `"<device> → <declared>"`.
 * `found: "unknown"` with `error` when the device could not be read (an offline preview does not fail).
 */
export interface AdoptionPreview {
  found: string | false;
  changes: Record<string, string>;
  error?: string;
}

/** How a kind adopts (documented per kind in docs/resources.md). */
export interface AdoptionSpec {
  /** Input fields that find an existing object (for OpenWrt: the section or file name). */
  naturalKey: string[];
  /** What destroy does to an adopted object. */
  onDestroy: "restore" | "leave";
  /** Free text for the docs where the key is not input fields (uci section name, BIRD file path). */
  note?: string;
}

export interface ResourceKind<I extends object> {
  /** Module name under provider/dynamic/ and the SDK type name, e.g. "routeros-static-route". */
  name: string;
  platform: "routeros" | "openwrt";
  /** Inputs of the kind (without the common `device`, `identity`, `adopt`); parsing normalises them. */
  schema: z.ZodType<I>;
  /** Input fields whose change replaces the object. `device` and `identity` always replace. */
  replaceOn: readonly (keyof I & string)[];
  /** Replacement deletes first: true where the device enforces unique names. */
  deleteBeforeReplace: boolean;
  /** Secret input fields: written to the device, compared through a hash, never returned as plain outputs. */
  secrets: readonly (keyof I & string)[];
  /** Documentation URL of the device feature. */
  docs: string;
  /** How `adopt: true` finds and releases an existing object; absent = the engine's own rule (docs say which). */
  adoption?: AdoptionSpec;
  driver: KindDriver<I>;
}

/**
 * A kind whose input type is not known where it is used (tables and maps of kinds). `any` rather than `object`:
 * a kind's methods take its own inputs, so `ResourceKind<Specific>` is not assignable to `ResourceKind<object>`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UntypedKind = ResourceKind<any>;
