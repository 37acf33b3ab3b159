/**
 * Declared order of rules in RouterOS ordered menus (firewall filter/mangle, routing-rule, …; routeros-cli.md
 * §3.1 `add … place-before=<id>`, `move <id> <before-id>`; §5.6 "rule order matters").
 *
 * The model, kept deliberately small:
 * - A kind with an `order` input (a non-negative integer) declares where its rule sits **among the rules this
 *   stack manages in the same menu** (identity prefix `<project>/<stack>/`) — or, for a kind with a `scope`, in
 *   the same menu with the same value of one property (`/routing/filter/rule`: the same `chain`, as RouterOS runs
 *   each chain on its own) — lower comes first, equal orders may appear in either order. Unmanaged rules, dynamic
 *   rules and other stacks' rules keep their places: a rule is only ever placed relative to this stack's ordered
 *   rules, never moved past something for its own sake, and other rules are never moved. Only this stack: two
 *   stacks sharing a router cannot renumber each other.
 * - The declared order is stored on the device in the user part of the identity tag (identity-tag.ts lets it hold
 *   any text): `rs:<project>/<stack>/<name> order=<n>[ <user comment>]`. So a refresh knows every managed rule's
 *   declared order from the device alone, whatever subset of resources the run touches. Kinds using it must
 *   reject user comments that start with `order=` (ORDER_COMMENT_PROBLEM).
 * - Read: the stack's ordered rules, in list order, are in place when they form a longest non-decreasing run of
 *   declared orders (a longest non-decreasing subsequence); a rule outside it is misplaced. This marks only the
 *   rule(s) moved out of band, not every rule they jumped over. A misplaced rule reads back with the declared
 *   order of the in-place managed rule it now follows (or, at the top, the one it precedes) — always different
 *   from its own, so Pulumi shows a diff on `order`.
 * - Create places the rule with `place-before=` and update restores it with `move`, directly before the first
 *   in-place rule with a higher order, else directly after the last one (before the next static row, of any
 *   scope), else at the end. Placement is computed from a fresh read of the whole menu under a per-device,
 *   per-menu lock, so concurrent creates and moves of one stack see each other's results.
 * - A rule without `order` costs what the plain engine costs (no whole-menu read, no lock); it is appended on
 *   create, and an order mark someone wrote into its comment by hand reads back as drift on `order`.
 */
import type { z } from "zod";
import { deviceOpError } from "../core/errors";
import type { KindDriver, Observed, OpContext, ResourceKind, UntypedKind } from "../core/kind";
import { batcherFor } from "./batcher";
import * as codec from "./codec";
import { menuImportOf, registerImport } from "./menu-engine";
import { decodeTag } from "./identity-tag";
import type { PropMapping } from "./property-types";
import { boolValue, textValue, type Row } from "./read";

const MARK = /^order=(\d{1,9})(?: ([\s\S]*))?$/;

/** Why a user comment cannot sit next to the order mark, or undefined. */
export function orderCommentProblem(comment: string): string | undefined {
  return /^order=/.test(comment) ? 'must not start with "order=" (reserved for the declared order)' : undefined;
}

/** The user part of the tag for a declared order and user comment. */
export function joinOrder(order: number | undefined, user: string | undefined): string | undefined {
  if (order === undefined) return user;
  return user === undefined ? `order=${order}` : `order=${order} ${user}`;
}

/** Splits the user part of a tag into the declared order and the user's own comment. */
export function splitOrder(userPart: string | undefined): { order?: number; user?: string } {
  const m = userPart === undefined ? null : MARK.exec(userPart);
  if (!m) return { user: userPart };
  return { order: Number(m[1]), user: m[2] === undefined || m[2] === "" ? undefined : m[2] };
}

/**
 * Hidden inner input carrying the `place-before` id of an `add`. Never read back (RouterOS has no such property
 * on an item), so it never shows as drift; only the ordered wrapper sets it, and only on create.
 */
export const placeBeforeProp: PropMapping<string> = {
  prop: "place-before",
  type: {
    encode: (prop, id) => ({ kind: "id", prop, id }),
    clear: (prop) => ({ kind: "unset", prop }),
    decode: () => undefined,
  },
};

interface Entry {
  id: string;
  order: number;
}

