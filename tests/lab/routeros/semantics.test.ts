/**
 * Runtime semantics: silent verbs and ids (routeros-cli.md §3.1, §2.4), find/where (§3.2), runtime errors and
 * their catching (§4.1, §4.2), menu schemas and version gates (§5, §7), JSON formats and the unverified
 * variations (§2.3, DESIGN.md "The lab"), dump() and renumber().
 */
import { createRouterOsCli } from "./index";
import { createConsole, ROUTEROS_VERSIONS } from "./cli";

const json = (menu: string, where = ""): string =>
  `:put [:serialize to=json options=json.no-string-conversion [${menu}/print detail as-value${where ? ` where ${where}` : ""}]]`;
const parse = (out: string): Record<string, unknown>[] => JSON.parse(out.trimEnd());

describe("§3.1 verbs and §2.4 ids", () => {
  test("add returns *hex ids, never reused after remove", () => {
    const cli = createRouterOsCli({ startingConfig: "empty" });
    expect(cli.run(":put [/ip/firewall/nat/add chain=srcnat action=masquerade out-interface=ether1]")).toBe("*1\r\n");
    expect(cli.run("/ip/firewall/nat/remove *1")).toBe("");
    expect(cli.run(":put [/ip/firewall/nat/add chain=srcnat action=masquerade out-interface=ether1]")).toBe("*2\r\n");
    for (let n = 0; n < 12; n++) cli.run("/ip/firewall/nat/add chain=srcnat action=accept");
    expect(cli.run(":put [/ip/firewall/nat/add chain=srcnat action=accept]")).toBe("*F\r\n");
  });

  test("set, unset, !prop, remove, move, enable, disable are silent", () => {
    const cli = createRouterOsCli();
    const id = cli.run(':put [/ip/route/add gateway=pppoe-gpon check-gateway=ping comment="c"]').trim();
    for (const line of [
      `/ip/route/set ${id} distance=4`,
      `/ip/route/set ${id} !check-gateway`,
      `/ip/route/unset ${id} value-name=comment`,
      `/ip/route/disable ${id}`,
      `/ip/route/enable ${id}`,
      "/ip/firewall/filter/move *4 *1",
      `/ip/route/remove ${id}`,
    ]) {
      expect(cli.run(line)).toBe("");
    }
  });

  test("empty [find] with set/remove is a silent no-op [I §3.1]", () => {
    const cli = createRouterOsCli();
    expect(
      cli.run('/ip/route/set [find where comment="nope"] distance=2; /ip/route/remove [find where comment="nope"]'),
    ).toBe("");
  });

  test("no such item for a missing id or name (§4.1)", () => {
    const cli = createRouterOsCli();
    expect(cli.run("/ip/route/set *99 distance=2")).toBe("no such item\r\n");
    expect(cli.run(":put [/interface/pppoe-client/get nope user]")).toBe("no such item\r\n");
    expect(cli.run(":put [/interface/pppoe-client/get pppoe-gpon user]")).toBe("crs@gpon.example\r\n");
  });

  test("get value-name=.id is refused (§3.1)", () => {
    expect(createRouterOsCli().run(":put [/ip/address/get *1 value-name=.id]")).toBe(
      "input does not match any value of value-name\r\n",
    );
  });

  test("print count-only prints a bare number, or returns it inside [ ] (§3.1)", () => {
    const cli = createRouterOsCli();
    expect(cli.run("/ip/firewall/filter/print count-only")).toBe("4\r\n");
    expect(cli.run(':put [/ip/firewall/filter/print count-only as-value where protocol="tcp"]')).toBe("2\r\n");
  });

  test("bare print as-value prints nothing (§2.2)", () => {
    expect(createRouterOsCli().run("/ip/address/print as-value")).toBe("");
  });

  test("place-before and move order firewall rules (§5.6)", () => {
    const cli = createRouterOsCli({ startingConfig: "empty" });
    cli.run("/ip/firewall/filter/add chain=forward action=accept comment=a");
    cli.run("/ip/firewall/filter/add chain=forward action=accept comment=b");
    cli.run("/ip/firewall/filter/add chain=forward action=drop comment=c place-before=*1");
    expect(cli.run(":put [/ip/firewall/filter/find]")).toBe("*3;*1;*2\r\n");
    cli.run("/ip/firewall/filter/move *3");
    expect(cli.run(":put [/ip/firewall/filter/find]")).toBe("*1;*2;*3\r\n");
    cli.run("/ip/firewall/filter/move *2 *1");
    expect(cli.run(":put [/ip/firewall/filter/find]")).toBe("*2;*1;*3\r\n");
  });
});

