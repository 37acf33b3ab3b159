/**
 * The generic RouterOS menu engine: turns a kind's data description (menu, identity, property mapping) into a
 * KindDriver doing create/read/update/delete over the exec envelope.
 *
 * Identity (DESIGN "Device rules"):
 * - `{ by: "comment" }`: the item is found by the tag in its `comment` (identity-tag.ts grammar);
 * - `{ by: "name", field }`: menus with unique names (BGP instance/connection); found by `name`, and the item is
 *   ours only when its comment carries our identity tag too (another stack's item of the same name is not ours).
 * `.id` is only a cache: it is the Pulumi id returned, and every read/update/delete resolves the item again from
 * its identity (ids change on remove+add and possibly on reboot, routeros-cli.md §2.4).
 *
 * Defaults: an input's device default is the default of its zod field (`.default(1)`), so a property the device
 * leaves out or reports as `null` reads back as that default and an unset input never shows a perpetual diff.
 */
import type { z } from "zod";
import { DeviceError, type KindDriver, type Observed, type OpContext, type ResourceKind } from "../resources/kind";
import * as codec from "./codec";
import type { Arg, Command } from "./codec";
import { batcherFor, type ReadResult, type Selector } from "./batcher";
import type { StepResult } from "./envelope";
import { decodeTag, encodeTag, isIdentity } from "./identity-tag";
import type { PropMapping } from "./property-types";
import { textValue, type Row } from "./read";
import { deviceVersion, type RouterOsVersion } from "./version";

type AnyObject = z.ZodObject<any, any>;

/** The mapping type of a field: string enums and enum lists map like plain text and text lists. */
type PropFor<T> = [T] extends [string] ? PropMapping<string> : [T] extends [readonly string[]] ? PropMapping<string[]> : PropMapping<T>;

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
  identity: { by: "comment" } | { by: "name"; field: keyof I & string };
  /** Input field holding the user's own comment; stored next to the identity tag in `comment`. */
  commentField: keyof I & string;
  /** Every other input field → its RouterOS property. */
  props: { [K in keyof I]?: PropFor<NonNullable<I[K]>> };
  /** Read-only outputs: output name → RouterOS property (e.g. `{ active: "active" }`). */
  outputs?: Record<string, string>;
  replaceOn: readonly (keyof I & string)[];
  deleteBeforeReplace: boolean;
  secrets?: readonly (keyof I & string)[];
  /**
   * Version gate, called with the probed version before any operation; throws DeviceError. On create and update
   * it also gets the inputs, for fields that exist only in some versions (BGP `routerId` before 7.20).
   */
  requires?: (v: RouterOsVersion, device: string, inputs?: I) => void;
  /**
   * Named items every device has and RouterOS refuses to remove (the built-in PPP profiles): name → their
   * factory settings, as raw inputs including the name. Like any existing item they are taken over only with `adopt`; on delete
   * they are set back to those settings and lose the identity tag instead of being removed.
   */
  builtins?: Record<string, Record<string, unknown>>;
  /** Every menu the kind may use, for the importer; needed only when `menu` is a function. */
  importMenus?: readonly string[];
}

/** What the importer (provider/import) needs of a kind built by `routerosKind`. */
export interface MenuImport {
  /** Menus holding the kind's items. */
  menus: readonly string[];
  /** Input field that is the item's unique name, when the menu is keyed by name. */
  nameField?: string;
  commentField: string;
  /** The kind's version gate (`requires`); throws DeviceError when the version lacks the kind. */
  requires?: (v: RouterOsVersion, device: string) => void;
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
    driver: new MenuDriver<I>(spec as unknown as MenuKindSpec<AnyObject, I>, fields),
  };
}

type Op = "create" | "read" | "update" | "delete";

interface Found {
  id: string;
  row: Row;
}

class MenuDriver<I extends object> implements KindDriver<I> {
  private readonly defaults: Partial<Record<keyof I, unknown>> = {};

  constructor(
    private readonly spec: MenuKindSpec<AnyObject, I>,
    private readonly fields: readonly (keyof I & string)[],
  ) {
    for (const f of fields) {
      const d = (spec.schema.shape[f] as z.ZodType).safeParse(undefined);
      if (d.success && d.data !== undefined) this.defaults[f] = d.data;
    }
    imports.set(this, {
      menus: spec.importMenus ?? (typeof spec.menu === "string" ? [spec.menu] : []),
      nameField: spec.identity.by === "name" ? spec.identity.field : undefined,
      commentField: spec.commentField,
      requires: spec.requires,
      decode: (row) => this.importInputs(row),
    });
  }

