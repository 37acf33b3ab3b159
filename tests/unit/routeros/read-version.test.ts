import {
  boolValue,
  durationValue,
  intValue,
  listValue,
  parseRows,
  ReadError,
  textValue,
} from "../../../provider/routeros/read";
import { durationText } from "../../../provider/routeros/property-types";
import {
  bgpModel,
  clearVersionCache,
  deviceVersion,
  parseVersion,
  requireBgpInstanceModel,
} from "../../../provider/routeros/version";
import { DeviceError } from "../../../provider/resources/kind";
import { emulator, reportingVersion, transportFor } from "./fixtures";

describe("JSON read normalisation (routeros-cli.md §2.3)", () => {
  it("parses rows; [] is empty; a singleton menu's bare object is one row", () => {
    expect(parseRows(["[]"])).toEqual([]);
    expect(parseRows(['{"version":"7.20.8 (stable)","uptime":"24s"}'])).toEqual([
      { version: "7.20.8 (stable)", uptime: "24s" },
    ]);
  });

  it("treats null and a missing key alike (unset)", () => {
    const [a] = parseRows(['[{".id":"*1","check-gateway":null,"distance":1}]']);
    expect("check-gateway" in a).toBe(false);
    expect(a).toEqual({ ".id": "*1", distance: 1 });
  });

  it("normalises integers sent as floats, numeric strings stay strings until typed", () => {
    const [r] = parseRows(['[{"key-size":2048.000000,"factory-software":7.100000,"string":"1234"}]']);
    expect(r["key-size"]).toBe(2048);
    expect(intValue(r["key-size"])).toBe(2048);
    expect(r.string).toBe("1234");
    expect(intValue("1234")).toBe(1234);
    expect(intValue("30.000000")).toBe(30);
    expect(intValue(7.1)).toBeUndefined();
    expect(intValue("ten")).toBeUndefined();
    expect(textValue(r["factory-software"])).toBe("7.1");
  });

  it("joins payload lines (output wrapping) and rejects non-JSON with the text", () => {
    expect(parseRows(['[{"a":"x', 'y"}]'])).toEqual([{ a: "xy" }]);
    expect(() => parseRows(["no such item"])).toThrow(ReadError);
    expect(() => parseRows(["no such item"])).toThrow(/not JSON: "no such item"/);
    expect(() => parseRows(["[1]"])).toThrow(/not an object/);
  });

  it.each([
    ["30s", 30],
    ["1m30s", 90],
    ["00:00:30", 30],
    ["3m", 180],
    ["1h", 3600],
    ["1d2h", 93600],
    ["1w2d03:04:05", 788645],
    [45, 45],
    ["45", 45],
  ])("duration %j → %d seconds", (text, secs) => {
    expect(durationValue(text)).toBe(secs);
  });

  it("durations it cannot represent are undefined (shown as drift by the engine)", () => {
    expect(durationValue("infinity")).toBeUndefined();
    expect(durationValue("100ms")).toBeUndefined();
    expect(durationValue(1.5)).toBeUndefined();
  });

  it("durationText writes compact RouterOS intervals", () => {
    expect([0, 10, 30, 90, 180, 3600, 93600].map(durationText)).toEqual([
      "0s",
      "10s",
      "30s",
      "1m30s",
      "3m",
      "1h",
      "1d2h",
    ]);
    for (const s of [0, 1, 59, 61, 3599, 86401, 700000]) expect(durationValue(durationText(s))).toBe(s);
    expect(() => durationText(1.5)).toThrow(RangeError);
  });

  it("lists from JSON arrays or comma text; booleans from true/false or yes/no", () => {
    expect(listValue(["connected", "static"])).toEqual(["connected", "static"]);
    expect(listValue("connected,static")).toEqual(["connected", "static"]);
    expect(listValue("")).toEqual([]);
    expect(listValue(undefined)).toBeUndefined();
    expect([true, false, "yes", "no", "true", "maybe"].map(boolValue)).toEqual([
      true,
      false,
      true,
      false,
      true,
      undefined,
    ]);
  });
});

describe("version probe (T1, §7)", () => {
  beforeEach(() => clearVersionCache());

  it.each([
    ["7.20.8 (stable)", { major: 7, minor: 20, patch: 8, channel: "stable", prerelease: "" }],
    ["7.16 (long-term)", { major: 7, minor: 16, patch: 0, channel: "long-term" }],
    ["7.21rc2 (testing)", { major: 7, minor: 21, prerelease: "rc2", channel: "testing" }],
    ["7.20beta3", { major: 7, minor: 20, prerelease: "beta3", channel: "" }],
  ])("parses %s", (text, want) => {
    expect(parseVersion(text)).toMatchObject(want);
  });

  it("rejects text that is not a version", () => {
    expect(parseVersion("bad command name get (line 1 column 19)")).toBeUndefined();
  });

  it("probes with :put [/system/resource/get version] inside the envelope", async () => {
    const t = transportFor(emulator("7.20"));
    const v = await deviceVersion(t, "crs");
    expect(v).toMatchObject({ major: 7, minor: 20, patch: 8, text: "7.20.8 (stable)" });
    expect(t.execs[0]).toContain(":put [/system/resource/get version]");
  });

  it("refuses RouterOS 7.15 naming the device and the version found", async () => {
    const t = transportFor(reportingVersion("7.15.3 (stable)"));
    await expect(deviceVersion(t, "crs")).rejects.toThrow(DeviceError);
    await expect(deviceVersion(t, "crs")).rejects.toThrow(
      'device "crs" runs RouterOS 7.15.3 (stable); routerstack needs RouterOS 7.16 or newer',
    );
  });

  it("names the version of a device too old for the envelope (no :onerror before 7.13)", async () => {
    const t = transportFor({
      run: (line: string) =>
        line.includes(":onerror") ? "bad command name onerror (line 1 column 24)\r\n" : "7.12.2 (stable)\r\n",
    });
    await expect(deviceVersion(t, "old")).rejects.toThrow('device "old" runs RouterOS 7.12.2 (stable)');
  });

  it("probes once per device name", async () => {
    const t = transportFor(emulator());
    await deviceVersion(t, "crs");
    await deviceVersion(t, "crs");
    expect(t.execs).toHaveLength(1);
    await deviceVersion(t, "other");
    expect(t.execs).toHaveLength(2);
  });

  it("chooses the BGP model: instance+connection from 7.20, refused before", () => {
    expect(bgpModel(parseVersion("7.20.8 (stable)")!)).toBe("instance");
    expect(bgpModel(parseVersion("7.19.6 (stable)")!)).toBe("template-connection");
    expect(() => requireBgpInstanceModel(parseVersion("7.19.6 (stable)")!, "crs")).toThrow(
      'device "crs" runs RouterOS 7.19.6 (stable): /routing/bgp/instance exists from RouterOS 7.20; ' +
        "on 7.16–7.19 leave out the BgpInstance and give the BgpSession (or BgpTemplate) a routerId",
    );
  });
});