describe("ordered menus follow RouterOS's /console/inspect schema", () => {
  // The 7.16, 7.19, 7.20 and 7.23 schemas list `place-before` on `add` and a `move` command for
  // /routing/filter/rule and /routing/rule, and neither for /ip/route.
  test.each(ROUTEROS_VERSIONS)(
    "%s: routing filter rules and routing rules take place-before and move; routes take neither",
    (version) => {
      const cli = createRouterOsCli({ version, startingConfig: "empty" });
      cli.run('/routing/filter/rule/add chain=a rule="accept"; /routing/filter/rule/add chain=a rule="reject"');
      expect(cli.run('/routing/filter/rule/add chain=b rule="accept" place-before=*1')).toBe("");
      expect(cli.run(":put [/routing/filter/rule/find]")).toBe("*3;*1;*2\r\n");
      expect(cli.run("/routing/filter/rule/move *2 *3")).toBe("");
      expect(cli.run(":put [/routing/filter/rule/find]")).toBe("*2;*3;*1\r\n");
      cli.run("/routing/rule/add dst-address=192.0.2.1 action=unreachable; /routing/rule/add action=drop");
      expect(cli.run("/routing/rule/add dst-address=192.0.2.2 action=drop place-before=*2")).toBe("");
      expect(cli.run("/routing/rule/move *1")).toBe("");
      expect(cli.run(":put [/routing/rule/find]")).toBe("*3;*2;*1\r\n");
      expect(cli.run("/ip/route/add dst-address=192.0.2.0/24 gateway=pppoe-gpon place-before=*1")).not.toBe("");
      expect(cli.run("/ip/route/move *1")).toMatch(/^bad command name move/);
    },
  );
});

describe("§3.2 find / where", () => {
  const cli = createRouterOsCli();
  beforeAll(() => {
    cli.run('/ip/route/add dst-address=1.0.0.1/32 gateway=pppoe-gpon scope=10 comment="iac:h1"');
    cli.run('/ip/route/add gateway=1.0.0.1 target-scope=11 check-gateway=ping comment="iac:d1"');
    cli.run('/ip/route/add gateway=8.8.4.4 distance=2 target-scope=11 check-gateway=ping disabled=yes comment="other"');
  });
  test.each([
    ['comment="iac:h1"', "*3"],
    ['comment~"^iac:"', "*3;*4"],
    // unquoted `/` and `:` are operators → these match nothing
    ["dst-address=1.0.0.1/32", ""],
    ["comment=iac:h1", ""],
    ['dst-address="1.0.0.1/32"', "*3"],
    ['dst-address in "1.0.0.0/8"', "*3"],
    ["dst-address in 1.0.0.0/8", "*3"],
    ["!dynamic", "*3;*4;*5"],
    ["dynamic", "*1"],
    ["static && disabled=yes", "*5"],
    ["disabled=no && static", "*3;*4"],
    ['(comment="other" || comment="iac:d1") and distance=2', "*5"],
    ['comment!="other" && !dynamic', "*3;*4"],
    // bare name = "is set", the opposite of comment="" (TIK4NET §13.2)
    ["comment", "*3;*4;*5"],
    ['comment=""', "*1"],
    [".id=*4", "*4"],
    ["distance>1", "*5"],
    ["gateway=pppoe-gpon", "*3"],
  ])("where %s → %s", (expr, ids) => {
    expect(cli.run(`:put [/ip/route/find where ${expr}]`)).toBe(`${ids}\r\n`);
  });
  test("find without where keyword", () => {
    expect(cli.run(':put [/ip/route/find comment="iac:h1"]')).toBe("*3\r\n");
  });
  test("recursive route resolves through the scope-10 host route (§5.1)", () => {
    const rows = parse(cli.run(json("/ip/route", 'comment~"^iac:"')));
    expect(rows.map((r) => [r.comment, r.active, r["immediate-gw"]])).toEqual([
      ["iac:h1", true, "pppoe-gpon"],
      ["iac:d1", true, "pppoe-gpon"],
    ]);
  });
});

