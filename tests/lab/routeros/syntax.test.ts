/**
 * Quoting, escaping and parse errors (routeros-cli.md §3.3, §4.1, §4.2): only double quotes; the escapes
 * `\" \\ \n \r \t \$ \_ \a \b \f \v \XX`; `$name` substitutes inside quotes (undefined → empty); unknown escapes,
 * `$`/`\` outside quotes and `'` are syntax errors; a parse error aborts the whole line before anything runs.
 */
import { createRouterOsCli } from "./index";

const run = (line: string, cli = createRouterOsCli()): string => cli.run(line);

describe("§3.3 quoting and escaping", () => {
  test.each([
    ['"a\\"b"', 'a"b'],
    ['"a\\\\b"', "a\\b"],
    ['"a\\$b"', "a$b"],
    ['"a\\_b"', "a b"],
    ['"a\\tb"', "a\tb"],
    ['"\\07\\08"', "\x07\x08"],
    ['"\\a\\b\\f\\v"', "\x07\x08\x0c\x0b"],
    // \XX decodes bytes, stored as UTF-8 (§3.3 "при" round trip)
    ['"\\D0\\BF\\D1\\80\\D0\\B8"', "при"],
    ['"при"', "при"],
    ['"a;b#c[d]{e}(f)"', "a;b#c[d]{e}(f)"],
  ])("%s is stored as %j", (quoted, stored) => {
    const cli = createRouterOsCli();
    expect(cli.run(`/ip/route/add gateway=pppoe-gpon comment=${quoted}`)).toBe("");
    const routes = cli.dump()["/ip/route"] as { comment: string }[];
    expect(routes[0].comment).toBe(stored);
  });

  test("\\n and \\r inside a value print as a CRLF line break through :put", () => {
    expect(run(':put "a\\nb"')).toBe("a\r\nb\r\n");
  });

  test("$var inside quotes substitutes; undefined is silently empty (TIK4NET §10.4b)", () => {
    expect(run(':put "x$y z"')).toBe("x z\r\n");
    expect(run(':local y "Q"; :put "x$y z"')).toBe("xQ z\r\n");
  });

  test.each([
    [":put 'a'", 6],
    [":put a$b", 7],
    [":put a\\b", 7],
    [':put "\\y"', 7],
    // lower-case hex is not an escape: \d0 is unknown
    [':put "\\d0"', 7],
    [':put "unterminated', 19],
    ["/ip/route/add comment=a$b", 24],
  ])("%s → syntax error at column %d", (line, col) => {
    expect(run(line)).toBe(`syntax error (line 1 column ${col})\r\n`);
  });

  test("# starts a comment outside quotes; inside quotes it is literal", () => {
    expect(run(':put "a#b" # trailing comment')).toBe("a#b\r\n");
  });
});

describe("§4.2 parse errors abort the whole line", () => {
  test("a bad command later on the line: nothing before it runs", () => {
    const cli = createRouterOsCli();
    const before = cli.dump();
    expect(cli.run('/ip/route/add gateway=pppoe-gpon comment="one"; :put "x"; /ip/bogus/add')).toBe(
      "bad command name bogus (line 1 column 63)\r\n",
    );
    expect(cli.dump()).toEqual(before);
  });

  test("unknown script command and unknown relative command", () => {
    expect(run(":foo")).toBe("bad command name foo (line 1 column 2)\r\n");
    expect(run(":put [find]")).toBe("bad command name find (line 1 column 7)\r\n");
  });

  test("extra tokens → expected end of command", () => {
    expect(run(':put "a" "b"')).toBe("expected end of command (line 1 column 10)\r\n");
  });

  test("bad id literal in find → expected item id (§3.1)", () => {
    expect(run(":put [/ip/route/find .id=garbage]")).toBe("expected item id (line 1 column 26)\r\n");
  });

  test("presence flags take no value: fib=yes is rejected (§3.1)", () => {
    expect(run("/routing/table/add name=t1 fib=yes")).toMatch(/^syntax error \(line 1 column \d+\)\r\n$/);
    expect(run("/routing/table/add name=t1 fib")).toBe("");
  });

  test.each([
    ["7.23", "bad parameter distanse (line 1 column 30)"],
    ["7.20", "syntax error (line 1 column 30)"],
  ] as const)("unknown parameter wording on %s (§4.1, §7)", (version, text) => {
    expect(run("/ip/route/add gateway=ether1 distanse=2", createRouterOsCli({ version }))).toBe(`${text}\r\n`);
  });

  test("read-only properties are not parameters", () => {
    expect(run("/ip/route/add gateway=ether1 active=yes", createRouterOsCli({ version: "7.23" }))).toBe(
      "bad parameter active (line 1 column 30)\r\n",
    );
  });

  test("space form and slash form of paths are the same command", () => {
    const cli = createRouterOsCli();
    expect(cli.run("/ip route add gateway=ether2 comment=a")).toBe("");
    expect(cli.run("/ip/route add gateway=ether2 comment=b")).toBe("");
    expect(cli.run(':put [/ip route find where comment~"^[ab]\\$"]')).toBe("*3;*4\r\n");
  });
});
