/**
 * Reads a RouterOS device for the importer: one JSON print (routeros-cli.md §2.3) of every menu a RouterOS kind
 * lives on, each row decoded by its kind (menu-engine.ts `menuImportOf`) into the inputs that reproduce it.
 *
 * Left out, each with a note in the program's header:
 * - dynamic, default and built-in items (`dynamic`, `default`, `builtin` true): the device makes them, nothing
 *   can own them (routeros-cli.md §2.5, the `main` table, the `default` APN profile);
 * - items already tagged by routerstack (`rs:<project>/<stack>/<name>` in `comment`): they belong to the stack
 *   named in the tag, and a second owner would fight it;
 * - rows the kind's schema refuses (a value outside what the kind models), with the field and reason.
 * Properties a kind does not model are neither read nor written, so they stay as they are on the device.
 */
import type { DeviceTransport } from "../transport/types";
import * as codec from "../routeros/codec";
import { runCommands } from "../routeros/envelope";
import { decodeTag } from "../routeros/identity-tag";
import { menuImportOf, type MenuImport } from "../routeros/menu-engine";
import { boolValue, parseRows, textValue, type Row } from "../routeros/read";
import { deviceVersion } from "../routeros/version";
import { kindsOf, sdkClassName, type AnyKind } from "./kinds";
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

/** Rows the device owns: never imported. */
function deviceOwned(row: Row): string | undefined {
  for (const flag of ["dynamic", "default", "builtin"]) if (boolValue(row[flag]) === true) return flag;
  return undefined;
}

/** Schema fields that must be given (no default, not optional): the natural key when an item has no name. */
function requiredFields(kind: AnyKind): string[] {
  const shape =
    (kind.schema as unknown as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape ?? {};
  return Object.keys(shape).filter((f) => !shape[f].safeParse(undefined).success);
}

/** Readable base name: the item's name, else its comment, else its required fields' values. */
function baseName(device: string, kind: AnyKind, imp: MenuImport, inputs: Record<string, unknown>): string {
  const short = kind.name.slice(kind.platform.length + 1);
  const name = imp.nameField ? inputs[imp.nameField] : undefined;
  const comment = imp.commentField === undefined ? undefined : inputs[imp.commentField];
  const key =
    typeof name === "string"
      ? name
      : typeof comment === "string"
        ? comment
        : requiredFields(kind)
            .map((f) => textValue(inputs[f]) ?? "")
            .filter((x) => x !== "")
            .join("-");
  return `${slug(device)}-${short}-${slug(key)}`;
}

export async function importRouterOs(
  transport: DeviceTransport,
  device: string,
  kinds: readonly AnyKind[] = kindsOf("routeros"),
): Promise<ImportResult> {
  const plan: { kind: AnyKind; imp: MenuImport; menu: string }[] = [];
  const notes: string[] = [];
  const version = await deviceVersion(transport, device);
  for (const kind of kinds) {
    const imp = menuImportOf(kind);
    // Kinds with their own driver (RouterOsItem) are generic: an item is imported as its typed kind or not at all.
    // Singletons and items RouterOS makes itself: nothing tells a declared value from RouterOS's own.
    if (!imp?.importable) continue;
    if (imp.menus.length === 0) {
      notes.push(`kind ${kind.name}: the importer cannot tell which menus it uses (no importMenus)`);
      continue;
    }
    try {
      imp.requires?.(version, device);
    } catch (e) {
      // The kind's menu may exist in an older model (7.16's BGP connection): a resource of it would fail at `up`.
      notes.push(`kind ${kind.name}: not on this device (${(e as Error).message})`);
      continue;
    }
    for (const menu of imp.menus) plan.push({ kind, imp, menu });
  }
  const results = await runCommands(
    transport,
    plan.map((p) => codec.printJson(p.menu)),
  );
  const names = new NameBook();
  const resources: ImportedResource[] = [];
  const skipped = new Map<string, number>();
  for (const [i, { kind, imp, menu }] of plan.entries()) {
    const r = results[i];
    if (!r.ok) {
      // A menu this version lacks (the 7.20 BGP instance menu on 7.16) fails to parse: nothing of that kind here.
      notes.push(`${menu}: not readable on this device (${r.message.split("\n")[0]})`);
      continue;
    }
    for (const row of parseRows(r.payload)) {
      const id = textValue(row[".id"]) ?? "?";
      const owned = deviceOwned(row);
      if (owned) {
        skipped.set(menu, (skipped.get(menu) ?? 0) + 1);
        continue;
      }
      const tag = decodeTag(textValue(row.comment));
      if (tag) {
        notes.push(`${menu} ${id}: already managed by routerstack as ${tag.identity}`);
        continue;
      }
      const inputs = imp.decode(row, menu);
      const parsed = kind.schema.safeParse(inputs);
      if (!parsed.success) {
        notes.push(`${menu} ${id}: ${zodIssue(parsed.error)} (not representable as ${kind.name})`);
        continue;
      }
      const name = names.take(baseName(device, kind, imp, inputs));
      const args: Record<string, ImportValue> = {};
      for (const [f, v] of Object.entries(inputs)) {
        if (v === undefined) continue;
        args[f] = (kind.secrets as readonly string[]).includes(f)
          ? new SecretRef(secretKey(name, f))
          : (v as ImportValue);
      }
      resources.push({ platform: "routeros", className: sdkClassName(kind), name, args, source: `${menu} ${id}` });
    }
  }
  for (const [menu, n] of skipped)
    notes.push(`${menu}: ${n} dynamic, default or built-in item(s), owned by the device`);
  return { device, platform: "routeros", resources, notes };
}
