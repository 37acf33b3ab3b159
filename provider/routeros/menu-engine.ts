/**
 * The generic RouterOS menu engine: turns a kind's data description (menu, identity, property mapping) into a
 * KindDriver doing create/read/update/delete over the exec envelope.
 *
 * Identity (DESIGN "Device rules"):
 * - `{ by: "comment" }`: the item is found by the tag in its `comment` (identity-tag.ts grammar);
 * - `{ by: "name", field }`: menus with unique names (BGP instance/connection); found by `name`, and the item is
 *   ours only when its comment carries our identity tag too (another stack's item of the same name is not ours).
 * - `{ by: "singleton" }`: menus with exactly one item and no `.id` or comment (`/ip/dns`, `/system/identity`): found by
 *   the menu alone and only ever `set`. Create records every input's value as found (the adoption record, kept as
 *   the secret output `adoptionRecord` like an adopted item's, provider/core/adopted-id.ts); destroy sets those values
 *   back and never removes anything. The importer does not import singletons (nothing tells a declared value from
 *   RouterOS's own). Two resources on one singleton fight: nothing on the device tells them apart.
 * - `{ by: "existing" }`: items RouterOS itself makes and nobody adds or removes (ethernet ports by `default-name`,
 *   `/ip/service` entries by `name`): found by the kind's `naturalKey` among all the menu's items, always taken over
 *   like an adopted item (no tag; `comment`, where the menu has one, is an ordinary property) and set in place.
 *   Create fails when no item has the key; destroy sets the values recorded at create back and never removes it.
 *   Not imported either (the importer would otherwise declare every port).
 * `.id` is only a cache: it is the Pulumi id returned, and every read/update/delete resolves the item again from
 * its identity (ids change on remove+add and possibly on reboot, routeros-cli.md §2.4).
 *
 * Adoption (`adopt: true`, issue 7): an existing item the resource did not create is found by the kind's
 * `naturalKey` (named menus: the name) among items carrying no identity tag, and taken over without tagging it:
 * only properties whose declared value differs are set, so adopting with the device's own values writes nothing.
 * Its `comment` input is then the device comment verbatim. The Pulumi id records the adoption and the item's
 * original values (`*5#adopted=<base64url JSON>`, secrets left out), the way the OpenWrt section engine does;
 * read/update/delete find the item again by natural key (the cached `.id` breaks ties and covers an
 * out-of-band change of a key property). Destroy restores the original values (`adoptedDestroy: "restore"`,
 * the default) or leaves the item as it is (`"leave"`); an adopted item is never removed.
 *
 * Defaults: an input's device default is the default of its zod field (`.default(1)`), so a property the device
 * leaves out or reports as `null` reads back as that default and an unset input never shows a perpetual diff.
 */
import { z } from "zod";
import { decodeAdoptedIdFor, encodeAdoptedId } from "../core/adopted-id";
import { DeviceError, deviceOpError } from "../core/errors";
import type { AdoptionPreview, KindDriver, Observed, OpContext, ResourceKind } from "../core/kind";
import * as codec from "./codec";
import type { Arg, Command } from "./codec";
import { batcherFor, type ReadRequest, type ReadResult, type Selector } from "./batcher";
import type { StepResult } from "./envelope";
import { decodeTag, encodeTag, exactTagFilter, isIdentity } from "./identity-tag";
import type { PropMapping } from "./property-types";
import { isMaskedSecret, textValue, type Row } from "./read";
import { deviceVersion, type RouterOsVersion } from "./version";
import { readSingleton } from "./singleton";
import { catalogueProperties, catalogueVersionFor, COMMAND_ARGS, printOnlyOutputs } from "./catalogue";
import { guardMayArm, LockoutRevertedError, withLockoutGuard, type GuardedChange } from "./lockout-guard";

type AnyObject = z.ZodObject<z.ZodRawShape>;

/** The mapping type of a field: string enums and enum lists map like plain text and text lists. */
type PropFor<T> = [T] extends [string]
  ? PropMapping<string>
  : [T] extends [readonly string[]]
    ? PropMapping<string[]>
    : PropMapping<T>;

/** Data description of one RouterOS kind. `I` is the schema's output (the normalised inputs). */
export interface MenuKindSpec<S extends AnyObject, I extends object = z.output<S>> {
  /** Kind name, e.g. `routeros-static-route`. */
  name: string;
  /** help.mikrotik.com page of the menu. */
  docs: string;
  /** Strict zod object of the inputs; field defaults are the device defaults. */
  schema: S;
  /** Menu path, or a function of the inputs when the kind spans menus (`/ip/route` vs `/ipv6/route`). */
  menu: string | ((inputs: I) => string);
  identity: { by: "comment" } | { by: "name"; field: keyof I & string } | { by: "singleton" } | { by: "existing" };
  /**
   * Input fields whose values find an existing untagged item to take over when `adopt: true` (compared as
   * decoded, normalised values). Named menus default to the name field. A kind without one cannot adopt by
   * key (create with `adopt` then behaves like a plain create). Zero matches: create; several: an error.
   */
  naturalKey?: readonly (keyof I & string)[];
  /** What destroy does to an adopted item: put the original values back (default) or leave it as it is. */
  adoptedDestroy?: "restore" | "leave";
  /** Input field holding the user's own comment; stored next to the identity tag in `comment`. Not for singletons. */
  commentField?: keyof I & string;
  /** Every other input field → its RouterOS property. */
  props: { [K in keyof I]?: PropFor<NonNullable<I[K]>> };
  /**
   * Read-only outputs: output name → RouterOS property (e.g. `{ origMacAddress: "orig-mac-address" }`). Every
   * property `print` shows that add/set refuse is an output anyway, named in camelCase (catalogue `printOnly`);
   * list here a name to give it another, or a printed property the catalogue does not mark print-only.
   */
  outputs?: Record<string, string>;
  replaceOn: readonly (keyof I & string)[];
  deleteBeforeReplace: boolean;
  secrets?: readonly (keyof I & string)[];
  /**
   * Optional fields whose value, when left out, is the device's own (a WireGuard private key RouterOS generates):
   * never sent as an unset, never compared. Left out on create, the device picks the value; on adopt it keeps it.
   */
  deviceOwnedWhenUnset?: readonly (keyof I & string)[];
  /**
   * Version gate, called with the probed version before any operation; throws DeviceError. On create and update
   * it also gets the inputs, for fields that exist only in some versions (BGP `routerId` before 7.20).
   */
  requires?: (v: RouterOsVersion, device: string, inputs?: I) => void;
  /** Every menu the kind may use, for the importer; needed only when `menu` is a function. */
  importMenus?: readonly string[];
  /**
   * Catalogued add/set arguments of the kind's menus that are deliberately not inputs, each with the reason
   * (scripts/gen-routeros-props.ts derives an input for every other one).
   */
  notInputs?: Readonly<Record<string, string>>;
}