  async create(ctx: OpContext, inputs: I): Promise<{ id: string; observed: Observed<I> }> {
    await this.gate(ctx, "create", inputs);
    const menu = this.menuOf(inputs);
    const existing = await this.find(ctx, "create", menu, inputs);
    if (existing) {
      // An item that already carries this resource's exact identity tag was made by this stack: a create whose
      // `add` ran but whose reply was lost (connection cut, timeout) leaves it behind while Pulumi's state, having
      // seen the create fail, does not record it. Taking it over is not a takeover of anyone else's object (the
      // identity is `<project>/<stack>/<name>`, unique to this resource), so the retry converges it in place
      // instead of failing forever or adding a duplicate. Anything else with the same key still needs `adopt`.
      const ours = decodeTag(textValue(existing.row.comment))?.identity === ctx.identity;
      if (!ctx.adopt && !ours) {
        throw new DeviceError(
          `${ctx.label}: create failed: ${menu} already has ${this.describeKey(inputs)} (${existing.id}); ` +
            `set adopt: true to take it over`,
        );
      }
      return this.converge(ctx, "create", menu, existing, inputs);
    }
    const args = this.fields.flatMap((f) => this.setArgs(ctx, f, inputs[f], true));
    const [added] = await this.write(ctx, "create", [codec.add(menu, args)], inputs);
    this.check(ctx, "create", added, inputs);
    const id = added.ok ? added.payload.join("").trim() : "";
    const found = this.pick(ctx, "create", await this.readRows(ctx, "create", menu, this.selector(ctx, inputs)), inputs, id);
    if (!found) throw new DeviceError(`${ctx.label}: create failed: ${menu}/add returned ${id || "nothing"} but the item cannot be read back`);
    return { id: found.id, observed: this.observe(found) };
  }

  async read(ctx: OpContext, _id: string, last: I): Promise<{ id: string; observed: Observed<I> } | undefined> {
    await this.gate(ctx, "read");
    const found = await this.find(ctx, "read", this.menuOf(last), last);
    return found && { id: found.id, observed: this.observe(found) };
  }

  async update(ctx: OpContext, _id: string, olds: I, news: I): Promise<{ id: string; observed: Observed<I> }> {
    await this.gate(ctx, "update", news);
    const oldMenu = this.menuOf(olds);
    const newMenu = this.menuOf(news);
    const found = await this.find(ctx, "update", oldMenu, olds);
    if (!found) throw new DeviceError(`${ctx.label}: update failed: the item is gone from ${oldMenu} (refresh to recreate it)`);
    if (oldMenu !== newMenu) {
      // A kind spanning menus (IPv4 → IPv6 route) cannot move an item: remove it, then add on the new menu.
      await this.removeVerified(ctx, "update", oldMenu, found, olds);
      return this.create({ ...ctx, adopt: false }, news);
    }
    return this.converge(ctx, "update", newMenu, found, news, olds);
  }

  async delete(ctx: OpContext, _id: string, last: I): Promise<void> {
    await this.gate(ctx, "delete");
    const menu = this.menuOf(last);
    const found = await this.find(ctx, "delete", menu, last);
    if (!found) return;
    const name = this.nameOf(last);
    const factory = name === undefined ? undefined : this.spec.builtins?.[name];
    if (factory) await this.restoreBuiltin(ctx, menu, found, this.spec.schema.parse(factory) as I);
    else await this.removeVerified(ctx, "delete", menu, found, last);
  }

  /** Puts a built-in item back to its factory settings and drops our tag (it was originally untagged [I]). */
  private async restoreBuiltin(ctx: OpContext, menu: string, found: Found, factory: I): Promise<void> {
    const have = this.observe(found).inputs as Record<string, unknown>;
    const args: Arg[] = [{ kind: "unset", prop: "comment" }];
    for (const f of this.fields) {
      if (f !== this.spec.commentField && !sameValue(have[f], factory[f])) args.push(...this.setArgs(ctx, f, factory[f], false));
    }
    const [set] = await this.write(ctx, "delete", [codec.set(menu, found.id, args)]);
    this.check(ctx, "delete", set);
    const rows = await this.readRows(ctx, "delete", menu, { by: "id", id: found.id });
    if (rows.some((r) => decodeTag(textValue(r.comment))?.identity === ctx.identity)) {
      throw new DeviceError(`${ctx.label}: delete failed: ${menu} ${found.id} still carries this identity after restoring it`);
    }
  }

