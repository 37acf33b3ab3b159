// openwrt-uci.md §2.2–§2.5: show/get/export formats, quoting, anonymous section names.
import { makeLab, Lab, NETWORK } from "./fixtures";
import { anonymousName } from "./index";

let lab: Lab;
beforeEach(() => {
  lab = makeLab();
});
afterEach(() => lab.cleanup());

describe("§2.5 anonymous section names", () => {
  test("firewall sample: defaults=cfg01e63d, zones cfg02dc81/cfg03dc81, forwarding cfg04ad58, rule cfg0592bd", () => {
    const r = lab.uci(["-X", "show", "firewall"]);
    const sections = r.stdout.split("\n").filter((l) => /^firewall\.[^.]+=/.test(l));
    expect(sections).toEqual([
      "firewall.cfg01e63d=defaults",
      "firewall.cfg02dc81=zone",
      "firewall.cfg03dc81=zone",
      "firewall.cfg04ad58=forwarding",
      "firewall.cfg0592bd=rule",
    ]);
  });

  test("two further `add firewall rule` print cfg0692bd then cfg0792bd", () => {
    expect(lab.uci(["add", "firewall", "rule"])).toEqual({ stdout: "cfg0692bd\n", stderr: "", code: 0 });
    expect(lab.uci(["add", "firewall", "rule"])).toEqual({ stdout: "cfg0792bd\n", stderr: "", code: 0 });
  });

  test("the hash depends on the type only, the counter on the creation order", () => {
    expect(anonymousName(1, "defaults")).toBe("cfg01e63d");
    expect(anonymousName(0x100, "rule")).toBe("cfg10092bd");
    // the network sample's device section is its third section
    expect(lab.uci(["-X", "show", "network"]).stdout).toContain("network.cfg030f15=device\n");
  });

  test("add does not validate the type; the section vanishes on the next load", () => {
    const r = lab.uci(["add", "network", "bad type"]);
    expect(r.code).toBe(0);
    const name = r.stdout.trim();
    expect(name).toMatch(/^cfg07[0-9a-f]{4}$/);
    expect(lab.uci(["add", "network", ""]).code).toBe(0);
    expect(lab.uci(["changes", "network"]).stdout).toContain(`network.${name}='bad type'\n`);
    expect(lab.uci(["show", "network"]).stdout).not.toContain(name);
  });

  test("names are not stable across commits", () => {
    expect(lab.uci(["delete", "firewall.@defaults[0]"]).code).toBe(0);
    expect(lab.uci(["-X", "show", "firewall.@zone[0]"]).stdout).toContain("firewall.cfg02dc81=zone");
    expect(lab.uci(["commit", "firewall"]).code).toBe(0);
    expect(lab.uci(["show", "firewall.@zone[0]"]).stdout.split("\n")[0]).toBe("firewall.cfg01dc81=zone");
    expect(lab.uci(["show", "firewall.@zone[1]"]).stdout.split("\n")[0]).toBe("firewall.cfg02dc81=zone");
    expect(lab.uci(["show", "firewall.@rule[0]"]).stdout.split("\n")[0]).toBe("firewall.cfg0492bd=rule");
  });
});

