/**
 * Malformed adoption records for the engines' refusal tests (tests/unit/routeros/adopted-id-refused.test.ts,
 * tests/unit/openwrt/adopted-id-refused.test.ts), and the check that an operation fails naming itself and what is
 * wrong while quoting none of the record.
 */
const b64 = (text: string) => Buffer.from(text).toString("base64url");

/** What each id carries in place of a record; no error may quote it. */
export const SECRET = "hunter2-psk";

/** [what is wrong, the id built from an engine's base id, the error's wording] */
export const BAD_RECORDS: [string, (base: string) => string, RegExp][] = [
  ["lost", (base) => `${base}#adopted`, /carries no adoption record/],
  ["not JSON", (base) => `${base}#adopted=${b64(`{"x":${SECRET}`)}`, /unreadable: it is not base64url of JSON/],
  ["of the wrong shape", (base) => `${base}#adopted=${b64(`{"x":"${SECRET}"}`)}`, /unreadable: unexpected shape/],
];

/** Each operation fails as `<label>: <op> failed: …<message>` and its error does not contain SECRET. */
export async function expectRefused(
  label: string,
  message: RegExp,
  ops: Record<"read" | "update" | "delete", () => Promise<unknown>>,
): Promise<void> {
  for (const [op, run] of Object.entries(ops)) {
    const e = await run().then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e?.message).toMatch(new RegExp(`^${label}: ${op} failed: .*${message.source}`));
    expect(e?.message).not.toContain(SECRET);
  }
}
