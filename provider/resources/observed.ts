/**
 * What each engine puts in a resource's `observed` output (provider/dynamic/provider-factory.ts: the driver's
 * `observed.outputs` without `adoptedOriginal`, which goes to its own secret output), as zod schemas, so the SDK
 * types `observed` per kind with `z.output` instead of `Record<string, unknown>` (issue 13 item 8).
 * provider/resources/observed.generated.ts (`npm run kinds`) picks the schema of each kind of the registry;
 * `observedSource` says which, from the kind's own data (a RouterOS kind's `outputs`, its engine).
 */
import { z } from "zod";
import { menuImportOf } from "../routeros/menu-engine";
import { ItemDriver } from "../routeros/item-driver";
import { sectionSpecOf } from "../openwrt/section-engine";
import { isBirdFileDriver } from "../openwrt/bird-file-engine";
import { RemoteFileDriver } from "../openwrt/remote-file-driver";
import { ServiceDriver } from "../openwrt/service-driver";
import type { UntypedKind } from "./kind";

/**
 * A RouterOS property as a JSON read returns it (provider/routeros/read.ts): text, a number, a boolean or a list
 * of text, undecoded; absent when the device does not print it.
 */
export const routerosValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** A RouterOS menu item's read-only outputs: `.id`, `adopted` once taken over, and the kind's `outputs`. */
export function menuObserved<K extends string>(outputs: readonly K[]) {
  return z.object({
    /** The item's RouterOS id, e.g. `*1A`. */
    ".id": z.string(),
    /** True when the item was taken over with `adopt: true`. */
    adopted: z.literal(true).optional(),
    ...(Object.fromEntries(outputs.map((o) => [o, routerosValue.optional()])) as Record<
      K,
      z.ZodOptional<typeof routerosValue>
    >),
  });
}

/** A RouterOS singleton menu (`/ip/dns`): no `.id`. */
export function singletonObserved<K extends string>(outputs: readonly K[]) {
  return menuObserved(outputs).omit({ ".id": true });
}

/** RouterOsItem: the item's `.id` (none for a singleton menu). */
export const itemObserved = z.object({ ".id": z.string().optional() });

/**
 * A uci section kind (provider/openwrt/section-engine.ts): where the section is. `type` and `adopted` are absent
 * when the section is gone but a companion file is left (the resource reads as drifted).
 */
export const sectionObserved = z.object({
  package: z.string(),
  section: z.string(),
  type: z.string().optional(),
  adopted: z.boolean().optional(),
});

/** A BIRD file kind (provider/openwrt/bird-file-engine.ts): the file, its content as read, whether adopted. */
export const birdFileObserved = z.object({ path: z.string(), adopted: z.boolean(), content: z.string() });

/** RemoteFile (provider/openwrt/remote-file-driver.ts): whether the file was adopted. */
export const remoteFileObserved = z.object({ adopted: z.boolean() });

/** Service (provider/openwrt/service-driver.ts): whether the service runs. */
export const serviceObserved = z.object({ running: z.boolean() });

/** Which schema describes a kind's `observed`, and a RouterOS menu kind's output names. */
export type ObservedSource =
  | { engine: "menu" | "singleton"; outputs: readonly string[] }
  | { engine: "item" | "section" | "birdFile" | "remoteFile" | "service" };

/** The `observed` source of a kind, found from its driver; throws for a driver of no known engine. */
export function observedSource(kind: UntypedKind): ObservedSource {
  const menu = menuImportOf(kind);
  if (menu) return { engine: menu.singleton ? "singleton" : "menu", outputs: menu.outputs };
  const d = kind.driver as object;
  if (d instanceof ItemDriver) return { engine: "item" };
  if (sectionSpecOf(d)) return { engine: "section" };
  if (isBirdFileDriver(d)) return { engine: "birdFile" };
  if (d instanceof RemoteFileDriver) return { engine: "remoteFile" };
  if (d instanceof ServiceDriver) return { engine: "service" };
  throw new Error(`kind ${kind.name}: its driver is of no known engine, so its \`observed\` has no schema`);
}
