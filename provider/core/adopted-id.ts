/**
 * The one codec of an adopted resource's id: `<base>#adopted=<record>`, `<record>` being base64url (RFC 4648 §5,
 * no padding) of the UTF-8 JSON of what the object was before routerstack took it over (a uci section's type and
 * options, a BIRD file's content and mode, a RouterOS item's values). Every engine (provider/routeros/menu-engine.ts,
 * provider/routeros/item-driver.ts, provider/openwrt/section-engine.ts, provider/openwrt/bird-file-engine.ts)
 * encodes and decodes through here; `<base>` is the engine's own id (`*1A`, `network.wwan`, `bird:/etc/bird.d/x.conf`).
 *
 * Record format (what `<record>` holds), versioned by the mark:
 * - format 1, `#adopted=`: a JSON object, no version field (issues 7 and 14). Every id written so far is format 1,
 *   and it is what encodeAdoptedId writes.
 * - a later format is marked `#adopted.v<N>=`, so format-1 ids keep decoding as they are; this version refuses
 *   such an id with an error saying to upgrade rather than misreading it.
 *
 * Where the record is stored (unrelated to its format):
 * - issue 7: the whole `<base>#adopted=<record>` string was the Pulumi id. Ids are never encrypted, so a record
 *   holding a secret (a wifi `key`, a BIRD `password`) sat in state in plain text. Still read: it is in users' state.
 * - issue 14: the dynamic provider (provider/dynamic/provider-factory.ts) stores `<base>#adopted` as the Pulumi id and
 *   `<record>` as the output `adoptionRecord`, which the SDK lists in `additionalSecretOutputs` (encrypted).
 *   splitAdoptedId and joinAdoptedId convert; the drivers only ever see the joined string.
 *
 * A malformed id is refused with an AdoptedIdError that says what is wrong and never quotes the id or the record
 * (a record may hold a secret). Treating it as "not adopted" instead would make destroy remove an object that
 * existed before routerstack rather than restore it.
 */
import type { z } from "zod";
import { deviceOpError } from "./errors";

export const ADOPTED_ID_MARK = "#adopted";

/** The record format this version writes (and the only one it reads). */
export const ADOPTED_RECORD_FORMAT = 1;

/** A resource id whose adoption suffix cannot be decoded; the message names what is wrong, never the id's text. */
export class AdoptedIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdoptedIdError";
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const LATER_FORMAT = /^\.v(\d+)=/;

/** `<record>` of format 1: base64url of the JSON of `record`. */
export function encodeAdoptionRecord(record: object): string {
  return Buffer.from(JSON.stringify(record)).toString("base64url");
}

/** `<base>#adopted=<record>` (format 1). */
export function encodeAdoptedId(base: string, record: object): string {
  return `${base}${ADOPTED_ID_MARK}=${encodeAdoptionRecord(record)}`;
}

/**
 * The record of a format-1 `<record>` text, as JSON.parse reads it, after checking it against `schema`.
 * @throws AdoptedIdError when it is not base64url, not JSON, not a JSON object, or not of the schema's shape (the
 *   message names the fields and the expected types, not their values).
 */
export function decodeAdoptionRecord<R>(text: string, schema: z.ZodType<R>): R {
  const unreadable = (why: string) => new AdoptedIdError(`the resource id's adoption record is unreadable: ${why}`);
  if (text === "") throw unreadable("it is empty");
  if (!BASE64URL.test(text)) throw unreadable("it is not base64url (A-Z a-z 0-9 - _)");
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    // JSON.parse's message quotes the text, which may hold a secret.
    throw unreadable("it is not base64url of JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw unreadable("it is not a JSON object");
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".") || "(record)"}: ${i.message}`).join("; ");
    throw unreadable(`unexpected shape (${fields})`);
  }
  // The record as stored, not the schema's copy of it: the schema checks the shape, it does not rewrite it.
  return value as R;
}

/**
 * Splits a driver id into its base and adoption record: `{ base: id }` for an id without `#adopted`.
 * @throws AdoptedIdError for `#adopted` without a record (the `adoptionRecord` output was lost), a record format
 *   this version does not read, anything else after the mark, or a record decodeAdoptionRecord refuses.
 */
export function decodeAdoptedId<R>(id: string, schema: z.ZodType<R>): { base: string; record?: R } {
  const at = id.indexOf(ADOPTED_ID_MARK);
  if (at < 0) return { base: id };
  const base = id.slice(0, at);
  const rest = id.slice(at + ADOPTED_ID_MARK.length);
  if (rest === "")
    throw new AdoptedIdError(
      "the resource id is marked adopted but carries no adoption record (the secret output adoptionRecord is missing from state)",
    );
  const later = LATER_FORMAT.exec(rest);
  if (later)
    throw new AdoptedIdError(
      `the resource id's adoption record is in format ${later[1]}, which this routerstack version does not read ` +
        `(it reads format ${ADOPTED_RECORD_FORMAT}); upgrade routerstack`,
    );
  if (!rest.startsWith("="))
    throw new AdoptedIdError(
      `the resource id has an unknown suffix after ${ADOPTED_ID_MARK} (expected ${ADOPTED_ID_MARK}=<record>)`,
    );
  return { base, record: decodeAdoptionRecord(rest.slice(1), schema) };
}

/** Splits a driver id into the Pulumi id (`<base>#adopted`) and its record; an id without a record is returned as it is. */
export function splitAdoptedId(driverId: string): { id: string; record?: string } {
  const at = driverId.indexOf(`${ADOPTED_ID_MARK}=`);
  if (at < 0) return { id: driverId };
  return { id: driverId.slice(0, at) + ADOPTED_ID_MARK, record: driverId.slice(at + ADOPTED_ID_MARK.length + 1) };
}

/**
 * The driver id of a Pulumi id: an issue-14 id (`…#adopted`) joined with its record (the `adoptionRecord` output);
 * an issue-7 id (`…#adopted=<record>`), an id without a record, or an id of an object that was not adopted as it
 * is. (A RemoteFile's `file:<path>#adopted` carries no record: its original is a copy on the device.)
 */
export function joinAdoptedId(id: string, record: unknown): string {
  if (!id.endsWith(ADOPTED_ID_MARK) || typeof record !== "string" || record === "") return id;
  return `${id}=${record}`;
}

/** decodeAdoptedId for a driver operation: a malformed id fails the operation as `<label>: <op> failed: <why>`. */
export function decodeAdoptedIdFor<R>(
  ctx: { label: string },
  op: string,
  id: string,
  schema: z.ZodType<R>,
): { base: string; record?: R } {
  try {
    return decodeAdoptedId(id, schema);
  } catch (e) {
    if (e instanceof AdoptedIdError) throw deviceOpError(ctx, op, e.message);
    throw e;
  }
}