describe("§4 runtime errors", () => {
  test("uncaught: output so far, then the message; the rest of the line does not run", () => {
    const cli = createRouterOsCli();
    expect(cli.run(':put "a"; /ip/route/add gateway=nope; :put "b"')).toBe(
      "a\r\ninput does not match any value of gateway\r\n",
    );
  });
  test(":onerror puts the message into its variable and returns true/false", () => {
    const cli = createRouterOsCli();
    expect(cli.run(':put [:onerror e in={ /ip/route/set *99 distance=1 } do={ :put ("ERR " . $e) }]')).toBe(
      "ERR no such item\r\ntrue\r\n",
    );
    expect(cli.run(":put [:onerror e in={ :put ok } do={ :put bad }]")).toBe("ok\r\nfalse\r\n");
  });
  test(":do on-error catches without a message (§4.2)", () => {
    expect(createRouterOsCli().run(':do { :error "x" } on-error={ :put caught }; :put after')).toBe(
      "caught\r\nafter\r\n",
    );
  });
  test("several changes on one line, each with its own :onerror (DESIGN.md Device rules)", () => {
    const cli = createRouterOsCli();
    const out = cli.run(
      ':put "B"; :onerror e in={ /ip/route/add gateway=ether2 comment=ok1 } do={ :put ("E1 " . $e) }; ' +
        ':onerror e in={ /ip/route/add gateway=ether2 distance=0 } do={ :put ("E2 " . $e) }; :put "END"',
    );
    expect(out).toBe("B\r\nE2 invalid value for argument distance\r\nEND\r\n");
  });
  test.each([
    ["/ip/route/add gateway=ether1 distance=256", "invalid value for argument distance"],
    ["/ip/route/add gateway=ether1 distance=3x", "value of distance contains invalid trailing characters"],
    ["/ip/route/add gateway=ether1 check-gateway=icmp", "input does not match any value of check-gateway"],
    ["/ip/route/add gateway=ether1 routing-table=nope", "input does not match any value of routing-table"],
    ["/ip/route/add dst-address=10.0.0.0/33 gateway=ether1", "invalid value for argument dst-address"],
    [
      "/ip/firewall/nat/add chain=srcnat action=masquerade out-interface=nope",
      "input does not match any value of out-interface",
    ],
    [
      "/ip/firewall/mangle/add chain=prerouting action=mark-routing new-routing-mark=nope",
      "input does not match any value of new-routing-mark",
    ],
    [
      "/ip/firewall/filter/add chain=forward action=reject reject-with=icmp-bogus",
      "input does not match any value of reject-with",
    ],
    ["/ip/address/add address=192.0.2.1/29 interface=vlan6", "failure: already have such address"],
    ["/interface/vlan/add name=ether1 vlan-id=7 interface=bridge", "failure: already have interface with such name"],
    [
      "/ip/firewall/address-list/add list=a address=192.0.2.9; /ip/firewall/address-list/add list=a address=192.0.2.9",
      "failure: already have such entry",
    ],
    ["/routing/bgp/connection/add name=x instance=nope local.role=ibgp", "input does not match any value of instance"],
    [
      "/routing/bgp/connection/add name=x local.role=ibgpp instance=main",
      "input does not match any value of local.role",
    ],
  ])("%s → %s", (line, msg) => {
    expect(createRouterOsCli().run(line)).toBe(`${msg}\r\n`);
  });
});

