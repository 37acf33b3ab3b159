import fc from "fast-check";
import * as codec from "../../../provider/routeros/codec";
import { decodeQuoted, tokenize } from "./cli-decoder";

const q = (s: string) => codec.quote(s).text;

describe("codec.quote (routeros-cli.md §3.3)", () => {
  it.each([
    ['say "hi"', '"say \\"hi\\""'],
    ["a$b", '"a\\$b"'],
    ["$(/system/reboot)", '"\\$(/system/reboot)"'],
    ["back\\slash", '"back\\\\slash"'],
    ["a;b#c", '"a;b#c"'],
    ["[/system/reboot]", '"[/system/reboot]"'],
    ["{ :put 1 }", '"{ :put 1 }"'],
    ["line1\nline2\r\tx", '"line1\\nline2\\r\\tx"'],
    ["\x07\x08\x0b\x0c", '"\\a\\b\\v\\f"'],
    ["nul\x00esc\x1bdel\x7f", '"nul\\00esc\\1Bdel\\7F"'],
    ["при", '"\\D0\\BF\\D1\\80\\D0\\B8"'],
    ["😀", '"\\F0\\9F\\98\\80"'],
    ["", '""'],
  ])("quotes %j as %s", (input, expected) => {
    expect(q(input)).toBe(expected);
  });

  it("always quotes, even values that would be legal bare", () => {
    expect(codec.value("ether1").text).toBe('"ether1"');
    expect(codec.value(30).text).toBe('"30"');
  });

  it("output is pure printable ASCII, so a value can never end its token or the line", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => /^"[\x20-\x7e]*"$/.test(q(s))));
  });

  it("decode(encode(s)) === s with an independent §3.3 decoder (any Unicode, controls, hostile characters)", () => {
    const hostile = fc.constantFrom(
      '"',
      "$",
      "\\",
      ";",
      "[",
      "]",
      "{",
      "}",
      "(",
      ")",
      "#",
      "\n",
      "\r",
      "\t",
      "\x00",
      "\x7f",
      "é",
      "\u2028",
      "😀",
      "=",
      "~",
    );
    const str = fc.array(fc.oneof(hostile, fc.string({ unit: "binary" })), { maxLength: 20 }).map((xs) => xs.join(""));
    fc.assert(
      fc.property(str, (s) => {
        // Lone surrogates are not representable in UTF-8; Buffer turns them into U+FFFD like any UTF-8 encoder.
        const expected = Buffer.from(s, "utf8").toString("utf8");
        return decodeQuoted(q(s)) === expected;
      }),
      { numRuns: 2000 },
    );
  });

  it("a quoted value tokenizes as exactly one string token inside a command line", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const cmd = codec.set("/ip/route", "*1", [{ kind: "value", prop: "comment", value: s }]);
        const toks = tokenize(cmd.text);
        return toks.length === 4 && toks[2].v === "comment=" && toks[3].t === "str" && toks[3].v === s;
      }),
    );
  });
});

describe("codec values and arguments", () => {
  it("encodes booleans as yes/no and lists comma-joined", () => {
    expect(codec.value(true).text).toBe('"yes"');
    expect(codec.value(false).text).toBe('"no"');
    expect(codec.value(["connected", "static"]).text).toBe('"connected,static"');
    expect(codec.value([]).text).toBe('""');
  });

  it("refuses list items containing a comma and non-finite numbers", () => {
    expect(() => codec.value(["a,b"])).toThrow(codec.CodecError);
    expect(() => codec.value(NaN)).toThrow(/cannot encode/);
  });

  it("builds add/set/remove with presence flags and unsets (§3.1)", () => {
    expect(
      codec.add("/ip/route", [
        { kind: "value", prop: "dst-address", value: "0.0.0.0/0" },
        { kind: "flag", prop: "blackhole", on: true },
      ]).text,
    ).toBe('/ip/route/add dst-address="0.0.0.0/0" blackhole');
    expect(
      codec.set("/routing/bgp/connection", "*2E", [
        { kind: "value", prop: "local.role", value: "ibgp-rr" },
        { kind: "unset", prop: "check-gateway" },
        { kind: "flag", prop: "fib", on: false },
      ]).text,
    ).toBe('/routing/bgp/connection/set *2E local.role="ibgp-rr" !check-gateway !fib');
    expect(codec.remove("/ip/firewall/nat", "*400ae12f").text).toBe("/ip/firewall/nat/remove *400ae12f");
  });

  it("validates menu paths, property names and ids against strict patterns", () => {
    for (const bad of ["ip/route", "/ip/route;/system/reboot", "/ip route", "/ip/route/", "/IP/route", '/ip/"x"']) {
      expect(() => codec.menuPath(bad)).toThrow(codec.CodecError);
    }
    for (const bad of ["Dst", "a=b", "x y", "-x", "a..b", "$x", "comment]"]) {
      expect(() => codec.propName(bad)).toThrow(/invalid RouterOS property name/);
    }
    for (const ok of ["check-gateway", "local.role", "output.default-originate", ".id"])
      expect(codec.propName(ok).text).toBe(ok);
    expect(() => codec.itemId("*1; /system/reboot")).toThrow(codec.CodecError);
    expect(() => codec.set("/ip/route", "1", [{ kind: "unset", prop: "scope" }])).toThrow(codec.CodecError);
    expect(() => codec.set("/ip/route", "*1", [])).toThrow(/without arguments/);
  });
});

describe("codec.where (§3.2)", () => {
  it("quotes every right-hand value and leaves ids bare", () => {
    expect(codec.where({ op: "eq", prop: "address", value: "192.168.1.1/24" }).text).toBe('address="192.168.1.1/24"');
    expect(codec.where({ op: "eq", prop: "disabled", value: false }).text).toBe('disabled="no"');
    expect(codec.where({ op: "id", id: "*1" }).text).toBe(".id=*1");
    expect(codec.where({ op: "regex", prop: "comment", pattern: "^rs:a$" }).text).toBe('comment~"^rs:a\\$"');
  });

  it("combines terms with parentheses", () => {
    const w = codec.where({
      op: "and",
      terms: [
        { op: "eq", prop: "name", value: "x" },
        { op: "not", term: { op: "ne", prop: "routing-table", value: "main" } },
      ],
    });
    expect(w.text).toBe('(name="x") && (!(routing-table!="main"))');
    expect(() => codec.where({ op: "or", terms: [] })).toThrow(/empty/);
  });

  it("regexPrefix escapes regex metacharacters so an identity matches literally", () => {
    const re = codec.regexPrefix("rs:proj.x/stack+1/a(b)");
    expect(re).toBe("^rs:proj[.]x/stack[+]1/a[(]b[)]");
    expect(new RegExp(re).test("rs:proj.x/stack+1/a(b) user")).toBe(true);
    expect(new RegExp(re).test("rs:projXx/stack+1/a(b)")).toBe(false);
  });

  it("builds the JSON read of §2.3", () => {
    expect(codec.printJson("/ip/route", { op: "eq", prop: "comment", value: "defconf" }).text).toBe(
      ':serialize to=json options=json.no-string-conversion [/ip/route/print detail as-value where comment="defconf"]',
    );
  });
});