/** What the importer (provider/import) needs of a kind built by `routerosKind`. */
export interface MenuImport {
  /** Menus holding the kind's items. */
  menus: readonly string[];
  /** False for singletons and items RouterOS makes itself: described here, but never imported. */
  importable: boolean;
  /** Input field that is the item's unique name, when the menu is keyed by name. */
  nameField?: string;
  commentField?: string;
  /** The kind's version gate (`requires`); throws DeviceError when the version lacks the kind. */
  requires?: (v: RouterOsVersion, device: string) => void;
  /** Every input field (but the comment field) → its RouterOS property. */
  properties: Readonly<Record<string, string>>;
  /** Fields derived from the catalogue (PropMapping.deviceWhenUnset). */
  derivedFields: readonly string[];
  /** See MenuKindSpec.notInputs. */
  notInputs: Readonly<Record<string, string>>;
  /** Names of the read-only outputs in `observed` (print-only properties and MenuKindSpec.outputs), for the SDK's `observed` type. */
  outputs: readonly string[];
  /** A singleton menu: `observed` has no `.id`. */
  singleton: boolean;
  /**
   * A row as the kind's raw inputs (before `check`): every mapped property decoded, fields at their default
   * left out, and a comment without a routerstack tag kept whole as the user's comment.
   */
  decode(row: Row, menu: string): Record<string, unknown>;
}

const imports = new WeakMap<object, MenuImport>();

/** Registers the importer view of a driver that wraps menu-engine kinds (rule-order.ts). */
export function registerImport(driver: object, view: MenuImport): void {
  imports.set(driver, view);
}

/** The importer view of a RouterOS kind; undefined for kinds not built by `routerosKind`. */
export function menuImportOf(kind: ResourceKind<object>): MenuImport | undefined {
  return imports.get(kind.driver);
}

/** Builds a ResourceKind whose driver is the generic menu engine. Throws Error when a field has no mapping. */
export function routerosKind<S extends AnyObject>(spec: MenuKindSpec<S>): ResourceKind<z.output<S>> {
  type I = z.output<S>;
  const fields = Object.keys(spec.schema.shape) as (keyof I & string)[];
  for (const f of fields) {
    if (f !== spec.commentField && !(spec.props as Record<string, unknown>)[f]) {
      throw new Error(`kind ${spec.name}: input field ${f} has no RouterOS property mapping`);
    }
  }
  return {
    name: spec.name,
    platform: "routeros",
    schema: spec.schema as unknown as z.ZodType<I>,
    replaceOn: spec.replaceOn,
    deleteBeforeReplace: spec.deleteBeforeReplace,
    secrets: spec.secrets ?? [],
    docs: spec.docs,
    adoption: {
      naturalKey: [...(spec.naturalKey ?? (spec.identity.by === "name" ? [spec.identity.field] : []))],
      onDestroy: spec.adoptedDestroy ?? "restore",
      ...(spec.identity.by === "name" && !spec.naturalKey
        ? { note: `\`${spec.identity.field}\` (unique in the menu): the item of that name, whatever its comment` }
        : {}),
      ...(spec.identity.by === "singleton" ? { note: "the menu itself (a singleton), always taken over" } : {}),
      ...(spec.identity.by === "existing"
        ? { note: "always taken over (RouterOS makes these items; create fails when none has the key)" }
        : {}),
    },
    driver: new MenuDriver<I>(spec as unknown as MenuKindSpec<AnyObject, I>, fields),
  };
}

type Op = "create" | "read" | "update" | "delete";

/** What an adopted item was before the take-over: its inputs as observed then (secrets left out). */
interface Adopted {
  original: Record<string, unknown>;
}

interface Found {
  id: string;
  row: Row;
  /** Set when the item is adopted: its comment is the user's verbatim and it carries no identity tag. */
  adopted?: Adopted;
}

/** Where an existing item stands for a create: ours (an interrupted create), adoptable, or someone else's. */
type Located = { kind: "none" } | { kind: "ours" | "adopt" | "taken"; found: Found };

/** The shape of an adoption record, checked when an id is decoded (provider/core/adopted-id.ts). */
const ADOPTED_RECORD = z.looseObject({ original: z.record(z.string(), z.unknown()) });

/** The Pulumi id: the `.id` cache, plus the adoption record for an adopted item (kept in state with the id). */
function encodeId(id: string, adopted?: Adopted): string {
  return adopted ? encodeAdoptedId(id, adopted) : id;
}

/** A value as the preview shows it. */
function shown(v: unknown): string {
  if (v === undefined) return "(unset)";
  return Array.isArray(v) ? v.join(",") : String(v);
}

class MenuDriver<I extends object> implements KindDriver<I> {
  private readonly defaults: Partial<Record<keyof I, unknown>> = {};
  private readonly naturalKey: readonly (keyof I & string)[];
  /** Read-only outputs: every print-only property of the kind's menus, then the kind's own `outputs` names. */
  private readonly outputs: Record<string, string>;

