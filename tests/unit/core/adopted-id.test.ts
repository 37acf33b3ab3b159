/**
 * Issue 16: one codec for the `#adopted=<base64url JSON>` id suffix (provider/core/adopted-id.ts). Before it, four
 * engines each wrote their own: menu-engine.ts and item-driver.ts (RouterOS), section-engine.ts and
 * bird-file-engine.ts (OpenWrt). Ids they wrote are in users' state, so this pins that every one of them decodes as
 * its own engine decoded it, that encode/decode round-trip, and that a malformed id is refused with a message that
 * says what is wrong and quotes neither the id nor the record.
 */
import fc from "fast-check";
import { z } from "zod";
import {
  AdoptedIdError,
  decodeAdoptedId,
  decodeAdoptedIdFor,
  encodeAdoptedId,
  joinAdoptedId,
  splitAdoptedId,
} from "../../../provider/core/adopted-id";
import { DeviceError } from "../../../provider/core/errors";
import { decodeSectionId, encodeSectionId } from "../../../provider/openwrt/section-engine";

const ANY_OBJECT = z.record(z.string(), z.unknown());
const b64 = (text: string) => Buffer.from(text).toString("base64url");

/** The encoders as each engine wrote them before issue 16 (git show e76db2e:<file>). */
const before16 = {
  menuEngine: (id: string, adopted: object) =>
    `${id}#adopted=${Buffer.from(JSON.stringify(adopted)).toString("base64url")}`,
  itemDriverItem: (id: string, was: object) =>
    `${id}#adopted=${Buffer.from(JSON.stringify(was)).toString("base64url")}`,
  itemDriverSingleton: (menu: string, previous: object) =>
    `singleton:${menu}:#adopted=${Buffer.from(JSON.stringify(previous)).toString("base64url")}`,
  sectionEngine: (pkg: string, section: string, adopted: object) =>
    `${pkg}.${section}#adopted=${Buffer.from(JSON.stringify(adopted)).toString("base64url")}`,
  birdFileEngine: (path: string, adopted: object) =>
    `bird:${path}#adopted=${Buffer.from(JSON.stringify(adopted)).toString("base64url")}`,
};

/** The decoders as each engine had them before issue 16, for well-formed ids. */
const decodedBefore16 = (id: string) => {
  const at = id.indexOf("#adopted=");
  return { base: id.slice(0, at), record: JSON.parse(Buffer.from(id.slice(at + 9), "base64url").toString("utf8")) };
};