/** Ids of a longest non-decreasing subsequence of `entries` by order (earliest-ending on ties, deterministic). */
export function inPlaceIds(entries: readonly Entry[]): Set<string> {
  const n = entries.length;
  const len = new Array<number>(n).fill(1);
  const prev = new Array<number>(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (entries[j].order <= entries[i].order && len[j] + 1 > len[i]) {
        len[i] = len[j] + 1;
        prev[i] = j;
      }
    }
  }
  let best = -1;
  for (let i = 0; i < n; i++) if (best < 0 || len[i] > len[best]) best = i;
  const out = new Set<string>();
  for (let i = best; i >= 0; i = prev[i]) out.add(entries[i].id);
  return out;
}

function isDynamic(row: Row): boolean {
  return boolValue(row.dynamic) === true;
}

/** This stack's ordered rules of a menu, in list order. */
function stackEntries(rows: readonly Row[], ctx: OpContext): Entry[] {
  const prefix = ctx.identity.slice(0, ctx.identity.lastIndexOf("/") + 1);
  return rows.flatMap((row) => {
    const tag = decodeTag(textValue(row.comment));
    if (isDynamic(row) || !tag?.identity.startsWith(prefix)) return [];
    const { order } = splitOrder(tag.userComment);
    const id = textValue(row[".id"]);
    return order === undefined || id === undefined ? [] : [{ id, order }];
  });
}

/** The order a read reports for rule `id`: its declared order when in place, else its neighbour's (see top). */
export function observedOrder(entries: readonly Entry[], id: string): number | undefined {
  const self = entries.findIndex((e) => e.id === id);
  if (self < 0) return undefined;
  const keep = inPlaceIds(entries);
  if (keep.has(id)) return entries[self].order;
  const before = entries.slice(0, self).filter((e) => keep.has(e.id));
  const after = entries.slice(self + 1).filter((e) => keep.has(e.id));
  return (before.at(-1) ?? after[0])!.order;
}

/**
 * Whether rule `selfId` with declared `order` sits between the in-place rules of the *others* (so the rule being
 * changed is the one that moves, not a neighbour that happens to fall outside a tie-broken run).
 */
export function fits(rows: readonly Row[], ctx: OpContext, selfId: string, order: number): boolean {
  const all = stackEntries(rows, ctx);
  const at = all.findIndex((e) => e.id === selfId);
  if (at < 0) return false;
  const keep = inPlaceIds(all.filter((e) => e.id !== selfId));
  const before = all
    .slice(0, at)
    .filter((e) => keep.has(e.id))
    .map((e) => e.order);
  const after = all
    .slice(at + 1)
    .filter((e) => keep.has(e.id))
    .map((e) => e.order);
  return before.every((o) => o <= order) && after.every((o) => o >= order);
}

/**
 * Where rule `selfId` (undefined: not yet added) with declared `order` belongs: before the returned id, or at the
 * end (`undefined`). `scope`: the rows it is ordered among (a kind's `scope`, e.g. one chain); `rows`: the whole
 * menu, so that "directly after the last one" is the very next row whatever its scope, and a rule moved back
 * lands next to the neighbours it had, not at the end of the list after other chains.
 */
export function placement(
  rows: readonly Row[],
  ctx: OpContext,
  selfId: string | undefined,
  order: number,
  scope: readonly Row[] = rows,
): string | undefined {
  const others = stackEntries(scope, ctx).filter((e) => e.id !== selfId);
  const keep = inPlaceIds(others);
  const members = others.filter((e) => keep.has(e.id));
  const next = members.find((e) => e.order > order);
  if (next) return next.id;
  const last = members.at(-1);
  if (!last) return undefined;
  // Dynamic rows are never a destination [I: whether RouterOS places a rule before a dynamic one is not in the
  // reference; dynamic firewall rules sit at the top, so skipping them loses nothing].
  const at = rows.findIndex((r) => textValue(r[".id"]) === last.id);
  const after = rows.slice(at + 1).find((r) => !isDynamic(r) && textValue(r[".id"]) !== selfId);
  return after && textValue(after[".id"]);
}

const locks = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `fn` alone among ordered operations on one device's menu (placements must see each other). */
async function withLock<T>(ctx: OpContext, menu: string, fn: () => Promise<T>): Promise<T> {
  let perDevice = locks.get(ctx.transport);
  if (!perDevice) locks.set(ctx.transport, (perDevice = new Map()));
  const prev = perDevice.get(menu) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  perDevice.set(
    menu,
    run.catch(() => undefined),
  );
  return run;
}