  /**
   * Sets what differs between the item as found and `want` (unsetting removed inputs), then reads it back.
   * A secret the device masks (7.21+ reads, routeros-cli.md §7) cannot be compared: it is written when it is
   * new (create/adopt) or changed since `olds`, not on every update — rewriting a PPPoE password for an
   * unrelated change would be a needless write.
   */
  private async converge(ctx: OpContext, op: Op, menu: string, found: Found, want: I, olds?: I) {
    const have = this.observe(found).inputs as Record<string, unknown>;
    const args: Arg[] = [];
    for (const f of this.fields) {
      if (f === this.spec.commentField) {
        const comment = this.comment(ctx, want);
        if (textValue(found.row.comment) !== comment) args.push({ kind: "value", prop: "comment", value: comment });
      } else if (!sameValue(have[f], want[f])) {
        const masked = have[f] === undefined && (this.spec.secrets ?? []).includes(f);
        if (masked && olds !== undefined && sameValue(olds[f], want[f])) continue;
        args.push(...this.setArgs(ctx, f, want[f], false));
      }
    }
    if (args.length === 0) return { id: found.id, observed: this.observe(found) };
    const [set] = await this.write(ctx, op, [codec.set(menu, found.id, args)], want);
    this.check(ctx, op, set, want);
    const after = this.pick(ctx, op, await this.readRows(ctx, op, menu, { by: "id", id: found.id }), want, found.id);
    if (!after) throw new DeviceError(`${ctx.label}: ${op} failed: ${found.id} disappeared from ${menu} while it was being set`);
    return { id: after.id, observed: this.observe(after) };
  }

  private async removeVerified(ctx: OpContext, op: Op, menu: string, found: Found, inputs: I): Promise<void> {
    const [removed] = await this.write(ctx, op, [codec.remove(menu, found.id)]);
    this.check(ctx, op, removed);
    const left = this.pick(ctx, op, await this.readRows(ctx, op, menu, this.selector(ctx, inputs)), inputs);
    if (left) throw new DeviceError(`${ctx.label}: ${op} failed: ${menu} still has the item (${left.id}) after remove`);
  }

  /** Arguments that put field `f` to `v`; on add, unset values and cleared flags are simply left out. */
  private setArgs(ctx: OpContext, f: keyof I & string, v: unknown, adding: boolean): Arg[] {
    if (f === this.spec.commentField) return [{ kind: "value", prop: "comment", value: this.comment(ctx, { [f]: v } as I) }];
    const m = this.mapping(f);
    if (v === undefined) return adding ? [] : [m.type.clear(m.prop)];
    const arg = m.type.encode(m.prop, v);
    return adding && arg.kind === "flag" && !arg.on ? [] : [arg];
  }

  private mapping(f: keyof I & string): PropMapping<unknown> {
    return (this.spec.props as Record<string, PropMapping<unknown>>)[f];
  }

  private comment(ctx: OpContext, inputs: I): string {
    const user = inputs[this.spec.commentField] as string | undefined;
    return encodeTag({ identity: ctx.identity, userComment: user });
  }

  private menuOf(inputs: I): string {
    return typeof this.spec.menu === "string" ? this.spec.menu : this.spec.menu(inputs);
  }

  private nameOf(inputs: I): string | undefined {
    return this.spec.identity.by === "name" ? (inputs[this.spec.identity.field] as string) : undefined;
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
    const rows = await this.readRows(ctx, op, menu, this.selector(ctx, inputs));
    // On create with adopt, an item of that name is taken over whatever its comment says.
    return this.pick(ctx, op, rows, inputs, undefined, op === "create");
  }

  private pick(ctx: OpContext, op: Op, rows: Row[], inputs: I, id?: string, anyOwner = false): Found | undefined {
    const name = this.nameOf(inputs);
    const ours = rows.filter((r) => {
      if (name !== undefined) {
        if (textValue(r.name) !== name) return false;
        if (anyOwner) return true;
      }
      return decodeTag(textValue(r.comment))?.identity === ctx.identity;
    });
    const hit = id ? ours.filter((r) => r[".id"] === id) : ours;
    const rowsToUse = hit.length > 0 ? hit : ours;
    if (rowsToUse.length > 1) {
      const ids = rowsToUse.map((r) => textValue(r[".id"])).join(", ");
      throw new DeviceError(`${ctx.label}: ${op} failed: ${rowsToUse.length} items carry this identity (${ids}); remove the duplicates`);
    }
    if (rowsToUse.length === 0) return undefined;
    const rid = textValue(rowsToUse[0][".id"]) ?? "";
    if (!codec.isItemId(rid)) throw new DeviceError(`${ctx.label}: ${op} failed: device returned an item without a valid .id`);
    return { id: rid, row: rowsToUse[0] };
  }

