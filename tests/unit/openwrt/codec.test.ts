import fc from "fast-check";
import {
  CodecError,
  encodeUciBatch,
  encodeUciCommand,
  formatUciShowValue,
  shQuote,
  uciQuote,
  birdString,
  birdSymbol,
} from "../../../provider/openwrt/codec";
import { parseUciShow, UciShowParseError } from "../../../provider/openwrt/uci-show-parser";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// Strings uci can store: anything but NUL and the C0 controls other than TAB/LF/CR (openwrt-uci.md §2.1).
const storable = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom("'", "\\", '"', "$", "`", " ", "\t", "\n", "\r", "=", "#", ";", "é", "ü", "'\\''"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
  })
  // eslint-disable-next-line no-control-regex
  .filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s));

describe("uci quoting (§2.3: '…' with ' → '\\'')", () => {
  it("quotes like uci does", () => {
    expect(uciQuote(`It's a "test"`, "v")).toBe(`'It'\\''s a "test"'`);
    expect(uciQuote("back\\slash\\\\n $HOME `x`", "v")).toBe("'back\\slash\\\\n $HOME `x`'");
  });
  it("decode(encode(s)) === s for hostile strings, strings and lists", () => {
    fc.assert(
      fc.property(storable, (s) => {
        const [sec] = parseUciShow(`network.x=interface\nnetwork.x.o=${formatUciShowValue(s)}\n`);
        expect(sec.options.o).toBe(s);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(storable, { minLength: 2, maxLength: 5 }), (l) => {
        const [sec] = parseUciShow(`network.x=interface\nnetwork.x.o=${formatUciShowValue(l)}\nnetwork.x.after='1'\n`);
        expect(sec.options.o).toEqual(l);
        expect(sec.options.after).toBe("1");
      }),
      { numRuns: 300 },
    );
  });
  it("rejects control characters, naming the field", () => {
    expect(() => uciQuote("a\u0001b", "options.apn")).toThrow(
      new CodecError("options.apn", "contains control character U+0001, which uci rejects"),
    );
    expect(() =>
      encodeUciCommand({ op: "set", package: "network", section: "wan", option: "bad-opt", value: "1" }),
    ).toThrow(/^option: "bad-opt" is not a uci name/);
    expect(() =>
      encodeUciCommand({ op: "set-section", package: "network", section: "bad-name", type: "interface" }),
    ).toThrow(/^section:/);
    expect(() => encodeUciCommand({ op: "set", package: "network", section: "wan", option: "x", value: "" })).toThrow(
      /^options.x: is empty/,
    );
  });
  it("writes batch lines without commit", () => {
    expect(
      encodeUciBatch([
        { op: "set-section", package: "firewall", section: "wwan", type: "zone" },
        { op: "add_list", package: "firewall", section: "wwan", option: "network", value: "wwan" },
        { op: "delete-option", package: "firewall", section: "wwan", option: "masq" },
      ]),
    ).toBe("set firewall.wwan='zone'\nadd_list firewall.wwan.network='wwan'\ndelete firewall.wwan.masq\n");
  });
  it("addresses a singleton's options as @type[0], but never creates, retypes or deletes a section that way", () => {
    expect(
      encodeUciBatch([
        { op: "set", package: "system", section: "@system[0]", option: "hostname", value: "edge1" },
        { op: "delete-option", package: "system", section: "@system[0]", option: "notes" },
      ]),
    ).toBe("set system.@system[0].hostname='edge1'\ndelete system.@system[0].notes\n");
    expect(() =>
      encodeUciCommand({ op: "set-section", package: "system", section: "@system[0]", type: "system" }),
    ).toThrow(/section.*not a uci name/);
    expect(() => encodeUciCommand({ op: "delete-section", package: "system", section: "@system[0]" })).toThrow(
      /not a uci name/,
    );
    // Only index 0: a later index shifts when sections before it go (§2.5).
    expect(() =>
      encodeUciCommand({ op: "set", package: "system", section: "@system[1]", option: "hostname", value: "x" }),
    ).toThrow(/not a uci name/);
  });
});

describe("uci show parser", () => {
  it("parses the reference's examples (§2.2, §2.3)", () => {
    const text = [
      "network.loopback=interface",
      "network.loopback.device='lo'",
      "network.globals=globals",
      "network.globals.ula_prefix='fd12:3456:789a::/48'",
      "network.@device[0]=device",
      "network.@device[0].name='br-lan'",
      "network.@device[0].ports='lan1' 'lan2'",
      "firewall.cfg0792bd=rule",
      "firewall.cfg0792bd.name='It'\\''s a \"test\"'",
      "firewall.cfg0792bd.nl='line1",
      "line2'",
      "firewall.cfg0792bd.bs='back\\slash\\\\n $HOME `x`'",
      "firewall.cfg0792bd.tab='a\tb'",
      "firewall.cfg0792bd.eq='a=b=c'",
      "firewall.cfg0792bd.utf='héllo ü'",
      "firewall.cfg0792bd.lst='has space' 'it'\\''s' 'plain'",
      "",
    ].join("\n");
    const s = parseUciShow(text);
    expect(s.map((x) => `${x.package}.${x.name}=${x.type}`)).toEqual([
      "network.loopback=interface",
      "network.globals=globals",
      "network.@device[0]=device",
      "firewall.cfg0792bd=rule",
    ]);
    expect(s[2]).toMatchObject({ anonymous: true, options: { name: "br-lan", ports: ["lan1", "lan2"] } });
    expect(s[3].options).toEqual({
      name: `It's a "test"`,
      nl: "line1\nline2",
      bs: "back\\slash\\\\n $HOME `x`",
      tab: "a\tb",
      eq: "a=b=c",
      utf: "héllo ü",
      lst: ["has space", "it's", "plain"],
    });
  });
  it("is strict: options before sections, unterminated quotes, trailing text", () => {
    expect(() => parseUciShow("network.lan.proto='x'\n")).toThrow(UciShowParseError);
    expect(() => parseUciShow("network.lan=interface\nnetwork.lan.proto='x\n")).toThrow(/unterminated/);
    expect(() => parseUciShow("network.lan=interface\nnetwork.lan.proto='x' y\n")).toThrow(/line 2: unexpected text/);
    expect(() => parseUciShow("network.lan=interface\nnetwork.lan.proto=x\n")).toThrow(/must start with '/);
  });
});

describe("sh and BIRD quoting", () => {
  it("sh single-quoting survives a real shell", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("\u0000")),
        (s) => {
          expect(execFileSync("/bin/sh", ["-c", `printf '%s' ${shQuote(s, "x")}`], { encoding: "utf8" })).toBe(s);
        },
      ),
      { numRuns: 40 },
    );
  });
  it("BIRD strings and symbols refuse what BIRD 2.0 cannot hold", () => {
    expect(birdString("wwan0", "interface")).toBe('"wwan0"');
    expect(() => birdString('a"b', "interface")).toThrow(/^interface:/);
    expect(() => birdSymbol("lte-default", "name")).toThrow(/^name:/);
    expect(birdSymbol("lte_default", "name")).toBe("lte_default");
  });
});