  constructor(
    private readonly spec: MenuKindSpec<AnyObject, I>,
    private readonly fields: readonly (keyof I & string)[],
  ) {
    for (const f of fields) {
      const d = (spec.schema.shape[f] as z.ZodType).safeParse(undefined);
      if (d.success && d.data !== undefined) this.defaults[f] = d.data;
    }
    // Every menu the kind may use: its print-only outputs, and the importer's view below.
    const menus = spec.importMenus ?? (typeof spec.menu === "string" ? [spec.menu] : []);
    const own = new Set(Object.values(spec.outputs ?? {}));
    this.outputs = {
      ...Object.fromEntries(Object.entries(printOnlyOutputs(menus)).filter(([, p]) => !own.has(p))),
      ...spec.outputs,
    };
    for (const reserved of [".id", "adopted", "adoptedOriginal"]) delete this.outputs[reserved];
    this.naturalKey = spec.naturalKey ?? (spec.identity.by === "name" ? [spec.identity.field] : []);
    if (spec.identity.by === "existing" && this.naturalKey.length === 0)
      throw new Error(`kind ${spec.name}: identity "existing" needs a naturalKey`);
    imports.set(this, {
      // Singletons and items RouterOS makes itself are not imported (see the module comment).
      importable: spec.identity.by !== "singleton" && spec.identity.by !== "existing",
      menus,
      nameField: spec.identity.by === "name" ? spec.identity.field : undefined,
      commentField: spec.commentField,
      requires: spec.requires,
      properties: Object.fromEntries(
        fields.filter((f) => f !== spec.commentField).map((f) => [f, this.mapping(f).prop] as const),
      ),
      derivedFields: fields.filter((f) => this.isDerived(f)),
      notInputs: spec.notInputs ?? {},
      outputs: Object.keys(this.outputs).sort(),
      singleton: spec.identity.by === "singleton",
      decode: (row) => this.importInputs(row),
    });
  }

  async create(ctx: OpContext, inputs: I): Promise<{ id: string; observed: Observed<I> }> {
    await this.gate(ctx, "create", inputs);
    const menu = this.menuOf(inputs);
    if (this.spec.identity.by === "singleton") {
      const row = await this.readSingleton(ctx, "create", menu);
      const adopted: Adopted = { original: this.snapshot({ id: "", row }) };
      return this.convergeSingleton(ctx, "create", menu, row, inputs, adopted);
    }
    if (this.spec.identity.by === "existing") {
      const found = await this.findExisting(ctx, "create", menu, inputs);
      if (!found)
        throw deviceOpError(
          ctx,
          "create",
          `${menu} has no item with ${this.describeNaturalKey(inputs)} ` +
            `(this kind configures items RouterOS makes itself and never adds one)`,
        );
      return this.converge(ctx, "create", menu, { ...found, adopted: { original: this.snapshot(found) } }, inputs);
    }
    // With `adopt` the lookup runs first, on its own: untagged items matching the natural key cannot be picked
    // out on the device, and a take-over sends no `add` at all. Otherwise it rides on the add's line (below).
    if (ctx.adopt) {
      const at = await this.locate(ctx, "create", menu, inputs);
      if (at.kind !== "none") return this.createOver(ctx, menu, at, inputs);
    }
    const args = this.fields.flatMap((f) => this.setArgs(ctx, f, inputs[f], true));
    // One exec: the `add` runs only when nothing holds this item's key (its tag, or its name in a named menu),
    // and the read-back follows on the same line.
    const { steps, read } = await this.writeThenRead(
      ctx,
      "create",
      [codec.addUnless(menu, this.keyFilter(ctx, inputs, false), args)],
      { menu, select: this.selector(ctx, inputs) },
      inputs,
      { menu, verb: "add", args, addedComment: this.comment(ctx, inputs) },
    );
    const [added] = steps;
    this.check(ctx, "create", added, inputs);
    const id = added.ok ? added.payload.join("").trim() : "";
    const rows = this.rowsOf(ctx, "create", read);
    if (id === "") {
      // Nothing was added: an item already holds the key.
      const at = this.classify(ctx, "create", rows, inputs);
      if (at.kind === "none")
        throw deviceOpError(
          ctx,
          "create",
          `${menu}/add did not run because an item had ${this.describeKey(inputs)}, but none was there when ` +
            `read back (changed by someone else meanwhile?); run pulumi up again`,
        );
      return this.createOver(ctx, menu, at, inputs);
    }
    const found = this.pick(ctx, "create", rows, inputs, id);
    if (!found) throw deviceOpError(ctx, "create", `${menu}/add returned ${id} but the item cannot be read back`);
    return { id: found.id, observed: this.observe(found, inputs) };
  }

  /**
   * A create that finds an item already holding the key. One that already carries this resource's exact identity
   * tag was made by this stack: a create whose `add` ran but whose reply was lost (connection cut, timeout) leaves
   * it behind while Pulumi's state, having seen the create fail, does not record it. Taking it over is not a
   * takeover of anyone else's object (the identity is `<project>/<stack>/<name>`, unique to this resource), so the
   * retry converges it in place instead of failing forever or adding a duplicate. Anything else needs `adopt`.
   */
  private createOver(
    ctx: OpContext,
    menu: string,
    at: Exclude<Located, { kind: "none" }>,
    inputs: I,
  ): Promise<{ id: string; observed: Observed<I> }> {
    if (at.kind === "ours") return this.converge(ctx, "create", menu, at.found, inputs);
    if (at.kind === "taken") {
      throw deviceOpError(
        ctx,
        "create",
        `${menu} already has ${this.describeKey(inputs)} (${at.found.id}); set adopt: true to take it over`,
      );
    }
    const adopted: Adopted = { original: this.snapshot(at.found) };
    return this.converge(ctx, "create", menu, { ...at.found, adopted }, inputs);
  }

  async read(ctx: OpContext, id: string, last: I): Promise<{ id: string; observed: Observed<I> } | undefined> {
    await this.gate(ctx, "read");
    if (this.spec.identity.by === "singleton") {
      const menu = this.menuOf(last);
      const row = await this.readSingleton(ctx, "read", menu);
      return { id, observed: this.observeSingleton(row, this.singletonRecord(ctx, "read", id), last) };
    }
    const { itemId, adopted } = this.parseId(ctx, "read", id);
    const menu = this.menuOf(last);
    if (this.spec.identity.by === "existing") {
      const found = await this.findExisting(ctx, "read", menu, last);
      const item = found && { ...found, adopted: this.existingRecord(ctx, "read", adopted) };
      return item && { id: encodeId(item.id, item.adopted), observed: this.observe(item, last) };
    }
    const found = adopted
      ? await this.findAdopted(ctx, "read", menu, last, itemId, adopted)
      : await this.find(ctx, "read", menu, last);
    return found && { id: encodeId(found.id, adopted), observed: this.observe(found, last) };
  }

