/**
 * Conformance with the exec transcripts of reference/routeros-cli.md §8 (T1–T10), byte-exact including CRLF.
 * Setup lines that the transcripts presuppose (the addresses of T5–T7, the two earlier routes that make T2
 * return `*3`) are stated per test.
 */
import { createRouterOsCli } from "./index";

const CRLF = "\r\n";

describe("routeros-cli.md §8 transcripts", () => {
  test("T1 — version query", () => {
    const cli = createRouterOsCli({ version: "7.20" });
    expect(cli.run(":put [/system/resource/get version]")).toBe(`7.20.8 (stable)${CRLF}`);
  });

  describe("T2–T4 on the reference config (ids *1 and *2 are the connected routes of vlan6's IPv4 and IPv6 addresses)", () => {
    const cli = createRouterOsCli();
    test("T2 — add returning the id", () => {
      expect(
        cli.run(
          ':put [/ip/route/add dst-address=0.0.0.0/0 gateway=198.51.100.1 distance=1 check-gateway=ping comment="iac:wan1-default"]',
        ),
      ).toBe(`*3${CRLF}`);
    });
    test("T3 — plain add / set are silent", () => {
      expect(
        cli.run('/ip/route/add dst-address=0.0.0.0/0 gateway=203.0.113.1 distance=2 comment="iac:wan2-default"'),
      ).toBe("");
      expect(cli.run('/ip/route/set [find where comment="iac:wan2-default"] distance=3')).toBe("");
      expect(cli.run(':put [/ip/route/get [find where comment="iac:wan2-default"] distance]')).toBe(`3${CRLF}`);
    });
    test("T4 — find returns an id list", () => {
      expect(cli.run(':put [/ip/route/find where comment~"^iac:"]')).toBe(`*3;*4${CRLF}`);
    });
  });

  describe("T5–T7 on an empty config with the two addresses of the transcripts", () => {
    const cli = createRouterOsCli({ startingConfig: "empty" });
    beforeAll(() => {
      expect(cli.run("/ip/address/add address=192.168.88.1/24 comment=defconf interface=bridge")).toBe("");
      expect(cli.run("/ip/address/add address=198.51.100.2/30 interface=ether1")).toBe("");
    });
    test("T5 — as-value (flat, unescaped)", () => {
      expect(cli.run(":put [/ip/address/print as-value where interface=bridge]")).toBe(
        `.id=*1;address=192.168.88.1/24;comment=defconf;interface=bridge;network=192.168.88.0${CRLF}`,
      );
    });
    test("T6 — JSON read, and the empty result", () => {
      expect(
        cli.run(
          ':put [:serialize to=json options=json.no-string-conversion [/ip/address/print as-value where comment="defconf"]]',
        ),
      ).toBe(
        `[{".id":"*1","address":"192.168.88.1/24","comment":"defconf","interface":"bridge","network":"192.168.88.0"}]${CRLF}`,
      );
      expect(
        cli.run(
          ':put [:serialize to=json options=json.no-string-conversion [/ip/address/print as-value where comment="nope"]]',
        ),
      ).toBe(`[]${CRLF}`);
    });
    test("T7 — DSV read", () => {
      expect(cli.run(':put [:serialize to=dsv options=dsv.remap delimiter="#" [/ip/address/print as-value]]')).toBe(
        [
          ".id#address#comment#interface#network",
          "*1#192.168.88.1/24#defconf#bridge#192.168.88.0",
          "*2#198.51.100.2/30##ether1#198.51.100.0",
          "",
        ].join(CRLF),
      );
    });
  });

  test("T8 — reference error, uncaught", () => {
    const cli = createRouterOsCli();
    expect(cli.run("/ip/address/add address=10.9.9.1/24 interface=nonexistent")).toBe(
      `input does not match any value of interface${CRLF}`,
    );
  });

  test("T9 — the same inside the envelope", () => {
    const cli = createRouterOsCli();
    expect(
      cli.run(
        ':put "IAC-BEGIN"; :onerror e in={ /ip/address/add address=10.9.9.1/24 interface=nonexistent } do={ :put ("IAC-ERR " . $e) }; :put "IAC-END"',
      ),
    ).toBe(`IAC-BEGIN${CRLF}IAC-ERR input does not match any value of interface${CRLF}IAC-END${CRLF}`);
  });

  describe("T10 — parse errors (not catchable, nothing runs)", () => {
    test("bare `note=` followed by another argument", () => {
      const cli = createRouterOsCli();
      expect(cli.run("/system note set note= show-at-login=yes")).toBe(
        `expected end of command (line 1 column 24)${CRLF}`,
      );
    });
    test.each([
      ["7.23", "bad parameter bogus (line 1 column 54)"],
      ["7.20", "syntax error (line 1 column 54)"],
      ["7.19", "syntax error (line 1 column 54)"],
      ["7.16", "syntax error (line 1 column 54)"],
    ] as const)("unknown parameter on %s", (version, text) => {
      const cli = createRouterOsCli({ version });
      const before = cli.dump();
      expect(cli.run("/ip/address/add address=10.9.9.1/24 interface=ether1 bogus=1")).toBe(`${text}${CRLF}`);
      expect(cli.dump()).toEqual(before);
    });
  });
});
