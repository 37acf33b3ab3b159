/**
 * The driver of `RouterOsItem` (provider/resources/routeros/item.ts): any menu, any properties. The generic menu
 * engine maps a fixed set of typed fields; here the property set is the user's, so values are compared in the
 * form the user declared them (a device `true` equals a declared `true` or `"yes"`, `2048.000000` equals `2048`,
 * `00:00:30` equals `"30s"`). Only declared properties are read back and compared: everything else on the item
 * is not drift.
 *
 * Identity as in the menu engine: the tag in `comment`, or `name` (named menus) with the tag marking it ours.
 * Singleton menus (`/system/note`, `/ip/dns`) have one item and no comment: `set` only. The values the declared
 * properties had before the first write are kept as an adoption record (`singleton:<menu>:#adopted=<record>`, the
 * record stored as a secret output, see SINGLETON_BASE), since delete only sees the id and the inputs, and destroy
 * sets them back.
 * Reads and writes go through the device batcher (batcher.ts); singleton reads through the envelope directly,
 * since a singleton has nothing to select by.
 */
import { z } from "zod";
import { ADOPTED_ID_MARK, decodeAdoptedIdFor, decodeAdoptionRecord, encodeAdoptedId } from "../core/adopted-id";
import { DeviceError, deviceOpError } from "../core/errors";
import type { KindDriver, Observed, OpContext } from "../core/kind";
import { batcherFor, type ReadResult, type Selector } from "./batcher";
import * as codec from "./codec";
import type { Arg, Command } from "./codec";
import type { StepResult } from "./envelope";
import { decodeTag, encodeTag, isIdentity } from "./identity-tag";
import { boolValue, durationMsValue, listValue, textValue, type Row } from "./read";
import { deviceVersion, type RouterOsVersion } from "./version";
import { readSingleton } from "./singleton";
import { catalogueProperties, catalogueVersionFor } from "./catalogue";
import { closest } from "fastest-levenshtein";

export type ItemValue = string | number | boolean | string[];

export interface ItemInputs {
  menu: string;
  properties: Record<string, ItemValue>;
  singleton: boolean;
  name?: string;
  comment?: string;
}

type Op = "create" | "read" | "update" | "delete";
type Result = { id: string; observed: Observed<ItemInputs> };

/**
 * `singleton:<menu>:#adopted=<base64url JSON>`: the values before the first write, as an adoption record, which the
 * dynamic provider keeps in the secret output `adoptionRecord` (provider/core/adopted-id.ts splitAdoptedId). The form
 * written before issue 14, `singleton:<menu>:<base64url JSON>`, had them in the (never encrypted) id; it is still read.
 */
const SINGLETON_BASE = /^singleton:\/[a-z0-9/-]+:$/;
const SINGLETON_BEFORE_ISSUE_14 = /^singleton:\/[a-z0-9/-]+:([A-Za-z0-9_-]*)$/;
/** A singleton's record: each declared property's value before the first write (null: it was unset). */
const SINGLETON_RECORD = z.record(z.string(), z.unknown());

/** An adopted list item's id: `<.id>#adopted=<base64url JSON of what it was>` (provider/core/adopted-id.ts). */
interface AdoptedItem {
  comment: string;
  properties: Record<string, unknown>;
}
const ADOPTED_ITEM = z.looseObject({ comment: z.string(), properties: z.record(z.string(), z.unknown()) });

/** `itemId` with the adoption record of `previousId` carried over (reads and updates must not drop it). */
function withAdoption(itemId: string, previousId: string): string {
  const at = previousId.indexOf(ADOPTED_ID_MARK);
  return at < 0 ? itemId : itemId + previousId.slice(at);
}

/** The device's value in the declared value's form when they mean the same; otherwise something that differs. */
export function asDeclared(declared: ItemValue, raw: unknown): ItemValue | undefined {
  if (raw === undefined) return undefined;
  if (typeof declared === "boolean") return boolValue(raw) ?? textValue(raw);
  if (Array.isArray(declared)) return listValue(raw);
  if (typeof declared === "number") {
    const n = typeof raw === "number" ? raw : Number(textValue(raw));
    return Number.isFinite(n) && textValue(raw) !== "" ? n : textValue(raw);
  }
  const text = typeof raw === "boolean" ? (raw ? "yes" : "no") : textValue(raw);
  if (text === undefined || text === declared) return text;
  if (typeof raw === "boolean" && boolValue(declared) === raw) return declared;
  // Durations print in more than one form (`30s`, `00:00:30`, routeros-cli.md §2.3 [I]).
  const d = durationMsValue(declared);
  if (d !== undefined && !/^\d+$/.test(declared) && durationMsValue(text) === d) return declared;
  return text;
}