describe("§5.4 / §7 BGP version split", () => {
  test("7.20+: instance menu, instance required, router-id rejected on connection", () => {
    const cli = createRouterOsCli({ version: "7.20" });
    expect(cli.run("/routing/bgp/instance/add name=main as=65000 router-id=192.0.2.1")).toBe("");
    expect(cli.run("/routing/bgp/connection/add name=c1 local.role=ibgp")).toMatch(/instance/);
    expect(cli.run("/routing/bgp/connection/add name=c1 instance=main local.role=ibgp router-id=192.0.2.1")).toBe(
      "syntax error (line 1 column 67)\r\n",
    );
    expect(
      cli.run(
        "/routing/bgp/connection/add name=dlink-lte instance=main remote.address=192.0.2.2 remote.as=65000 local.role=ibgp-rr " +
          "nexthop-choice=force-self output.redistribute=connected,static output.default-originate=if-installed hold-time=30s keepalive-time=10s",
      ),
    ).toBe("");
    const [row] = parse(cli.run(json("/routing/bgp/connection")));
    expect(row).toMatchObject({
      ".id": "*1",
      "hold-time": "30s",
      "keepalive-time": "10s",
      "output.redistribute": ["connected", "static"],
      "remote.as": 65000,
      templates: "default",
    });
  });
  test("≤7.19: no instance menu, router-id on connection, instance parameter unknown", () => {
    const cli = createRouterOsCli({ version: "7.19" });
    expect(cli.run("/routing/bgp/instance/print")).toBe("bad command name instance (line 1 column 14)\r\n");
    expect(cli.run("/routing/bgp/connection/add name=c1 as=65000 local.role=ibgp router-id=192.0.2.1")).toBe("");
    expect(cli.run("/routing/bgp/connection/add name=c2 instance=main")).toBe("syntax error (line 1 column 37)\r\n");
  });
  test("7.23 masks sensitive values in print unless show-sensitive [I §0 item 10]", () => {
    const cli = createRouterOsCli({ version: "7.23" });
    const masked = parse(cli.run(json("/interface/pppoe-client")))[0];
    expect(masked.password).toBeUndefined();
    const shown = parse(
      cli.run(":put [:serialize to=json [/interface/pppoe-client/print detail as-value show-sensitive]]"),
    )[0];
    expect(shown.password).toBe("lab-pppoe-secret");
    expect(createRouterOsCli({ version: "7.20" }).run("/interface/pppoe-client/print show-sensitive")).toBe(
      "syntax error (line 1 column 31)\r\n",
    );
  });
});

describe("§2.3 JSON and the variations", () => {
  const line = json("/ip/route", 'comment="x"');
  const setup = '/ip/route/add gateway=pppoe-gpon,ether2 comment="x"';
  test("default: ints, booleans, arrays, unset missing", () => {
    const cli = createRouterOsCli();
    cli.run(setup);
    const out = cli.run(line);
    expect(out).toMatch(/"distance":1,/);
    expect(out).not.toMatch(/check-gateway/);
    expect(parse(out)[0]).toMatchObject({
      gateway: ["pppoe-gpon", "ether2"],
      disabled: false,
      scope: 30,
      "target-scope": 10,
    });
  });
  test("without json.no-string-conversion numeric strings become floats (§2.3)", () => {
    const cli = createRouterOsCli();
    cli.run('/ip/route/add gateway=ether2 comment="1234"');
    expect(cli.run(':put [:serialize to=json [/ip/route/print as-value where comment="1234"]]')).toMatch(
      /"comment":1234\.000000/,
    );
    expect(
      cli.run(
        ':put [:serialize to=json options=json.no-string-conversion [/ip/route/print as-value where comment="1234"]]',
      ),
    ).toMatch(/"comment":"1234"/);
  });
  test("floatIntegers", () => {
    const cli = createRouterOsCli({ variation: { floatIntegers: true } });
    cli.run(setup);
    expect(cli.run(line)).toMatch(/"distance":1\.000000,.*"scope":30\.000000/);
  });
  test("clockDurations", () => {
    const cli = createRouterOsCli({ variation: { clockDurations: true } });
    cli.run("/routing/bgp/instance/add name=main as=65000");
    cli.run("/routing/bgp/connection/add name=c instance=main local.role=ibgp hold-time=1m30s");
    expect(parse(cli.run(json("/routing/bgp/connection")))[0]["hold-time"]).toBe("00:01:30");
    expect(parse(createRouterOsCli().run(json("/routing/bgp/connection")))).toEqual([]);
  });
  test("nullForUnset", () => {
    const cli = createRouterOsCli({ variation: { nullForUnset: true } });
    cli.run(setup);
    const row = parse(cli.run(line))[0];
    expect(row["check-gateway"]).toBeNull();
    expect(row.distance).toBe(1);
  });
  test("logEcho: §1.1's async log echo line arrives before each exec's output, the starting config unaffected", () => {
    const cli = createRouterOsCli({ variation: { logEcho: true } });
    const echo = "17:20:06 echo: system,error,critical login failure for user admin from 192.0.2.9 via ssh\r\n";
    expect(cli.run(":put [/system/resource/get version]")).toBe(`${echo}7.20.8 (stable)\r\n`);
    expect(cli.run(setup)).toBe(echo);
    expect(createRouterOsCli().run(":put [/system/resource/get version]")).toBe("7.20.8 (stable)\r\n");
  });
  test("a singleton serialises as a bare object; escapes and UTF-8", () => {
    const cli = createRouterOsCli();
    expect(JSON.parse(cli.run(":put [:serialize to=json [/system/resource/print as-value]]")).version).toBe(
      "7.20.8 (stable)",
    );
    cli.run('/ip/route/add gateway=ether2 comment="q\\"t\\tп"');
    expect(
      cli.run(':put [:serialize to=json options=json.no-string-conversion [/ip/route/find where comment~"^q"]]'),
    ).toBe('["*3"]\r\n');
    expect(parse(cli.run(json("/ip/route", 'comment~"^q"')))[0].comment).toBe('q"t\tп');
  });
});