describe("adopted-id codec", () => {
  it("ids written before issue 16 (format 1) decode to the same base and record (fixed strings from state)", () => {
    // Literal ids as the engines wrote them: a change of format breaks these, whatever the encoders do.
    const stored: [string, { base: string; record: object }][] = [
      [
        "*1A#adopted=eyJvcmlnaW5hbCI6eyJkc3RBZGRyZXNzIjoiMC4wLjAuMC8wIiwiZ2F0ZXdheSI6IjE5Mi4wLjIuMSJ9fQ",
        { base: "*1A", record: { original: { dstAddress: "0.0.0.0/0", gateway: "192.0.2.1" } } },
      ],
      [
        "singleton:/ip/dns#adopted=eyJvcmlnaW5hbCI6eyJzZXJ2ZXJzIjpbIjE5Mi4wLjIuNTMiXX19",
        { base: "singleton:/ip/dns", record: { original: { servers: ["192.0.2.53"] } } },
      ],
      [
        "*2#adopted=eyJjb21tZW50IjoibWluZSIsInByb3BlcnRpZXMiOnsibXR1IjoxNTAwLCJhcnAiOm51bGx9fQ",
        { base: "*2", record: { comment: "mine", properties: { mtu: 1500, arp: null } } },
      ],
      [
        "singleton:/system/note:#adopted=eyJub3RlIjoib2xkIn0",
        { base: "singleton:/system/note:", record: { note: "old" } },
      ],
      [
        "network.wwan#adopted=eyJ0eXBlIjoiaW50ZXJmYWNlIiwib3B0aW9ucyI6eyJwcm90byI6InFtaSIsImRucyI6WyIxOTIuMC4yLjUzIl19fQ",
        { base: "network.wwan", record: { type: "interface", options: { proto: "qmi", dns: ["192.0.2.53"] } } },
      ],
      [
        "bird:/etc/bird.d/lte.conf#adopted=eyJjb250ZW50IjoicHJvdG9jb2wgc3RhdGljIHt9XG4iLCJtb2RlIjo0MjB9",
        { base: "bird:/etc/bird.d/lte.conf", record: { content: "protocol static {}\n", mode: 420 } },
      ],
    ];
    for (const [id, want] of stored) {
      expect(decodeAdoptedId(id, ANY_OBJECT)).toEqual(want);
      expect(decodedBefore16(id)).toEqual(want);
    }
    const section = decodeSectionId(stored[4][0]);
    expect(section).toEqual({ package: "network", section: "wwan", adopted: stored[4][1].record });
    expect(encodeSectionId(section)).toBe(stored[4][0]);
  });

  const record = fc.dictionary(fc.string(), fc.jsonValue());

  it("each engine's pre-issue-16 encoding is byte for byte what encodeAdoptedId writes, and decodes alike", () => {
    fc.assert(
      fc.property(record, fc.stringMatching(/^\*[0-9A-F]{1,6}$/), (rec, itemId) => {
        const ids = [
          [before16.menuEngine(itemId, { original: rec }), encodeAdoptedId(itemId, { original: rec })],
          [
            before16.itemDriverItem(itemId, { comment: "", properties: rec }),
            encodeAdoptedId(itemId, { comment: "", properties: rec }),
          ],
          [before16.itemDriverSingleton("/system/note", rec), encodeAdoptedId("singleton:/system/note:", rec)],
          [before16.sectionEngine("network", "wwan", rec), encodeAdoptedId("network.wwan", rec)],
          [before16.birdFileEngine("/etc/bird.d/x.conf", rec), encodeAdoptedId("bird:/etc/bird.d/x.conf", rec)],
        ];
        for (const [old, now] of ids) {
          expect(now).toBe(old);
          expect(decodeAdoptedId(old, ANY_OBJECT)).toEqual(decodedBefore16(old));
        }
      }),
    );
  });

  it("round trip: any base without the mark and any JSON object record", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("#adopted")),
        record,
        (base, rec) => {
          const id = encodeAdoptedId(base, rec);
          expect(decodeAdoptedId(id, ANY_OBJECT)).toEqual({ base, record: JSON.parse(JSON.stringify(rec)) });
          // What the dynamic provider stores (issue 14) joins back to the same driver id.
          const { id: pulumiId, record: output } = splitAdoptedId(id);
          expect(pulumiId).toBe(`${base}#adopted`);
          expect(joinAdoptedId(pulumiId, output)).toBe(id);
        },
      ),
    );
  });

  it("an id without the mark is not adopted", () => {
    expect(decodeAdoptedId("*1A", ANY_OBJECT)).toEqual({ base: "*1A" });
    expect(decodeAdoptedId("network.wwan", ANY_OBJECT)).toEqual({ base: "network.wwan" });
  });

  describe("a malformed id is refused, saying what is wrong and quoting nothing of it", () => {
    const SECRET = "hunter2-psk";
    const SHAPE = z.looseObject({ original: z.record(z.string(), z.unknown()) });
    const cases: [string, string, RegExp][] = [
      ["no record (the adoptionRecord output lost)", "*1A#adopted", /marked adopted but carries no adoption record/],
      ["an empty record", "*1A#adopted=", /adoption record is unreadable: it is empty/],
      ["not base64url", `*1A#adopted=${SECRET}!`, /unreadable: it is not base64url/],
      ["not JSON", `*1A#adopted=${b64(`{"original": ${SECRET}`)}`, /unreadable: it is not base64url of JSON/],
      ["JSON but not an object", `*1A#adopted=${b64(`["${SECRET}"]`)}`, /unreadable: it is not a JSON object/],
      [
        "an object of the wrong shape",
        `*1A#adopted=${b64(`{"original":"${SECRET}"}`)}`,
        /unreadable: unexpected shape \(original: .*expected record/,
      ],
      [
        "a later record format",
        `*1A#adopted.v2=${b64(SECRET)}`,
        /format 2, which this routerstack version does not read \(it reads format 1\); upgrade/,
      ],
      ["something else after the mark", `*1A#adopted-${SECRET}`, /unknown suffix after #adopted/],
    ];
    it.each(cases)("%s", (_what, id, message) => {
      let thrown: unknown;
      try {
        decodeAdoptedId(id, SHAPE);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(AdoptedIdError);
      const text = (thrown as Error).message;
      expect(text).toMatch(message);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(id.slice(id.indexOf("#")));
    });

    it("in a driver operation it fails as `<label>: <op> failed: <why>`", () => {
      const ctx = { label: 'kind "site/prod/x" on device "crs"' };
      expect(() => decodeAdoptedIdFor(ctx, "delete", "*1A#adopted", SHAPE)).toThrow(
        new DeviceError(
          'kind "site/prod/x" on device "crs": delete failed: the resource id is marked adopted but carries no ' +
            "adoption record (the secret output adoptionRecord is missing from state)",
        ),
      );
    });
  });
});