  async update(ctx: OpContext, id: string, olds: I, news: I): Promise<{ id: string; observed: Observed<I> }> {
    await this.gate(ctx, "update", news);
    if (this.spec.identity.by === "singleton") {
      const menu = this.menuOf(news);
      const row = await this.readSingleton(ctx, "update", menu);
      return this.convergeSingleton(ctx, "update", menu, row, news, this.singletonRecord(ctx, "update", id), olds);
    }
    const { itemId, adopted } = this.parseId(ctx, "update", id);
    const oldMenu = this.menuOf(olds);
    const newMenu = this.menuOf(news);
    if (this.spec.identity.by === "existing") {
      const found = await this.findExisting(ctx, "update", oldMenu, olds);
      if (!found) throw deviceOpError(ctx, "update", `the item is gone from ${oldMenu}`);
      const item = { ...found, adopted: this.existingRecord(ctx, "update", adopted) };
      return this.converge(ctx, "update", newMenu, item, news, undefined, olds);
    }
    const found = adopted
      ? await this.findAdopted(ctx, "update", oldMenu, olds, itemId, adopted)
      : await this.find(ctx, "update", oldMenu, olds);
    if (!found) throw deviceOpError(ctx, "update", `the item is gone from ${oldMenu} (refresh to recreate it)`);
    if (oldMenu !== newMenu) {
      // Moving would remove an item that existed before routerstack: never done to an adopted one.
      if (adopted)
        throw deviceOpError(
          ctx,
          "update",
          `an adopted item cannot move from ${oldMenu} to ${newMenu}; declare a new resource instead`,
        );
      // A kind spanning menus (IPv4 → IPv6 route) cannot move an item: remove it, then add on the new menu.
      await this.removeFound(ctx, "update", oldMenu, found, olds);
      return this.create({ ...ctx, adopt: false }, news);
    }
    return this.converge(ctx, "update", newMenu, found, news, undefined, olds);
  }

  async delete(ctx: OpContext, id: string, last: I): Promise<void> {
    await this.gate(ctx, "delete");
    if (this.spec.identity.by === "singleton") {
      // Put back what the menu had before the first write; secrets were never recorded and stay as they are.
      const adopted = this.singletonRecord(ctx, "delete", id);
      const menu = this.menuOf(last);
      const row = await this.readSingleton(ctx, "delete", menu);
      // Secrets were never recorded and stay as they are; so does a field that had no value to record (a
      // singleton has no `unset`, see convergeSingleton).
      const untouched = new Set<string>(this.spec.secrets ?? []);
      await this.convergeSingleton(ctx, "delete", menu, row, adopted.original as I, adopted, undefined, untouched);
      return;
    }
    const { itemId, adopted } = this.parseId(ctx, "delete", id);
    const menu = this.menuOf(last);
    if (this.spec.identity.by === "existing") {
      // Put the recorded values back; the item is RouterOS's own and stays. Secrets were never recorded.
      const record = this.existingRecord(ctx, "delete", adopted);
      const found = await this.findExisting(ctx, "delete", menu, last);
      if (found)
        await this.converge(
          ctx,
          "delete",
          menu,
          { ...found, adopted: record },
          record.original as I,
          // A property that had no value is unset again; a device-owned one left out stays as it is.
          new Set(this.spec.secrets ?? []),
        );
      return;
    }
    if (adopted) {
      if (this.spec.adoptedDestroy === "leave") return;
      const found = await this.findAdopted(ctx, "delete", menu, last, itemId, adopted);
      // Secrets were never recorded: restoring leaves them as they are.
      if (found)
        await this.converge(ctx, "delete", menu, found, adopted.original as I, new Set(this.spec.secrets ?? []));
      return;
    }
    if (await guardMayArm(ctx, menu)) {
      // The guard judges a removal by the item as it is before, so that needs its own read first.
      const found = await this.find(ctx, "delete", menu, last);
      if (found) await this.removeFound(ctx, "delete", menu, found, last);
      return;
    }
    // One exec: the item is removed only when exactly one carries this resource's identity, and the check that
    // it is gone follows on the same line. Several are reported by the check and none removed, as by a lookup first.
    await this.removeVerified(
      ctx,
      "delete",
      menu,
      last,
      codec.removeIfOne(menu, this.keyFilter(ctx, last, true)),
      undefined,
    );
  }

  async preview(ctx: OpContext, inputs: I): Promise<AdoptionPreview> {
    await this.gate(ctx, "read");
    const menu = this.menuOf(inputs);
    let found: Found;
    if (this.spec.identity.by === "singleton") {
      found = { id: `singleton:${menu}`, row: await this.readSingleton(ctx, "read", menu), adopted: { original: {} } };
    } else if (this.spec.identity.by === "existing") {
      const existing = await this.findExisting(ctx, "read", menu, inputs);
      if (!existing) return { found: false, changes: {} };
      found = { ...existing, adopted: { original: {} } };
    } else {
      const at = await this.locate(ctx, "read", menu, inputs);
      if (at.kind === "none") return { found: false, changes: {} };
      found = at.kind === "ours" ? at.found : { ...at.found, adopted: { original: {} } };
    }
    const have = this.observe(found, inputs).inputs as Record<string, unknown>;
    const changes: Record<string, string> = {};
    const secrets = new Set<string>(this.spec.secrets ?? []);
    for (const f of this.fields) {
      const want = (inputs as Record<string, unknown>)[f];
      if (sameValue(have[f], want)) continue;
      // Left out and so the device's own: not a change.
      if (want === undefined && (this.spec.deviceOwnedWhenUnset ?? []).includes(f)) continue;
      // A secret's value never goes into the preview; whether it differs (or cannot be read) is enough.
      changes[f] = secrets.has(f)
        ? `${have[f] === undefined ? "(not readable)" : "(secret)"} → (secret)`
        : `${shown(have[f])} → ${shown(want)}`;
    }
    return { found: found.id, changes };
  }