/**
 * Refuses, before any write, a property name the connected version's `add` (a new list item) or `set` (an
 * update, a singleton, an adopted item) does not take on a menu RouterOS's own catalogue holds (catalogue.ts); the error names the
 * closest real name (Levenshtein distance). A menu the catalogue does not hold is left to the device.
 */
function requireKnownProperties(device: string, v: RouterOsVersion, op: Op, inputs: ItemInputs, adopt: boolean): void {
  // An adopted item (an ethernet port, a shipped service) is only ever `set`, creating too.
  const verb = op === "create" && !inputs.singleton && !adopt ? "add" : "set";
  const known = catalogueProperties(inputs.menu, verb, v);
  if (!known) return;
  // `name` and `comment` are the item's own inputs; they are in `properties` only when the user puts them there.
  for (const p of Object.keys(inputs.properties)) {
    if (known.has(p)) continue;
    const near = known.size > 0 ? closest(p, [...known]) : undefined;
    throw new DeviceError(
      `properties.${p}: device "${device}" runs RouterOS ${v.text}, whose ${inputs.menu} ${verb} has no property ` +
        `${JSON.stringify(p)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""} ` +
        `(RouterOS ${catalogueVersionFor(v)} console schema, docs/reference/routeros-schema.md)`,
    );
  }
}

export class ItemDriver implements KindDriver<ItemInputs> {
  async create(ctx: OpContext, inputs: ItemInputs): Promise<Result> {
    await this.gate(ctx, "create", inputs);
    if (inputs.singleton) {
      const row = await this.readSingleton(ctx, "create", inputs.menu);
      const previous: Record<string, unknown> = {};
      for (const p of Object.keys(inputs.properties)) previous[p] = row[p] ?? null;
      const id = encodeAdoptedId(`singleton:${inputs.menu}:`, previous);
      return this.converge(ctx, "create", id, row, inputs);
    }
    const existing = await this.find(ctx, "create", inputs, true);
    if (existing) {
      // Our own tag means an interrupted create of this very resource (see menu-engine.ts): converge it.
      const ours = decodeTag(textValue(existing.comment))?.identity === ctx.identity;
      if (!ctx.adopt && !ours) {
        throw deviceOpError(
          ctx,
          "create",
          `${inputs.menu} already has ${this.describeKey(inputs)} ` +
            `(${textValue(existing[".id"])}); set adopt: true to take it over`,
        );
      }
      const itemId = textValue(existing[".id"]) ?? "";
      if (ours) return this.converge(ctx, "create", itemId, existing, inputs);
      // Adopted: what it was goes into the id, so destroy can put it back instead of removing the item.
      const was: AdoptedItem = {
        comment: textValue(existing.comment) ?? "",
        properties: Object.fromEntries(Object.keys(inputs.properties).map((p) => [p, existing[p] ?? null])),
      };
      const r = await this.converge(ctx, "create", itemId, existing, inputs);
      return { ...r, id: encodeAdoptedId(r.id, was) };
    }
    const args: Arg[] = [
      ...(inputs.name === undefined ? [] : [{ kind: "value" as const, prop: "name", value: inputs.name }]),
      ...this.propertyArgs(inputs.properties),
      { kind: "value", prop: "comment", value: this.comment(ctx, inputs) },
    ];
    const [added] = await this.write(ctx, "create", [codec.add(inputs.menu, args)]);
    this.check(ctx, "create", added);
    const found = await this.find(ctx, "create", inputs);
    if (!found) throw deviceOpError(ctx, "create", `${inputs.menu}/add succeeded but the item cannot be read back`);
    return this.result(textValue(found[".id"]) ?? "", found, inputs);
  }

  async read(ctx: OpContext, id: string, last: ItemInputs): Promise<Result | undefined> {
    await this.gate(ctx, "read");
    if (last.singleton) return this.result(id, await this.readSingleton(ctx, "read", last.menu), last);
    const found = await this.find(ctx, "read", last);
    return found && this.result(withAdoption(textValue(found[".id"]) ?? "", id), found, last);
  }