describe("dump() and renumber()", () => {
  test("dump is static config only and lets a test diff before/after", () => {
    const cli = createRouterOsCli();
    const before = cli.dump();
    expect(before["/ip/route"]).toEqual([]);
    expect(before["/ip/firewall/nat"]).toEqual([]);
    expect(before["/ip/firewall/filter"]).toHaveLength(4);
    expect(before["/routing/table"]).toEqual([]);
    expect(before["/interface/pppoe-client"]).toEqual([
      { ".id": "*8", interface: "ether1", name: "pppoe-gpon", password: "lab-pppoe-secret", user: "crs@gpon.example" },
    ]);
    cli.run('/ip/route/add gateway=ether2 comment="tmp"');
    expect(cli.dump()["/ip/route"]).toEqual([{ ".id": "*3", comment: "tmp", gateway: ["ether2"] }]);
    cli.run('/ip/route/remove [find where comment="tmp"]');
    expect(cli.dump()).toEqual(before);
    expect(JSON.parse(JSON.stringify(before))).toEqual(before);
  });

  test("empty starting config has only interfaces", () => {
    const d = createRouterOsCli({ startingConfig: "empty" }).dump();
    const nonEmpty = Object.entries(d).filter(
      ([, v]) =>
        v.length > 0 &&
        // A singleton (no `.id`) at its defaults dumps as `{}` (/ip/dns): not an item.
        Object.keys(v[0] as object).length > 0 &&
        !("note" in (v[0] as object) || ("name" in (v[0] as object) && !(".id" in (v[0] as object)))),
    );
    expect(nonEmpty.map(([k]) => k).filter((k) => !k.startsWith("/interface") && !k.startsWith("/system"))).toEqual([]);
  });

  test("renumber reassigns ids as after a reboot: static items first, compacted; counters continue from there", async () => {
    const { startRouterOsEmulator } = await import("./index");
    const emu = await startRouterOsEmulator({ users: [{ name: "admin", password: "x" }] });
    try {
      emu.outOfBand("/ip/route/add gateway=ether2 comment=a");
      emu.outOfBand("/ip/route/add gateway=ether2 comment=b");
      emu.outOfBand("/ip/route/remove [find where comment=a]");
      expect(emu.outOfBand(":put [/ip/route/find where comment=b]")).toBe("*4\r\n");
      const before = emu.dump();
      emu.renumber();
      // the static route now comes first, the connected routes (dynamic) after it
      expect(emu.outOfBand(":put [/ip/route/find where comment=b]")).toBe("*1\r\n");
      expect(emu.outOfBand(":put [/ip/route/find where dynamic]")).toBe("*2\r\n");
      expect(emu.outOfBand(":put [/ip/route/add gateway=ether2 comment=c]")).toBe("*4\r\n");
      expect(emu.dump()["/ip/firewall/filter"]).toEqual(before["/ip/firewall/filter"]);
      expect(emu.writeLog).toEqual([]);
    } finally {
      await emu.stop();
    }
  });
});