  /**
   * Sets what differs between the item as found and `want` (unsetting removed inputs, skipping `untouched`), then
   * reads it back. A secret the device masks (7.21+ reads, routeros-cli.md §7) cannot be compared: it is written
   * when it is new (create/adopt) or changed since `olds`, not on every update — rewriting a PPPoE password for an
   * unrelated change would be a needless write.
   */
  private async converge(
    ctx: OpContext,
    op: Op,
    menu: string,
    found: Found,
    want: I,
    untouched: ReadonlySet<string> = new Set(),
    olds?: I,
  ) {
    const have = this.observe(found, want).inputs as Record<string, unknown>;
    const args: Arg[] = [];
    for (const f of this.fields) {
      if (untouched.has(f)) continue;
      if (f === this.spec.commentField) {
        // An adopted item keeps the user's comment verbatim: tagging it would be a write nobody declared.
        const comment = found.adopted ? ((want[f] as string | undefined) ?? "") : this.comment(ctx, want);
        if ((textValue(found.row.comment) ?? "") !== comment)
          args.push({ kind: "value", prop: "comment", value: comment });
      } else if (want[f] === undefined && (this.spec.deviceOwnedWhenUnset ?? []).includes(f)) {
        continue;
      } else if (want[f] === undefined && this.isDerived(f)) {
        // Left out, a derived property is the device's own; declared before and now removed, it is unset.
        if (olds !== undefined && olds[f] !== undefined) args.push(...this.setArgs(ctx, f, undefined, false));
      } else if (!sameValue(have[f], want[f])) {
        const masked = have[f] === undefined && (this.spec.secrets ?? []).includes(f);
        if (masked && olds !== undefined && sameValue(olds[f], want[f])) continue;
        args.push(...this.setArgs(ctx, f, want[f], false));
      }
    }
    if (args.length === 0) return { id: encodeId(found.id, found.adopted), observed: this.observe(found, want) };
    // The read-back rides on the set's line: one exec for both.
    const { steps, read } = await this.writeThenRead(
      ctx,
      op,
      [codec.set(menu, found.id, args)],
      { menu, select: { by: "id", id: found.id } },
      want,
      { menu, verb: "set", before: found.row, args },
    );
    this.check(ctx, op, steps[0], want);
    const rows = this.rowsOf(ctx, op, read);
    const after = found.adopted
      ? this.only(
          ctx,
          op,
          rows.filter((r) => textValue(r[".id"]) === found.id),
        )
      : this.pick(ctx, op, rows, want, found.id);
    if (!after) throw deviceOpError(ctx, op, `${found.id} disappeared from ${menu} while it was being set`);
    const item = { ...after, adopted: found.adopted };
    return { id: encodeId(item.id, item.adopted), observed: this.observe(item, want) };
  }

  /**
   * Sets what differs between the singleton as found and `want` (skipping `untouched`), then reads it back. The
   * id is `singleton:<menu>` with the adoption record (the values before the first write).
   */
  private async convergeSingleton(
    ctx: OpContext,
    op: Op,
    menu: string,
    row: Row,
    want: I,
    adopted: Adopted,
    olds?: I,
    untouched: ReadonlySet<string> = new Set(),
  ): Promise<{ id: string; observed: Observed<I> }> {
    const id = encodeId(`singleton:${menu}`, adopted);
    const w = want as Record<string, unknown>;
    const o = (olds ?? {}) as Record<string, unknown>;
    // Destroy restores every field; otherwise a field counts when declared now or before (a derived field left
    // out is the device's own). A field declared before and left out now goes back to its recorded value.
    const restoring = op === "delete";
    const counted = this.fields.filter((f) => restoring || w[f] !== undefined || o[f] !== undefined);
    const declared = Object.fromEntries(counted.map((f) => [f, true])) as I;
    const target: Record<string, unknown> = { ...w };
    for (const f of counted) if (w[f] === undefined && o[f] !== undefined) target[f] = adopted.original[f];
    const have = this.observeSingleton(row, adopted, declared).inputs as Record<string, unknown>;
    const args: Arg[] = [];
    for (const f of counted) {
      if (untouched.has(f) || sameValue(have[f], target[f])) continue;
      // Singleton menus have no `unset` (RouterOS's /console/inspect lists none for /ip/dns or /system/identity,
      // and the `!prop` spelling needs it): a value nothing recorded stays as the device has it.
      if (target[f] === undefined) continue;
      const masked = have[f] === undefined && (this.spec.secrets ?? []).includes(f);
      if (masked && olds !== undefined && sameValue(olds[f], want[f])) continue;
      args.push(...this.setArgs(ctx, f, target[f], false));
    }
    if (args.length === 0) return { id, observed: this.observeSingleton(row, adopted, want) };
    const [set] = await this.write(ctx, op, [codec.setSingleton(menu, args)], want);
    this.check(ctx, op, set, want);
    return { id, observed: this.observeSingleton(await this.readSingleton(ctx, op, menu), adopted, want) };
  }

  /**
   * The item RouterOS made itself that `inputs` names by natural key (`default-name`, a service `name`), among all
   * the menu's items (named menus: read by name). Several is an error.
   */
  private async findExisting(ctx: OpContext, op: Op, menu: string, inputs: I): Promise<Found | undefined> {
    const byName = this.naturalKey.length === 1 && this.mapping(this.naturalKey[0]).prop === "name";
    const select: Selector = byName
      ? { by: "name", name: String((inputs as Record<string, unknown>)[this.naturalKey[0]]) }
      : { by: "all" };
    const rows = (await this.readRows(ctx, op, menu, select)).filter((r) => this.keyMatches(r, inputs));
    return this.only(ctx, op, rows);
  }

  /** The record of an "existing" item's id; an id without one cannot restore anything, so it is refused. */
  private existingRecord(ctx: OpContext, op: Op, adopted: Adopted | undefined): Adopted {
    if (!adopted) throw deviceOpError(ctx, op, "the resource id carries no record of the item's values");
    return adopted;
  }

  /** A singleton's inputs and outputs (no `.id`: the menu has none). */
  private observeSingleton(row: Row, adopted: Adopted, declared?: I): Observed<I> {
    const { inputs, outputs } = this.observe({ id: "", row }, declared);
    delete outputs[".id"];
    return { inputs, outputs: { ...outputs, adoptedOriginal: adopted.original } };
  }

  /** The adoption record of a singleton's id (`singleton:<menu>#adopted=<record>`). */
  private singletonRecord(ctx: OpContext, op: Op, id: string): Adopted {
    const parsed = decodeAdoptedIdFor(ctx, op, id, ADOPTED_RECORD);
    if (!parsed.base.startsWith("singleton:") || !parsed.record)
      throw deviceOpError(ctx, op, "the resource id is not a singleton:<menu> id with its record");
    return parsed.record;
  }

  /** The one item of a singleton menu (`print` without `where`). */
  private readSingleton(ctx: OpContext, op: Op, menu: string): Promise<Row> {
    return readSingleton(ctx, op, menu, (r) => this.check(ctx, op, r));
  }