describe("batch text through the lab's uci stand-in (openwrt-uci.md §2.8 tokenizer)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runUci } = require("../../lab/openwrt/uci/index.js") as typeof import("../../lab/openwrt/uci/index");
  it("what the batch sets is what show returns, for hostile strings and lists", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-codec-"));
    fs.mkdirSync(path.join(dir, "c"));
    try {
      let k = 0;
      fc.assert(
        fc.property(
          storable.filter((s) => s !== ""),
          fc.array(storable, { minLength: 2, maxLength: 4 }),
          (s, l) => {
            const conf = path.join(dir, "c");
            const save = path.join(dir, `t${k++}`);
            fs.writeFileSync(path.join(conf, "network"), "");
            const batch = encodeUciBatch([
              { op: "set-section", package: "network", section: "x", type: "interface" },
              { op: "set", package: "network", section: "x", option: "o", value: s },
              ...l.map((v) => ({ op: "add_list" as const, package: "network", section: "x", option: "l", value: v })),
            ]);
            const b = runUci(["-c", conf, "-t", save, "batch"], { stdin: batch });
            expect(b.stderr).toBe("");
            const [sec] = parseUciShow(runUci(["-c", conf, "-t", save, "show", "network"]).stdout);
            expect(sec.options.o).toBe(s);
            expect(sec.options.l).toEqual(l);
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