  async update(ctx: OpContext, id: string, olds: ItemInputs, news: ItemInputs): Promise<Result> {
    await this.gate(ctx, "update", news);
    if (news.singleton) {
      const row = await this.readSingleton(ctx, "update", news.menu);
      // A property dropped from the inputs goes back to its recorded previous value (when there is one).
      const restore = this.previousOf(ctx, "update", id);
      const dropped = Object.keys(olds.properties).filter(
        (p) => !(p in news.properties) && restore[p] !== undefined && restore[p] !== null,
      );
      return this.converge(
        ctx,
        "update",
        id,
        row,
        news,
        dropped.map((p) => ({ kind: "value", prop: p, value: restore[p] as codec.CliValue })),
      );
    }
    const found = await this.find(ctx, "update", olds);
    if (!found) throw deviceOpError(ctx, "update", `the item is gone from ${olds.menu} (refresh to recreate it)`);
    const unset: Arg[] = Object.keys(olds.properties)
      .filter((p) => !(p in news.properties))
      .map((p) => ({ kind: "unset", prop: p }));
    const r = await this.converge(ctx, "update", textValue(found[".id"]) ?? "", found, news, unset);
    return { ...r, id: withAdoption(r.id, id) };
  }

  async delete(ctx: OpContext, id: string, last: ItemInputs): Promise<void> {
    await this.gate(ctx, "delete");
    if (last.singleton) {
      const restore = Object.entries(this.previousOf(ctx, "delete", id)).filter(
        ([, v]) => v !== null && v !== undefined,
      );
      // A property that was unset before cannot be unset again on a singleton menu [I]: it keeps our value.
      if (restore.length === 0) return;
      const [set] = await this.write(ctx, "delete", [
        codec.setSingleton(
          last.menu,
          restore.map(([p, v]) => ({ kind: "value", prop: p, value: v as codec.CliValue })),
        ),
      ]);
      this.check(ctx, "delete", set);
      return;
    }
    const found = await this.find(ctx, "delete", last);
    if (!found) return;
    const was = decodeAdoptedIdFor(ctx, "delete", id, ADOPTED_ITEM).record;
    if (was) {
      // Adopted: put the declared properties and the comment back; the item existed before us and stays.
      const args: Arg[] = Object.entries(was.properties).map(([prop, v]) =>
        v === null ? { kind: "unset", prop } : { kind: "value", prop, value: v as codec.CliValue },
      );
      args.push({ kind: "value", prop: "comment", value: was.comment });
      const [set] = await this.write(ctx, "delete", [codec.set(last.menu, textValue(found[".id"]) ?? "", args)]);
      this.check(ctx, "delete", set);
      return;
    }
    const [removed] = await this.write(ctx, "delete", [codec.remove(last.menu, textValue(found[".id"]) ?? "")]);
    this.check(ctx, "delete", removed);
    const left = await this.find(ctx, "delete", last);
    if (left)
      throw deviceOpError(ctx, "delete", `${last.menu} still has the item (${textValue(left[".id"])}) after remove`);
  }

  /** Sets the declared properties that differ (plus `extra`), then reads the item back. */
  private async converge(
    ctx: OpContext,
    op: Op,
    id: string,
    row: Row,
    want: ItemInputs,
    extra: Arg[] = [],
  ): Promise<Result> {
    const have = this.observe(row, want);
    const changed: Record<string, ItemValue> = {};
    for (const [p, v] of Object.entries(want.properties)) {
      if (JSON.stringify(have.properties[p]) !== JSON.stringify(v)) changed[p] = v;
    }
    const args = [...extra, ...this.propertyArgs(changed)];
    if (!want.singleton) {
      const comment = this.comment(ctx, want);
      if (textValue(row.comment) !== comment) args.push({ kind: "value", prop: "comment", value: comment });
    }
    if (args.length === 0) return this.result(id, row, want);
    const command = want.singleton ? codec.setSingleton(want.menu, args) : codec.set(want.menu, id, args);
    const [set] = await this.write(ctx, op, [command]);
    this.check(ctx, op, set);
    const after = want.singleton ? await this.readSingleton(ctx, op, want.menu) : await this.find(ctx, op, want);
    if (!after) throw deviceOpError(ctx, op, `${id} disappeared from ${want.menu} while it was being set`);
    return this.result(want.singleton ? id : (textValue(after[".id"]) ?? id), after, want);
  }

  private result(id: string, row: Row, declared: ItemInputs): Result {
    return {
      id,
      observed: {
        inputs: this.observe(row, declared),
        outputs: declared.singleton ? {} : { ".id": id.split(`${ADOPTED_ID_MARK}=`)[0] },
      },
    };
  }