type Ordered = { order?: number; comment?: string };
type Props = Record<string, unknown>;

/**
 * Wraps menu-engine kinds (one per menu; schema with `comment` and a hidden `placeBefore` mapped to
 * placeBeforeProp) into the user-facing kind with `order`. `schema` is the user-facing schema, `menu` the menu of
 * given inputs, `menuFields` the inputs that only choose the menu (not sent to the device; read back as given).
 */
export function orderedKind<I extends Ordered>(
  inner: (menu: string) => UntypedKind,
  opts: {
    name: string;
    docs: string;
    schema: z.ZodType<I>;
    menu: (inputs: I) => string;
    menuFields: readonly (keyof I & string)[];
    /** Every menu the kind spans, and the `menuFields` values that choose it (for the importer). */
    menus: Record<string, Partial<I>>;
    /**
     * Order only among the rows whose device property `prop` equals the input `field` (e.g. a routing filter
     * `chain`: RouterOS evaluates each chain's rules in list order, independently of other chains); a rule is
     * then placed and checked among this stack's rules of its own chain, and rows of other chains are ignored.
     * Unset: the whole menu is one order (firewall filter, NAT, `/routing/rule`).
     */
    scope?: { field: keyof I & string; prop: string };
  },
): ResourceKind<I> {
  const kinds = new Map<string, UntypedKind>();
  const innerKind = (menu: string) => {
    if (!kinds.has(menu)) kinds.set(menu, inner(menu));
    return kinds.get(menu)!;
  };
  const kindOf = (menu: string) => innerKind(menu).driver;
  const toInner = (inputs: I): Props => {
    const { order, comment, ...rest } = inputs as I & Props;
    for (const f of opts.menuFields) delete rest[f];
    const c = joinOrder(order, comment);
    return c === undefined ? rest : { ...rest, comment: c };
  };

  /**
   * The rows sharing an order with rule `id`: its own row's scope value when it is in `rows` (a read sees where
   * the rule is now, even if its chain was changed out of band), else the one `inputs` declare.
   */
  function scoped(rows: readonly Row[], id: string | undefined, inputs: I): Row[] {
    const scope = opts.scope;
    if (scope === undefined) return [...rows];
    const own = id === undefined ? undefined : rows.find((r) => textValue(r[".id"]) === id);
    const value = own ? textValue(own[scope.prop]) : (inputs as I & Props)[scope.field];
    return rows.filter((r) => textValue(r[scope.prop]) === value);
  }

  async function readAll(ctx: OpContext, op: string, menu: string): Promise<Row[]> {
    let r;
    try {
      r = await batcherFor(ctx.transport).read(menu, { by: "all" });
    } catch (e) {
      throw deviceOpError(ctx, op, (e as Error).message);
    }
    if (!r.ok) throw deviceOpError(ctx, op, `reading ${menu}: ${r.message}`, r.message);
    return r.rows;
  }

  /** `rows`: the whole menu, when the position matters; without it the order is the one the comment declares. */
  function observe(
    ctx: OpContext,
    wanted: I,
    got: { id: string; observed: Observed<Props> },
    rows?: Row[],
  ): { id: string; observed: Observed<I> } {
    const { comment, placeBefore: _p, ...rest } = got.observed.inputs;
    const { user, order: marked } = splitOrder(comment as string | undefined);
    const order = rows ? observedOrder(stackEntries(scoped(rows, got.id, wanted), ctx), got.id) : marked;
    const where: Props = {};
    for (const f of opts.menuFields) if (wanted[f] !== undefined) where[f] = wanted[f];
    const inputs = {
      ...where,
      ...rest,
      ...(user === undefined ? {} : { comment: user }),
      ...(order === undefined ? {} : { order }),
    };
    return { id: got.id, observed: { inputs: inputs as unknown as I, outputs: got.observed.outputs } };
  }

  /** Moves the rule into place when it is not, then reports it. Runs under the menu lock. */
  async function settle(ctx: OpContext, op: string, wanted: I, got: { id: string; observed: Observed<Props> }) {
    if (wanted.order === undefined) return observe(ctx, wanted, got);
    const menu = opts.menu(wanted);
    let rows = await readAll(ctx, op, menu);
    const mine = scoped(rows, got.id, wanted);
    if (!fits(mine, ctx, got.id, wanted.order)) {
      const before = placement(rows, ctx, got.id, wanted.order, mine);
      let res;
      try {
        [res] = await batcherFor(ctx.transport).write([codec.move(menu, got.id, before)]);
      } catch (e) {
        throw deviceOpError(ctx, op, (e as Error).message);
      }
      if (!res.ok) throw deviceOpError(ctx, op, `RouterOS error on move: ${res.message}`, res.message);
      rows = await readAll(ctx, op, menu);
    }
    return observe(ctx, wanted, got, rows);
  }

  async function create(ctx: OpContext, inputs: I) {
    const menu = opts.menu(inputs);
    let placeBefore: string | undefined;
    if (inputs.order !== undefined) {
      const rows = await readAll(ctx, "create", menu);
      // An item already carrying this identity (lost reply) is converged by the engine and moved after.
      const exists = rows.some((r) => decodeTag(textValue(r.comment))?.identity === ctx.identity);
      // An adopted rule is found by its matchers and keeps its comment untouched, so it carries no order mark and
      // keeps its place: refusing beats moving a rule that existed before routerstack.
      if (!exists && ctx.adopt && (await kindOf(menu).preview!(ctx, toInner(inputs))).found !== false) {
        throw deviceOpError(ctx, "create", "order: an adopted rule keeps its place; leave out order or adopt");
      }
      if (!exists) placeBefore = placement(rows, ctx, undefined, inputs.order, scoped(rows, undefined, inputs));
    }
    const got = await kindOf(menu).create(ctx, { ...toInner(inputs), ...(placeBefore ? { placeBefore } : {}) });
    return settle(ctx, "create", inputs, got);
  }

  // Rules without a declared order cost what the plain engine costs: no whole-menu read, no lock.
  const locked = <T>(ctx: OpContext, inputs: I, fn: () => Promise<T>) =>
    inputs.order === undefined ? fn() : withLock(ctx, opts.menu(inputs), fn);

  const driver: KindDriver<I> = {
    create: (ctx, inputs) => locked(ctx, inputs, () => create(ctx, inputs)),
    read: async (ctx, id, last) => {
      const menu = opts.menu(last);
      // Both reads join one batch: the unfiltered print answers the tag selection too.
      const [got, rows] = await Promise.all([
        kindOf(menu).read(ctx, id, toInner(last)),
        last.order === undefined ? undefined : readAll(ctx, "read", menu),
      ]);
      return got && observe(ctx, last, got, rows);
    },
    update: async (ctx, id, olds, news) => {
      const oldMenu = opts.menu(olds);
      const newMenu = opts.menu(news);
      if (oldMenu !== newMenu) {
        // Another table or family: remove from the old menu, add on the new one.
        await locked(ctx, olds, () => kindOf(oldMenu).delete(ctx, id, toInner(olds)));
        return locked(ctx, news, () => create({ ...ctx, adopt: false }, news));
      }
      return locked(ctx, news, async () =>
        settle(ctx, "update", news, await kindOf(newMenu).update(ctx, id, toInner(olds), toInner(news))),
      );
    },
    delete: (ctx, id, last) => kindOf(opts.menu(last)).delete(ctx, id, toInner(last)),
    preview: (ctx, inputs) => kindOf(opts.menu(inputs)).preview!(ctx, toInner(inputs)),
  };
  registerImport(driver, {
    menus: Object.keys(opts.menus),
    importable: true,
    commentField: "comment",
    properties: menuImportOf(innerKind(Object.keys(opts.menus)[0]))!.properties,
    derivedFields: menuImportOf(innerKind(Object.keys(opts.menus)[0]))!.derivedFields,
    notInputs: menuImportOf(innerKind(Object.keys(opts.menus)[0]))!.notInputs,
    // `observed` is the inner menu kind's (settle passes its outputs through).
    outputs: menuImportOf(innerKind(Object.keys(opts.menus)[0]))!.outputs,
    singleton: false,
    // An unmanaged rule's comment is the user's own; an order mark in it is refused by the schema, so noted.
    decode: (row, menu) => ({ ...opts.menus[menu], ...menuImportOf(innerKind(menu))!.decode(row, menu) }),
  });
  const adoption = innerKind(Object.keys(opts.menus)[0]).adoption;
  return {
    name: opts.name,
    platform: "routeros",
    docs: opts.docs,
    deleteBeforeReplace: false,
    schema: opts.schema,
    replaceOn: [],
    secrets: [],
    adoption,
    driver,
  };
}
