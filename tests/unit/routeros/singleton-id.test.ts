/**
 * Issue 14 (High, ids): a RoutersItem on a singleton menu kept the values it overwrote in its resource id
 * (`singleton:<menu>:<base64url JSON>`), and Pulumi never encrypts ids. The record now goes to the secret output
 * `adoptionRecord` like every adoption record (provider/resources/kind.ts splitAdoptedId); ids of the old form are
 * still read and destroy still puts the old values back.
 */
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import { kind as routerosItem } from "../../../provider/resources/routeros/item";
import { providerOnEmulator } from "./fixtures";

const BEFORE = "old-note-c0ffee";
const site = providerOnEmulator((dev) => {
  dev.run(`/system/note/set note="${BEFORE}"`);
});

const raw = {
  device: "crs",
  identity: "site/prod/note",
  menu: "/system/note",
  singleton: true,
  properties: { note: "managed" },
};
const note = () => (site.dev.dump()["/system/note"] as Record<string, unknown>[])[0]?.note;

describe("a singleton RoutersItem's previous values", () => {
  it("are kept out of the id, in the secret output, and restored on destroy", async () => {
    const p = makeProvider(routerosItem);
    const created = await p.create((await p.check({}, raw)).inputs);
    expect(created.id).toBe("singleton:/system/note:#adopted");
    expect(Buffer.from(String(created.outs.adoptionRecord), "base64url").toString("utf8")).toContain(BEFORE);
    expect(JSON.stringify(created.outs.observed)).not.toContain(BEFORE);
    expect(note()).toBe("managed");
    expect((await p.read(created.id, created.outs)).id).toBe(created.id);
    await p.delete(created.id, created.outs);
    expect(note()).toBe(BEFORE);
  });

  it("an id of the old form (values inline) is still read and restored", async () => {
    const p = makeProvider(routerosItem);
    const created = await p.create((await p.check({}, raw)).inputs);
    const legacy = `singleton:/system/note:${String(created.outs.adoptionRecord)}`;
    const { adoptionRecord: _r, ...outs } = created.outs as Record<string, unknown>;
    await p.delete(legacy, outs);
    expect(note()).toBe(BEFORE);
  });
});