  /** The inputs as the device shows them: the declared properties only, each in its declared form. */
  private observe(row: Row, declared: ItemInputs): ItemInputs {
    const properties: Record<string, ItemValue> = {};
    for (const [p, v] of Object.entries(declared.properties)) {
      const seen = asDeclared(v, row[p]);
      if (seen !== undefined) properties[p] = seen;
    }
    const out: ItemInputs = { menu: declared.menu, properties, singleton: declared.singleton };
    if (!declared.singleton) {
      const name = textValue(row.name);
      if (declared.name !== undefined && name !== undefined) out.name = name;
      const user = decodeTag(textValue(row.comment))?.userComment;
      if (user !== undefined) out.comment = user;
    }
    return out;
  }

  private propertyArgs(props: Record<string, ItemValue>): Arg[] {
    return Object.entries(props).map(([prop, value]) => ({ kind: "value", prop, value }));
  }

  private comment(ctx: OpContext, inputs: ItemInputs): string {
    return encodeTag({ identity: ctx.identity, userComment: inputs.comment });
  }

  private describeKey(inputs: ItemInputs): string {
    return inputs.name === undefined
      ? "an item tagged with this identity"
      : `an item named ${JSON.stringify(inputs.name)}`;
  }

  /** A singleton's record of the values before the first write; a malformed id fails the operation. */
  private previousOf(ctx: OpContext, op: Op, id: string): Record<string, unknown> {
    const { base, record } = decodeAdoptedIdFor(ctx, op, id, SINGLETON_RECORD);
    if (record && SINGLETON_BASE.test(base)) return record;
    const before14 = record ? null : SINGLETON_BEFORE_ISSUE_14.exec(id);
    if (!before14) throw deviceOpError(ctx, op, "the resource id is not singleton:<menu>:#adopted=<record>");
    try {
      return decodeAdoptionRecord(before14[1], SINGLETON_RECORD);
    } catch (e) {
      throw deviceOpError(ctx, op, (e as Error).message);
    }
  }

  /** Our item: by tag, or by name (ours only with our tag, unless `anyOwner` on create). Several is an error. */
  private async find(ctx: OpContext, op: Op, inputs: ItemInputs, anyOwner = false): Promise<Row | undefined> {
    const select: Selector =
      inputs.name === undefined ? { by: "tag", identity: ctx.identity } : { by: "name", name: inputs.name };
    let r: ReadResult;
    try {
      r = await batcherFor(ctx.transport).read(inputs.menu, select);
    } catch (e) {
      throw deviceOpError(ctx, op, (e as Error).message);
    }
    this.check(ctx, op, r);
    const rows = (r.ok ? r.rows : []).filter(
      (row) => (inputs.name !== undefined && anyOwner) || decodeTag(textValue(row.comment))?.identity === ctx.identity,
    );
    if (rows.length > 1) {
      throw deviceOpError(
        ctx,
        op,
        `${rows.length} items carry this identity (${rows.map((x) => textValue(x[".id"])).join(", ")}); remove the duplicates`,
      );
    }
    if (rows.length === 1 && !codec.isItemId(textValue(rows[0][".id"]) ?? "")) {
      throw deviceOpError(ctx, op, "device returned an item without a valid .id");
    }
    return rows[0];
  }

  private readSingleton(ctx: OpContext, op: Op, menu: string): Promise<Row> {
    return readSingleton(ctx, op, menu, (r) => this.check(ctx, op, r));
  }

  private async gate(ctx: OpContext, op: Op, inputs?: ItemInputs): Promise<void> {
    if (!isIdentity(ctx.identity)) {
      throw deviceOpError(ctx, op, `identity ${JSON.stringify(ctx.identity)} is not <project>/<stack>/<name>`);
    }
    try {
      const v = await deviceVersion(ctx.transport, ctx.device);
      if (inputs) requireKnownProperties(ctx.device, v, op, inputs, ctx.adopt);
    } catch (e) {
      throw deviceOpError(ctx, op, (e as Error).message, (e as DeviceError).deviceMessage);
    }
  }

  private async write(ctx: OpContext, op: Op, commands: Command[]): Promise<StepResult[]> {
    try {
      return await batcherFor(ctx.transport).write(commands);
    } catch (e) {
      throw deviceOpError(ctx, op, (e as Error).message);
    }
  }

  private check(ctx: OpContext, op: Op, r: StepResult | ReadResult): void {
    if (r.ok) return;
    const what =
      r.kind === "parse"
        ? "RouterOS rejected the command"
        : r.kind === "runtime"
          ? "RouterOS error"
          : "unreadable device output";
    throw deviceOpError(ctx, op, `${what}: ${r.message}`, r.message);
  }
}