  /**
   * What a create finds: an item tagged with this identity (or, in a named menu, of this name), else with
   * `adopt` an untagged item matching the natural key. No writes.
   */
  private async locate(ctx: OpContext, op: Op, menu: string, inputs: I): Promise<Located> {
    const at = this.classify(ctx, op, await this.readRows(ctx, op, menu, this.selector(ctx, inputs)), inputs);
    if (at.kind !== "none" || this.nameOf(inputs) !== undefined) return at;
    if (!ctx.adopt || this.naturalKey.length === 0) return { kind: "none" };
    const matching = (await this.readRows(ctx, op, menu, { by: "untagged" })).filter((r) => this.keyMatches(r, inputs));
    if (matching.length > 1) {
      const ids = matching.map((r) => textValue(r[".id"])).join(", ");
      throw deviceOpError(
        ctx,
        op,
        `adopt: ${matching.length} items of ${menu} match the natural key ` +
          `${this.describeNaturalKey(inputs)} (${ids}); remove the duplicates or declare the item more precisely`,
      );
    }
    const found = this.only(ctx, op, matching);
    return found ? { kind: "adopt", found } : { kind: "none" };
  }

  /** What rows read by `selector` hold for a create: this resource's item, one to adopt, one taken, or none. */
  private classify(ctx: OpContext, op: Op, rows: Row[], inputs: I): Located {
    const name = this.nameOf(inputs);
    if (name === undefined) {
      const tagged = this.pick(ctx, op, rows, inputs);
      return tagged ? { kind: "ours", found: tagged } : { kind: "none" };
    }
    const found = this.only(
      ctx,
      op,
      rows.filter((r) => textValue(r.name) === name),
    );
    if (!found) return { kind: "none" };
    if (decodeTag(textValue(found.row.comment))?.identity === ctx.identity) return { kind: "ours", found };
    return { kind: ctx.adopt ? "adopt" : "taken", found };
  }

  /**
   * The device-side `where` of the items holding this resource's key: its exact tag, or in a named menu its name
   * (any item of that name: `add` would fail on it) — and with `ours`, only such an item carrying its tag.
   */
  private keyFilter(ctx: OpContext, inputs: I, ours: boolean): codec.Where {
    const name = this.nameOf(inputs);
    const tag = exactTagFilter(ctx.identity);
    if (name === undefined) return tag;
    const named: codec.Where = { op: "eq", prop: "name", value: name };
    return ours ? { op: "and", terms: [named, tag] } : named;
  }

  /**
   * An adopted item: the untagged item (any item, in a named menu) matching the natural key of the last known
   * inputs; the cached `.id` breaks ties and still finds it after an out-of-band change of a key property, as
   * long as ids have not been renumbered (routeros-cli.md §2.4).
   */
  private async findAdopted(
    ctx: OpContext,
    op: Op,
    menu: string,
    last: I,
    cachedId: string,
    adopted: Adopted,
  ): Promise<Found | undefined> {
    const name = this.nameOf(last);
    const rows = await this.readRows(ctx, op, menu, name !== undefined ? { by: "name", name } : { by: "untagged" });
    const keyed = rows.filter((r) => (name === undefined || textValue(r.name) === name) && this.keyMatches(r, last));
    const hit = keyed.length > 1 ? keyed.filter((r) => textValue(r[".id"]) === cachedId) : keyed;
    if (hit.length !== 1 && keyed.length > 1) {
      const ids = keyed.map((r) => textValue(r[".id"])).join(", ");
      throw deviceOpError(
        ctx,
        op,
        `${keyed.length} items of ${menu} match the adopted item's natural key (${ids}); remove the duplicates`,
      );
    }
    let found = this.only(ctx, op, hit);
    if (!found) {
      const byId = (await this.readRows(ctx, op, menu, { by: "id", id: cachedId })).filter(
        (r) => decodeTag(textValue(r.comment)) === undefined,
      );
      found = this.only(ctx, op, byId);
    }
    return found && { ...found, adopted };
  }

  /** The id part of a Pulumi id, checked before it reaches a command line, and the adoption record if any. */
  private parseId(ctx: OpContext, op: Op, id: string): { itemId: string; adopted?: Adopted } {
    const { base, record } = decodeAdoptedIdFor(ctx, op, id, ADOPTED_RECORD);
    if (record && !codec.isItemId(base))
      throw deviceOpError(ctx, op, "the resource id does not start with a RouterOS .id");
    return { itemId: base, adopted: record };
  }

  /** Whether a row's natural-key properties equal the inputs' (decoded and normalised like `check`). */
  private keyMatches(row: Row, inputs: I): boolean {
    const have = this.observe({ id: "", row, adopted: { original: {} } }).inputs as Record<string, unknown>;
    return this.naturalKey.every((k) => sameValue(have[k], (inputs as Record<string, unknown>)[k]));
  }

  /** The adopted item's inputs before the take-over, without secrets (they never go into state in plain). */
  private snapshot(found: Found): Record<string, unknown> {
    // Every field, derived ones too, so destroy can put back whatever a declared property changed.
    const everything = Object.fromEntries(this.fields.map((f) => [f, true])) as I;
    const observed = this.observe({ ...found, adopted: { original: {} } }, everything);
    const inputs = { ...(observed.inputs as Record<string, unknown>) };
    for (const f of this.spec.secrets ?? []) delete inputs[f];
    return inputs;
  }

  /** The one row of `rows`, or undefined; several is an error. */
  private only(ctx: OpContext, op: Op, rows: Row[]): Found | undefined {
    if (rows.length > 1) {
      const ids = rows.map((r) => textValue(r[".id"])).join(", ");
      throw deviceOpError(ctx, op, `${rows.length} items match (${ids}); remove the duplicates`);
    }
    if (rows.length === 0) return undefined;
    const rid = textValue(rows[0][".id"]) ?? "";
    if (!codec.isItemId(rid)) throw deviceOpError(ctx, op, "device returned an item without a valid .id");
    return { id: rid, row: rows[0] };
  }

  /**
   * Runs `remove` (removing `found`, or the item `codec.removeIfOne` picks on the device) with the check that the
   * item is gone on the same line: one exec for both.
   */
  private async removeVerified(
    ctx: OpContext,
    op: Op,
    menu: string,
    inputs: I,
    remove: Command,
    change: Omit<GuardedChange, "props" | "secretProps"> | undefined,
  ): Promise<void> {
    const { steps, read } = await this.writeThenRead(
      ctx,
      op,
      [remove],
      { menu, select: this.selector(ctx, inputs) },
      undefined,
      change,
    );
    const [removed] = steps;
    this.check(ctx, op, removed);
    const left = this.pick(ctx, op, this.rowsOf(ctx, op, read), inputs);
    if (left) throw deviceOpError(ctx, op, `${menu} still has the item (${left.id}) after remove`);
  }