describe("§5.2–5.10 menus of the failover kinds (routing rule, netwatch, LTE APN, L2TP, address-list)", () => {
  test("no unset on address-list and lte/apn (§3.1 [S]); `set … !prop` is refused there too [I]", () => {
    for (const version of ["7.20", "7.23"] as const) {
      const cli = createRouterOsCli({ version });
      expect(cli.run(":put [/ip/firewall/address-list/add list=a address=192.0.2.9 comment=c]")).toBe("*1\r\n");
      expect(cli.run(":put [/interface/lte/apn/add name=p1 apn=internet user=u]")).toMatch(/^\*[0-9A-F]+\r\n$/);
      expect(cli.run("/ip/firewall/address-list/unset *1 value-name=comment")).toMatch(/^bad command name unset/);
      expect(cli.run("/interface/lte/apn/unset p1 value-name=user")).toMatch(/^bad command name unset/);
      expect(cli.run("/ip/firewall/address-list/set *1 !comment")).toMatch(
        version === "7.23" ? /^bad parameter comment/ : /^syntax error/,
      );
      expect(cli.run("/interface/lte/apn/set p1 !user")).toMatch(
        version === "7.23" ? /^bad parameter user/ : /^syntax error/,
      );
      // Neither has disable/enable on lte/apn (§3.1).
      expect(cli.run("/interface/lte/apn/disable p1")).toMatch(/^bad command name disable/);
      // Setting a value in place works.
      expect(cli.run("/interface/lte/apn/set p1 user=v; /ip/firewall/address-list/set *1 address=192.0.2.10")).toBe("");
    }
  });

  test("lte/apn: built-in `default` profile, not removable, not dumped; ip-type values by version (§5.7 [I])", () => {
    const cli = createRouterOsCli({ version: "7.20" });
    const [row] = parse(cli.run(json("/interface/lte/apn", 'name="default"')));
    expect(row).toMatchObject({ name: "default", default: true, "default-route-distance": 2, "use-peer-dns": true });
    expect(cli.run('/interface/lte/apn/remove [find where name="default"]')).toMatch(/^failure/);
    expect(cli.run("/interface/lte/apn/add name=default")).toBe("failure: already have such entry\r\n");
    expect(cli.dump()["/interface/lte/apn"]).toEqual([]);
    expect(cli.run("/interface/lte/apn/add name=p1 ip-type=ipv4-ipv6")).toBe("");
    expect(cli.run("/interface/lte/apn/add name=p2 ip-type=auto")).toBe(
      "input does not match any value of ip-type\r\n",
    );
    const c23 = createRouterOsCli({ version: "7.23" });
    expect(c23.run("/interface/lte/apn/add name=p1 ip-type=auto")).toBe("");
    expect(c23.run("/interface/lte/apn/add name=p2 ip-type=ipv4-ipv6")).toBe(
      "input does not match any value of ip-type\r\n",
    );
  });

  test("routing/rule: tables must exist; destinations normalised; ordered menu", () => {
    const cli = createRouterOsCli();
    expect(cli.run("/routing/rule/add dst-address=1.0.0.1 action=lookup table=wan1")).toBe(
      "input does not match any value of table\r\n",
    );
    expect(
      cli.run(
        "/routing/table/add name=wan1 fib; /routing/rule/add dst-address=1.0.0.1 action=lookup-only-in-table table=wan1",
      ),
    ).toBe("");
    expect(cli.run("/routing/rule/add src-address=2001:db8::/32 action=unreachable place-before=*1")).toBe("");
    const rows = parse(cli.run(json("/routing/rule")));
    expect(rows.map((r) => r["dst-address"] ?? r["src-address"])).toEqual(["2001:db8::/32", "1.0.0.1/32"]);
    expect(rows[1]).toMatchObject({ action: "lookup-only-in-table", table: "wan1", invalid: false });
    expect(cli.run("/routing/rule/add action=bounce")).toBe("input does not match any value of action\r\n");
  });

  test("netwatch: sub-second durations, percent threshold, optional unique name", () => {
    const cli = createRouterOsCli();
    expect(
      cli.run(
        '/tool/netwatch/add host=1.0.0.1 type=icmp thr-avg=150ms packet-interval=50ms thr-loss-percent=50% up-script=":log info up"',
      ),
    ).toBe("");
    expect(cli.run("/tool/netwatch/add host=8.8.4.4")).toBe("");
    expect(cli.run("/tool/netwatch/add host=8.8.4.4 name=x; /tool/netwatch/add host=8.8.8.8 name=x")).toBe(
      "failure: already have such entry\r\n",
    );
    expect(cli.run("/tool/netwatch/add host=1.0.0.1 thr-loss-percent=101")).toBe(
      "invalid value for argument thr-loss-percent\r\n",
    );
    const [row] = parse(cli.run(json("/tool/netwatch", "type=icmp")));
    expect(row).toMatchObject({
      host: "1.0.0.1",
      "thr-avg": "150ms",
      "packet-interval": "50ms",
      "thr-stdev": "250ms",
      "thr-loss-percent": 50,
      interval: "10s",
      status: "up",
      "up-script": ":log info up",
    });
  });

  test("l2tp-client: an interface (shown in /interface), connect-to required, secrets masked from 7.21 [I]", () => {
    const cli = createRouterOsCli({ version: "7.23" });
    expect(cli.run("/interface/l2tp-client/add name=l2tp-backup user=u")).toMatch(/^missing value/);
    expect(
      cli.run(
        "/interface/l2tp-client/add name=l2tp-backup connect-to=203.0.113.1 user=u password=p use-ipsec=yes ipsec-secret=s",
      ),
    ).toBe("");
    expect(cli.run("/interface/vlan/add name=l2tp-backup vlan-id=9 interface=bridge")).toBe(
      "failure: already have interface with such name\r\n",
    );
    const [row] = parse(cli.run(json("/interface", 'name="l2tp-backup"')));
    expect(row).toMatchObject({ type: "l2tp-out", running: true });
    const [client] = parse(cli.run(json("/interface/l2tp-client")));
    expect(client).toMatchObject({ "connect-to": "203.0.113.1", "use-ipsec": "yes", profile: "default-encryption" });
    expect(client.password).toBeUndefined();
    expect(client["ipsec-secret"]).toBeUndefined();
  });
});