  /** See MenuImport.decode. */
  importInputs(row: Row): Record<string, unknown> {
    const inputs = this.observe({ id: textValue(row[".id"]) ?? "", row }).inputs as Record<string, unknown>;
    const comment = textValue(row.comment);
    const user = comment === undefined || comment === "" ? undefined : decodeTag(comment) ? decodeTag(comment)!.userComment : comment;
    if (user === undefined) delete inputs[this.spec.commentField];
    else inputs[this.spec.commentField] = user;
    for (const f of this.fields) if (f in this.defaults && sameValue(inputs[f], this.defaults[f])) delete inputs[f];
    return inputs;
  }

  /** Decodes a row into the inputs `check` would produce for it, plus read-only outputs. */
  private observe(found: Found): Observed<I> {
    const inputs: Record<string, unknown> = {};
    for (const f of this.fields) {
      let v: unknown;
      if (f === this.spec.commentField) {
        v = decodeTag(textValue(found.row.comment))?.userComment;
      } else {
        const m = this.mapping(f);
        const raw = found.row[m.prop];
        v = m.type.decode(raw);
        // A value the decoder does not understand is kept as text so it shows as drift instead of hiding.
        if (v === undefined && raw !== undefined) v = textValue(raw);
      }
      if (v === undefined) v = this.defaults[f];
      if (v !== undefined) inputs[f] = v;
    }
    const outputs: Record<string, unknown> = { ".id": found.id };
    for (const [out, p] of Object.entries(this.spec.outputs ?? {})) {
      if (found.row[p] !== undefined) outputs[out] = found.row[p];
    }
    return { inputs: inputs as I, outputs };
  }

  private async gate(ctx: OpContext, op: Op, inputs?: I): Promise<void> {
    if (!isIdentity(ctx.identity)) {
      throw new DeviceError(`${ctx.label}: ${op} failed: identity ${JSON.stringify(ctx.identity)} is not <project>/<stack>/<name>`);
    }
    try {
      const v = await deviceVersion(ctx.transport, ctx.device);
      this.spec.requires?.(v, ctx.device, inputs);
    } catch (e) {
      throw new DeviceError(`${ctx.label}: ${op} failed: ${(e as Error).message}`, (e as DeviceError).deviceMessage);
    }
  }

  /** Runs one job of changes through the device's write batch (batcher.ts); one result per command. */
  private async write(ctx: OpContext, op: Op, commands: Command[], inputs?: I): Promise<StepResult[]> {
    try {
      return await batcherFor(ctx.transport).write(commands, this.secretValues(inputs));
    } catch (e) {
      throw new DeviceError(`${ctx.label}: ${op} failed: ${(e as Error).message}`);
    }
  }

  /** Rows of `menu` the selector picks, through the device's read batch (batcher.ts). */
  private async readRows(ctx: OpContext, op: Op, menu: string, select: Selector): Promise<Row[]> {
    let r: ReadResult;
    try {
      r = await batcherFor(ctx.transport).read(menu, select);
    } catch (e) {
      throw new DeviceError(`${ctx.label}: ${op} failed: ${(e as Error).message}`);
    }
    if (!r.ok) this.check(ctx, op, r);
    return r.ok ? r.rows : [];
  }

  /** Secret input values, handed to the transport so its command log redacts them. */
  private secretValues(inputs?: I): string[] {
    if (!inputs) return [];
    return (this.spec.secrets ?? []).map((f) => inputs[f]).filter((v): v is NonNullable<typeof v> & string => typeof v === "string" && v !== "");
  }

  private check(ctx: OpContext, op: Op, r: StepResult | ReadResult, inputs?: I): void {
    if (r.ok) return;
    const what = r.kind === "parse" ? "RouterOS rejected the command" : r.kind === "runtime" ? "RouterOS error" : "unreadable device output";
    // A parse error may quote the command back; secrets never go into an error.
    const message = this.secretValues(inputs).reduce((m, secret) => m.split(secret).join("***"), r.message);
    throw new DeviceError(`${ctx.label}: ${op} failed: ${what}: ${message}`, message);
  }

}

/** Structural equality of decoded values (scalars and string lists). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