describe("§2.2 show and get", () => {
  test("show network: the reference excerpt", () => {
    const r = lab.uci(["show", "network"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    const excerpt = [
      "network.loopback=interface",
      "network.loopback.device='lo'",
      "network.globals=globals",
      "network.globals.ula_prefix='fd12:3456:789a::/48'",
      "network.@device[0]=device",
      "network.@device[0].name='br-lan'",
      "network.@device[0].ports='lan1' 'lan2'",
      "network.lan=interface",
    ];
    // the sample has one extra option (proto) in loopback and one (type) in the device
    expect(lines.filter((l) => !l.endsWith(".proto='static'") && !l.endsWith(".type='bridge'")).slice(0, 8)).toEqual(
      excerpt,
    );
  });

  test("show of a section/option prints the internal name; -X for whole packages", () => {
    expect(lab.uci(["show", "firewall.@zone[1]"]).stdout).toBe(
      "firewall.cfg03dc81=zone\nfirewall.cfg03dc81.name='wan'\nfirewall.cfg03dc81.network='wan' 'wan6'\nfirewall.cfg03dc81.masq='1'\n",
    );
    expect(lab.uci(["show", "firewall.@zone[1].network"]).stdout).toBe("firewall.cfg03dc81.network='wan' 'wan6'\n");
    expect(lab.uci(["-X", "show", "firewall"]).stdout.split("\n")[0]).toBe("firewall.cfg01e63d=defaults");
  });

  test("negative indices: @zone[-1] is the last zone", () => {
    expect(lab.uci(["get", "firewall.@zone[-1].name"]).stdout).toBe("wan\n");
    expect(lab.uci(["get", "firewall.@zone[-2].name"]).stdout).toBe("lan\n");
  });

  test("list delimiter -d and get's list output", () => {
    lab.uci(["set", "firewall.@rule[0]=rule"]);
    for (const v of ["has space", "it's", "plain"])
      expect(lab.uci(["add_list", `firewall.@rule[0].lst=${v}`]).code).toBe(0);
    expect(lab.uci(["-d", ", ", "show", "firewall.@rule[0].lst"]).stdout).toBe(
      "firewall.cfg0592bd.lst='has space', 'it'\\''s', 'plain'\n",
    );
    expect(lab.uci(["get", "firewall.@rule[0].lst"]).stdout).toBe("'has space' it's plain\n");
    lab.uci(["add_list", "firewall.@rule[0].lst="]);
    lab.uci(["del_list", "firewall.@rule[0].lst=plain"]);
    expect(lab.uci(["get", "firewall.@rule[0].lst"]).stdout).toBe("'has space' it's \n");
  });

  test("get prints raw values, show quotes them (§2.3)", () => {
    const values: Record<string, [string, string]> = {
      name: [`It's a "test"`, `'It'\\''s a "test"'`],
      extra: ["a b  c", "'a b  c'"],
      nl: ["line1\nline2", "'line1\nline2'"],
      bs: ["back\\slash\\\\n $HOME `x`", "'back\\slash\\\\n $HOME `x`'"],
      tab: ["a\tb", "'a\tb'"],
      eq: ["a=b=c", "'a=b=c'"],
      utf: ["héllo ü", "'héllo ü'"],
    };
    for (const [opt, [raw]] of Object.entries(values)) {
      expect(lab.uci(["set", `firewall.@rule[0].${opt}=${raw}`]).code).toBe(0);
    }
    for (const [opt, [raw, shown]] of Object.entries(values)) {
      expect(lab.uci(["get", `firewall.@rule[0].${opt}`]).stdout).toBe(raw + "\n");
      expect(lab.uci(["show", `firewall.@rule[0].${opt}`]).stdout).toBe(`firewall.cfg0592bd.${opt}=${shown}\n`);
    }
  });

  test("uci show lists every valid package in glob order, skipping names with '.'", () => {
    lab.write("network.bak", NETWORK);
    lab.write("net-2", "config a 'b'\n");
    const r = lab.uci(["show"]);
    const pkgs = [
      ...new Set(
        r.stdout
          .split("\n")
          .filter(Boolean)
          .map((l) => l.split(".")[0]),
      ),
    ];
    expect(pkgs).toEqual(["firewall", "net-2", "network"]);
  });

  test("empty package: show prints nothing, export a header", () => {
    lab.write("empty", "");
    expect(lab.uci(["show", "empty"])).toEqual({ stdout: "", stderr: "", code: 0 });
    expect(lab.uci(["export", "empty"])).toEqual({ stdout: "package empty\n\n", stderr: "", code: 0 });
  });
});

describe("§2.4 export", () => {
  const body =
    "\nconfig defaults\n\toption input 'ACCEPT'\n\toption forward 'REJECT'\n" +
    "\nconfig zone\n\toption name 'lan'\n\tlist network 'lan'\n" +
    "\nconfig zone\n\toption name 'wan'\n\tlist network 'wan'\n\tlist network 'wan6'\n\toption masq '1'\n" +
    "\nconfig forwarding\n\toption src 'lan'\n\toption dest 'wan'\n" +
    "\nconfig rule\n\toption name 'Allow-DHCP-Renew'\n\toption proto 'udp'\n\n";

  test("anonymous sections without names by default", () => {
    expect(lab.uci(["export", "firewall"]).stdout).toBe("package firewall\n" + body);
  });

  test("-n names them, -N does not", () => {
    const named = lab.uci(["-n", "export", "firewall"]).stdout;
    expect(named).toContain("\nconfig defaults 'cfg01e63d'\n");
    expect(named).toContain("\nconfig rule 'cfg0592bd'\n");
    expect(lab.uci(["-n", "-N", "export", "firewall"]).stdout).toBe("package firewall\n" + body);
  });

  test("export without arguments concatenates all packages, each with its header", () => {
    const out = lab.uci(["export"]).stdout;
    expect(out.startsWith("package firewall\n" + body + "package network\n\nconfig interface 'loopback'\n")).toBe(true);
  });
});