describe('variations for the behaviours the reference marks [I] (DESIGN.md "Ground truth")', () => {
  test("secretsMaskedAsText: a masked secret (7.21+, no show-sensitive) prints as ***** instead of being left out", () => {
    const add = '/interface/pppoe-client/add name=p interface=ether1 user=u password="s3cret"';
    const masked = createRouterOsCli({
      version: "7.23",
      startingConfig: "empty",
      variation: { secretsMaskedAsText: true },
    });
    masked.run(add);
    expect(parse(masked.run(json("/interface/pppoe-client", "name=p")))[0].password).toBe("*****");
    const shown = JSON.parse(
      masked.run(
        ":put [:serialize to=json [/interface/pppoe-client/print detail as-value show-sensitive where name=p]]",
      ),
    );
    expect(shown[0].password).toBe("s3cret");
    const omitted = createRouterOsCli({ version: "7.23", startingConfig: "empty" });
    omitted.run(add);
    expect(parse(omitted.run(json("/interface/pppoe-client", "name=p")))[0]).not.toHaveProperty("password");
  });

  test("nonAsciiEscaped: one escape per UTF-8 byte, as \\u00XX (json) or RouterOS's \\XX (routeros)", () => {
    const setup = '/ip/route/add gateway=ether2 comment="\\D0\\BF\\D1\\80\\D0\\B8 é"';
    const j = createRouterOsCli({ startingConfig: "empty", variation: { nonAsciiEscaped: "json" } });
    j.run(setup);
    expect(j.run(json("/ip/route", "gateway=ether2"))).toContain(
      '"comment":"\\u00d0\\u00bf\\u00d1\\u0080\\u00d0\\u00b8 \\u00c3\\u00a9"',
    );
    const r = createRouterOsCli({ startingConfig: "empty", variation: { nonAsciiEscaped: "routeros" } });
    r.run(setup);
    expect(r.run(json("/ip/route", "gateway=ether2"))).toContain('"comment":"\\D0\\BF\\D1\\80\\D0\\B8 \\C3\\A9"');
    const plain = createRouterOsCli({ startingConfig: "empty" });
    plain.run(setup);
    expect(parse(plain.run(json("/ip/route", "gateway=ether2")))[0].comment).toBe("при é");
  });

  test("wireguardGeneratesKeys: an interface added without private-key gets the device's own key and its public key", () => {
    const gen = createRouterOsCli({ version: "7.20", variation: { wireguardGeneratesKeys: true } });
    gen.run("/interface/wireguard/add name=wg0");
    const row = parse(gen.run(json("/interface/wireguard")))[0];
    expect(row["private-key"]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(row["public-key"]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const plain = createRouterOsCli({ version: "7.20" });
    plain.run("/interface/wireguard/add name=wg0");
    expect(parse(plain.run(json("/interface/wireguard")))[0]).not.toHaveProperty("private-key");
  });

  test("schedulerAnchoredAtLineEnd: a print on the add's line shows no start or next-run; the next line does", () => {
    const now = Date.UTC(2026, 11, 6, 12, 0, 0);
    const line = (cli: ReturnType<typeof createConsole>) =>
      cli.run(
        ':put [/system/scheduler/add name=j interval=30s on-event=":put j"]; ' +
          ":put [:serialize to=json [/system/scheduler/print detail as-value]]",
      );
    const rowOf = (out: string) => JSON.parse(out.split("\r\n")[1])[0];
    const late = createConsole({ variation: { schedulerAnchoredAtLineEnd: true }, now: () => now });
    const row = rowOf(line(late));
    expect(row).not.toHaveProperty("start-time");
    expect(row).not.toHaveProperty("next-run");
    expect(
      JSON.parse(late.run(":put [:serialize to=json [/system/scheduler/print detail as-value]]"))[0],
    ).toMatchObject({
      "start-time": "12:00:00",
      "next-run": "2026-12-06 12:00:30",
    });
    const plain = createConsole({ now: () => now });
    expect(rowOf(line(plain))).toMatchObject({ "start-time": "12:00:00", "next-run": "2026-12-06 12:00:30" });
  });

  test("schedulerRunsAtOnce: a job added without start-time runs at the add; with an explicit start it waits", () => {
    let now = Date.UTC(2026, 11, 6, 12, 0, 0);
    const cli = createConsole({ variation: { schedulerRunsAtOnce: true }, now: () => now });
    cli.run('/system/scheduler/add name=j interval=30s on-event="/ip/route/add gateway=ether2 comment=ran"');
    expect(cli.scheduler.tick()).toEqual(["j"]);
    const clock = JSON.parse(cli.run(":put [:serialize to=json [/system/clock/print as-value]]"));
    expect(clock).toMatchObject({ date: "2026-12-06", time: "12:00:00" });
    cli.run('/system/scheduler/add name=k interval=30s start-date=2026-12-06 start-time=12:00:31 on-event=":put k"');
    now += 30_000;
    expect(cli.scheduler.tick()).toEqual(["j"]);
    now += 1_000;
    expect(cli.scheduler.tick()).toEqual(["k"]);
    const plain = createConsole({ now: () => now });
    plain.run('/system/scheduler/add name=j interval=30s on-event=":put j"');
    expect(plain.scheduler.tick()).toEqual([]);
    now += 30_000;
    expect(plain.scheduler.tick()).toEqual(["j"]);
  });
});
