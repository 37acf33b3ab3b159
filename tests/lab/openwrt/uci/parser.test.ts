// openwrt-uci.md §2.10: the config-file parser.
import { parseConfigFile } from "./index";
import { makeLab } from "./fixtures";

describe("§2.10 accepted syntax", () => {
  test("quoting styles, concatenation, escapes", () => {
    const [s] = parseConfigFile(
      "config t 'n'\n" +
        "\toption a plain\n" +
        "\toption b 'a'\"b\"c\n" +
        '\toption c "line\\nfeed"\n' +
        "\toption d 'line\\nfeed'\n" +
        '\toption e "q\\"\\\\\\$"\n' +
        "\toption f back\\ slash\n" +
        "\toption 'quotedname' 'v'\n" +
        "\toption g 'multi\nline' # trailing comment\n",
    );
    expect(s.options).toEqual({
      a: "plain",
      b: "abc",
      c: "linenfeed",
      d: "line\\nfeed",
      e: 'q"\\$',
      f: "back slash",
      quotedname: "v",
      g: "multi\nline",
    });
  });

  test("CRLF tolerated; package line ignored when loaded by name", () => {
    expect(parseConfigFile("package other\r\nconfig t 'n'\r\n\toption a 'b'\r\n")).toEqual([
      { name: "n", type: "t", anonymous: false, options: { a: "b" } },
    ]);
  });

  test("empty option dropped, empty list element kept", () => {
    expect(parseConfigFile("config t 'n'\n\toption x ''\n\tlist y ''\n")[0].options).toEqual({ y: [""] });
  });

  test("duplicate sections merge; option/list interplay", () => {
    const [s] = parseConfigFile(
      "config t 'a'\n\toption x 1\n\toption x 2\nconfig t 'a'\n\toption l 2\n\tlist l 3\n\tlist m 1\n\toption m 4\n",
    );
    expect(s.options).toEqual({ x: "2", l: ["2", "3"], m: "4" });
  });

  test("';' separates commands, but the quirk loads only x", () => {
    expect(parseConfigFile("config sec 'a'; option x 1; option y '2;3'\n")[0].options).toEqual({ x: "1" });
  });

  test("a type may be any printable non-space text", () => {
    expect(parseConfigFile("config 'bad-name' 'x'\n")[0].type).toBe("bad-name");
  });
});

describe("§2.10 strict errors", () => {
  test.each([
    ["config a 'b'\n\toption x 1\n\tbogus\n", "Parse error (invalid command) at line 3, byte 1"],
    ["option x 1\n", "Parse error (option/list command found before the first section) at line 1, byte 0"],
    // the reference quotes "at line 1, byte 22" without its input; the byte is the read position
    // after the offending word (here past the '\n' that ended it)
    ["config iface bad-name\n", "Parse error (invalid character in name field) at line 1, byte 22"],
    ["config a 'b'\n\toption x 'unterminated\n", "Parse error (EOF with unterminated ') at line 2, byte 24"],
    ["config a 'b' extra\n", "Parse error (too many arguments) at line 1, byte 19"],
  ])("%j → %s", (text, message) => {
    expect(() => parseConfigFile(text)).toThrow(message);
  });

  test("non-strict mode skips bad lines", () => {
    expect(parseConfigFile("config a 'b'\nbogus\n\toption x 1\n", { strict: false })[0].options).toEqual({ x: "1" });
  });

  test("one bad line fails the whole package for show/get/set/export", () => {
    const lab = makeLab({ broken: "config a 'b'\n\toption x 1\nbogus\n" });
    try {
      const err = "uci: Parse error (invalid command) at line 3, byte 0\n";
      for (const args of [
        ["show", "broken"],
        ["get", "broken.b.x"],
        ["set", "broken.b.x=2"],
        ["export", "broken"],
      ]) {
        expect(lab.uci(args)).toEqual({ stdout: "", stderr: err, code: 1 });
      }
    } finally {
      lab.cleanup();
    }
  });
});
