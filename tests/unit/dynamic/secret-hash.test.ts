/**
 * Issue 14 (Medium): secret hashes were `sha256(identity, field, value)` with a public identity, so a 4-digit PIN
 * fell to a brute force in a fraction of a second. They are now HMAC-SHA256 under a random key per resource,
 * created on first use and kept in the same secret output (`secretHashes["#key"]`, encrypted in state like the
 * hashes). Hashes of the old form are still compared (migration) and replaced by the new form on the next read.
 * Driven through the dynamic provider (engine.ts) against the RouterOS emulator, with a ModemProfile's password.
 */
import { createHash } from "crypto";
import { createConsole } from "../../lab/routeros/cli";
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider, secretHash } from "../../../provider/dynamic/provider-factory";
import { kind as modemProfile } from "../../../provider/resources/routeros/modem-profile";
import { clearVersionCache } from "../../../provider/routeros/version";
import { ctxFor } from "../routeros/lifecycle";

const IDENTITY = "site/prod/apn";
const PIN = "4821";
const raw = (password: string) => ({
  device: "crs",
  identity: IDENTITY,
  name: "lte-apn",
  apn: "internet",
  authentication: "pap",
  user: "lte",
  password,
  ipType: "ipv4",
  defaultRouteDistance: 200,
});
const legacy = (value: string) =>
  "sha256:" +
  createHash("sha256")
    .update(`${IDENTITY}\0password\0${JSON.stringify(value)}`)
    .digest("hex");

let spy: jest.SpyInstance;
beforeEach(() => {
  clearVersionCache();
  const c = createConsole({ version: "7.20" });
  const { transport } = ctxFor({
    run: (l: string) => c.run(l),
    renumber: () => c.state.renumber(),
    dump: () => c.dump(),
  } as never);
  spy = jest.spyOn(devices, "transportFor").mockReturnValue(transport);
});
afterEach(() => spy.mockRestore());

describe("secret hashes are keyed, not brute-forceable from the identity", () => {
  it("a 4-digit PIN's hash matches no sha256(identity, field, candidate); the key is random per resource", async () => {
    const p = makeProvider(modemProfile);
    const created = await p.create((await p.check({}, raw(PIN))).inputs);
    const hashes = created.outs.secretHashes as Record<string, string>;
    expect(hashes.password).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(hashes["#key"]).toMatch(/^[0-9a-f]{64}$/);
    const found = Array.from({ length: 10000 }, (_, n) => String(n).padStart(4, "0")).filter((c) =>
      [legacy(c), legacy(c).slice(7)].some((h) => hashes.password.includes(h.slice(-64))),
    );
    expect(found).toEqual([]);
    // The same identity and value under another key hash differently: nothing precomputed helps.
    expect(secretHash(IDENTITY, "password", PIN, "00".repeat(32))).not.toBe(hashes.password);
    expect(secretHash(IDENTITY, "password", PIN, hashes["#key"])).toBe(hashes.password);
  });

  it("diff compares through the resource's key: same secret no change, another secret a change", async () => {
    const p = makeProvider(modemProfile);
    const created = await p.create((await p.check({}, raw(PIN))).inputs);
    const same = (await p.check(created.outs, raw(PIN))).inputs;
    expect((await p.diff("*1", created.outs, same)).changes).toBe(false);
    const other = (await p.check(created.outs, raw("4822"))).inputs;
    expect((await p.diff("*1", created.outs, other)).changes).toBe(true);
  });

  it("a hash of the old form is still compared, and the next read replaces it by a keyed one", async () => {
    const p = makeProvider(modemProfile);
    const created = await p.create((await p.check({}, raw(PIN))).inputs);
    const olds = { ...created.outs, secretHashes: { password: legacy(PIN) } };
    expect((await p.diff("*1", olds, (await p.check(olds, raw(PIN))).inputs)).changes).toBe(false);
    expect((await p.diff("*1", olds, (await p.check(olds, raw("4822"))).inputs)).changes).toBe(true);
    const read = await p.read(created.id, olds);
    const migrated = (read.props as Record<string, unknown>).secretHashes as Record<string, string>;
    expect(migrated.password).toMatch(/^hmac-sha256:/);
    expect(JSON.stringify(read.props)).not.toContain(legacy(PIN).slice(7));
  });
});