  /** Removes the item found (by its `.id`, judged by the lock-out guard as it was) and checks it is gone. */
  private removeFound(ctx: OpContext, op: Op, menu: string, found: Found, inputs: I): Promise<void> {
    return this.removeVerified(ctx, op, menu, inputs, codec.remove(menu, found.id), {
      menu,
      verb: "remove",
      before: found.row,
    });
  }

  /** Arguments that put field `f` to `v`; on add, unset values and cleared flags are simply left out. */
  private setArgs(ctx: OpContext, f: keyof I & string, v: unknown, adding: boolean): Arg[] {
    if (f === this.spec.commentField)
      return [{ kind: "value", prop: "comment", value: this.comment(ctx, { [f]: v } as I) }];
    const m = this.mapping(f);
    if (v === undefined) return adding ? [] : [m.type.clear(m.prop)];
    const arg = m.type.encode(m.prop, v);
    return adding && arg.kind === "flag" && !arg.on ? [] : [arg];
  }

  private mapping(f: keyof I & string): PropMapping<unknown> {
    return (this.spec.props as Record<string, PropMapping<unknown>>)[f];
  }

  /** A catalogue-derived field: the device's own while it is not declared (PropMapping.deviceWhenUnset). */
  private isDerived(f: keyof I & string): boolean {
    return f !== this.spec.commentField && this.mapping(f).deviceWhenUnset === true;
  }

  private comment(ctx: OpContext, inputs: I): string {
    const user =
      this.spec.commentField === undefined ? undefined : (inputs[this.spec.commentField] as string | undefined);
    return encodeTag({ identity: ctx.identity, userComment: user });
  }

  private menuOf(inputs: I): string {
    return typeof this.spec.menu === "string" ? this.spec.menu : this.spec.menu(inputs);
  }

  private nameOf(inputs: I): string | undefined {
    return this.spec.identity.by === "name" ? (inputs[this.spec.identity.field] as string) : undefined;
  }

  private describeNaturalKey(inputs: I): string {
    return this.naturalKey
      .map((k) => `${this.mapping(k).prop}=${shown((inputs as Record<string, unknown>)[k])}`)
      .join(" ");
  }

  private describeKey(inputs: I): string {
    const name = this.nameOf(inputs);
    return name === undefined ? `an item tagged with this identity` : `an item named ${JSON.stringify(name)}`;
  }

  /** The rows that can be this resource's item: those carrying its tag, or (named menus) its name. */
  private selector(ctx: OpContext, inputs: I): Selector {
    const name = this.nameOf(inputs);
    return name === undefined ? { by: "tag", identity: ctx.identity } : { by: "name", name };
  }

  /** Finds our item: exactly one row, or undefined; several rows with our identity is an error. */
  private async find(ctx: OpContext, op: Op, menu: string, inputs: I): Promise<Found | undefined> {
    return this.pick(ctx, op, await this.readRows(ctx, op, menu, this.selector(ctx, inputs)), inputs);
  }

  private pick(ctx: OpContext, op: Op, rows: Row[], inputs: I, id?: string): Found | undefined {
    const name = this.nameOf(inputs);
    const ours = rows.filter((r) => {
      if (name !== undefined && textValue(r.name) !== name) return false;
      return decodeTag(textValue(r.comment))?.identity === ctx.identity;
    });
    const hit = id ? ours.filter((r) => r[".id"] === id) : ours;
    const rowsToUse = hit.length > 0 ? hit : ours;
    if (rowsToUse.length > 1) {
      const ids = rowsToUse.map((r) => textValue(r[".id"])).join(", ");
      throw deviceOpError(ctx, op, `${rowsToUse.length} items carry this identity (${ids}); remove the duplicates`);
    }
    if (rowsToUse.length === 0) return undefined;
    const rid = textValue(rowsToUse[0][".id"]) ?? "";
    if (!codec.isItemId(rid)) throw deviceOpError(ctx, op, "device returned an item without a valid .id");
    return { id: rid, row: rowsToUse[0] };
  }

  /** See MenuImport.decode. */
  importInputs(row: Row): Record<string, unknown> {
    const inputs = this.observe({ id: textValue(row[".id"]) ?? "", row }).inputs as Record<string, unknown>;
    const comment = textValue(row.comment);
    const user =
      comment === undefined || comment === ""
        ? undefined
        : decodeTag(comment)
          ? decodeTag(comment)!.userComment
          : comment;
    if (this.spec.commentField !== undefined) {
      if (user === undefined) delete inputs[this.spec.commentField];
      else inputs[this.spec.commentField] = user;
    }
    for (const f of this.fields) if (f in this.defaults && sameValue(inputs[f], this.defaults[f])) delete inputs[f];
    return inputs;
  }

  /**
   * Decodes a row into the inputs `check` would produce for it, plus read-only outputs. A derived field is
   * reported only when `declared` sets it, and a `deviceOwnedWhenUnset` field only when `declared` sets it or no
   * `declared` is given (left out, the value is the device's own and no drift).
   */
  private observe(found: Found, declared?: I): Observed<I> {
    const inputs: Record<string, unknown> = {};
    for (const f of this.fields) {
      if (this.isDerived(f) && (declared === undefined || declared[f] === undefined)) continue;
      let v: unknown;
      if (f === this.spec.commentField) {
        const comment = textValue(found.row.comment);
        v = found.adopted ? (comment === "" ? undefined : comment) : decodeTag(comment)?.userComment;
      } else {
        const m = this.mapping(f);
        const raw = found.row[m.prop];
        // A secret masked as text (`*****`) rather than left out is masked all the same (routeros-cli.md §0 item
        // 10, §9 item 5: which of the two 7.21+ does is [I]); it is never the value, so never drift.
        if ((this.spec.secrets ?? []).includes(f) && isMaskedSecret(raw)) continue;
        v = m.type.decode(raw);
        // A value the decoder does not understand is kept as text so it shows as drift instead of hiding.
        if (v === undefined && raw !== undefined) v = textValue(raw);
      }
      if (v === undefined) v = this.defaults[f];
      // Left out by the resource and so the device's own ("existing" kinds): not an input, never drift.
      const owned = declared !== undefined && declared[f] === undefined;
      if (owned && (this.spec.deviceOwnedWhenUnset ?? []).includes(f)) continue;
      if (v !== undefined) inputs[f] = v;
    }
    const outputs: Record<string, unknown> = { ".id": found.id };
    if (found.adopted) Object.assign(outputs, { adopted: true, adoptedOriginal: found.adopted.original });
    for (const [out, p] of Object.entries(this.outputs)) {
      if (found.row[p] !== undefined) outputs[out] = found.row[p];
    }
    return { inputs: inputs as I, outputs };
  }

  private async gate(ctx: OpContext, op: Op, inputs?: I): Promise<void> {
    if (!isIdentity(ctx.identity)) {
      throw deviceOpError(ctx, op, `identity ${JSON.stringify(ctx.identity)} is not <project>/<stack>/<name>`);
    }
    try {
      const v = await deviceVersion(ctx.transport, ctx.device);
      this.spec.requires?.(v, ctx.device, inputs);
      if (inputs && (op === "create" || op === "update")) this.requireCatalogued(v, ctx.device, op, inputs);
    } catch (e) {
      throw deviceOpError(ctx, op, (e as Error).message, (e as DeviceError).deviceMessage);
    }
  }

  /**
   * Refuses, before any write, a declared property the connected version's `add` (create) or `set` (update) lacks
   * on the item's menu, per RouterOS's own catalogue (catalogue.ts; skipped for a menu it does not hold). Fields
   * at their device default are not declared values and pass.
   */
  private requireCatalogued(v: RouterOsVersion, device: string, op: Op, inputs: I): void {
    const menu = this.menuOf(inputs);
    // Singletons and items RouterOS makes itself are only ever `set`, creating too.
    const inPlace = this.spec.identity.by === "singleton" || this.spec.identity.by === "existing";
    const known = catalogueProperties(menu, op === "create" && !inPlace ? "add" : "set", v);
    if (!known) return;
    for (const f of this.fields) {
      const value = (inputs as Record<string, unknown>)[f];
      if (value === undefined || (f in this.defaults && sameValue(value, this.defaults[f]))) continue;
      // An "existing" item's natural key (`default-name`, a service's `name`) selects the item; it is never written.
      if (this.spec.identity.by === "existing" && this.naturalKey.includes(f)) continue;
      // The comment carries the identity tag and `place-before` is a command argument: the kind's own business.
      if (f === this.spec.commentField) continue;
      const p = this.mapping(f).prop;
      if (known.has(p) || COMMAND_ARGS.has(p)) continue;
      throw new DeviceError(
        `${f}: device "${device}" runs RouterOS ${v.text}, whose ${menu} has no property ${p} ` +
          `(RouterOS ${catalogueVersionFor(v)} console schema, docs/reference/routeros-schema.md); leave ${f} out`,
      );
    }
  }

  /**
   * Runs one job of changes through the device's write batch (batcher.ts); one result per command. A `change`
   * that can cut the management path runs under the lock-out guard (lockout-guard.ts).
   */
  private async write(
    ctx: OpContext,
    op: Op,
    commands: Command[],
    inputs?: I,
    change?: Omit<GuardedChange, "props" | "secretProps">,
    run: () => Promise<StepResult[]> = () => batcherFor(ctx.transport).write(commands, this.secretValues(inputs)),
  ): Promise<StepResult[]> {
    try {
      if (!change) return await run();
      const props = this.spec.props as GuardedChange["props"];
      const secretProps = (this.spec.secrets ?? []).map((f) => this.mapping(f).prop);
      return await withLockoutGuard(ctx, { ...change, props, secretProps }, run);
    } catch (e) {
      if (e instanceof LockoutRevertedError) throw e;
      throw deviceOpError(ctx, op, (e as Error).message);
    }
  }

  /**
   * `write`, with `then` read on the same line after the changes (batcher.ts `writeThenRead`): the read sees
   * them, and both cost one exec.
   */
  private async writeThenRead(
    ctx: OpContext,
    op: Op,
    commands: Command[],
    then: ReadRequest,
    inputs: I | undefined,
    change: Omit<GuardedChange, "props" | "secretProps"> | undefined,
  ): Promise<{ steps: StepResult[]; read: ReadResult }> {
    let read: ReadResult | undefined;
    const steps = await this.write(ctx, op, commands, inputs, change, async () => {
      const r = await batcherFor(ctx.transport).writeThenRead(commands, this.secretValues(inputs), then);
      read = r.read;
      return r.steps;
    });
    return { steps, read: read! };
  }

  /** Rows of `menu` the selector picks, through the device's read batch (batcher.ts). */
  private async readRows(ctx: OpContext, op: Op, menu: string, select: Selector): Promise<Row[]> {
    let r: ReadResult;
    try {
      r = await batcherFor(ctx.transport).read(menu, select);
    } catch (e) {
      throw deviceOpError(ctx, op, (e as Error).message);
    }
    return this.rowsOf(ctx, op, r);
  }

  /** The rows of a read, or the DeviceError its failure makes. */
  private rowsOf(ctx: OpContext, op: Op, r: ReadResult): Row[] {
    if (!r.ok) this.check(ctx, op, r);
    return r.ok ? r.rows : [];
  }

  /** Secret input values, handed to the transport so its command log redacts them. */
  private secretValues(inputs?: I): string[] {
    if (!inputs) return [];
    return (this.spec.secrets ?? [])
      .map((f) => inputs[f])
      .filter((v): v is NonNullable<typeof v> & string => typeof v === "string" && v !== "");
  }

  private check(ctx: OpContext, op: Op, r: StepResult | ReadResult, inputs?: I): void {
    if (r.ok) return;
    const what =
      r.kind === "parse"
        ? "RouterOS rejected the command"
        : r.kind === "runtime"
          ? "RouterOS error"
          : "unreadable device output";
    // A parse error may quote the command back; secrets never go into an error.
    const message = this.secretValues(inputs).reduce((m, secret) => m.split(secret).join("***"), r.message);
    throw deviceOpError(ctx, op, `${what}: ${message}`, message);
  }
}

/** Structural equality of decoded values (scalars and string lists). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
