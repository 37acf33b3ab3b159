// openwrt-uci.md §2.4, §2.6, §2.7, §2.9: delta files, changes, commit, revert, import.
import * as fs from "fs";
import * as path from "path";
import { makeLab, Lab } from "./fixtures";
import { runUci } from "./index";

let lab: Lab;
beforeEach(() => {
  lab = makeLab();
});
afterEach(() => lab.cleanup());

const delta = (pkg: string) => fs.readFileSync(path.join(lab.savedir, pkg), "utf8");
const ok = (args: string[]) => expect(lab.uci(args)).toMatchObject({ code: 0, stderr: "" });

describe("§2.7 delta-file syntax, one appended line per change", () => {
  test("every command's line", () => {
    ok(["set", "network.lan.proto=dhcp"]);
    ok(["add", "network", "device"]);
    ok(["delete", "network.lan.ip6assign"]);
    ok(["delete", "network.@device[0].ports=1"]);
    ok(["rename", "network.wan=wan1"]);
    ok(["reorder", "network.lte=0"]);
    ok(["add_list", "network.lan.dns=1.1.1.1"]);
    ok(["del_list", "network.lan.dns=1.1.1.1"]);
    ok(["set", "network.lan.quote=it's"]);
    expect(delta("network")).toBe(
      "network.lan.proto='dhcp'\n" +
        "+network.cfg070f15='device'\n" +
        "-network.lan.ip6assign\n" +
        "-network.cfg030f15.ports='1'\n" +
        "@network.wan='wan1'\n" +
        "^network.lte='0'\n" +
        "|network.lan.dns='1.1.1.1'\n" +
        "~network.lan.dns='1.1.1.1'\n" +
        "network.lan.quote='it'\\''s'\n",
    );
    // replayed on every load
    expect(lab.uci(["get", "network.@device[0].ports"]).stdout).toBe("lan1\n");
    expect(lab.uci(["show", "network.@interface[0]"]).stdout.split("\n")[0]).toBe("network.lte=interface");
  });

  test("identical set records nothing; empty value deletes; delete-index out of range records nothing", () => {
    ok(["set", "network.lan.proto=static"]);
    expect(fs.existsSync(path.join(lab.savedir, "network"))).toBe(false);
    ok(["set", "network.lan.ip6assign="]);
    ok(["delete", "network.@device[0].ports=7"]);
    expect(delta("network")).toBe("-network.lan.ip6assign\n");
  });

  test("savedir is created with the confdir's mode, the delta file with the config's mode", () => {
    fs.chmodSync(lab.confdir, 0o750);
    fs.chmodSync(path.join(lab.confdir, "network"), 0o640);
    ok(["set", "network.lan.proto=dhcp"]);
    const um = process.umask();
    expect(fs.statSync(lab.savedir).mode & 0o777).toBe(0o750 & ~um);
    expect(fs.statSync(path.join(lab.savedir, "network")).mode & 0o777).toBe(0o640 & ~um);
  });

  test("a line that fails to parse is skipped on load", () => {
    fs.mkdirSync(lab.savedir);
    fs.writeFileSync(
      path.join(lab.savedir, "network"),
      "garbage here\nnetwork.lan.proto='dhcp'\n@network.wan='bad-name'\n",
    );
    expect(lab.uci(["get", "network.lan.proto"]).stdout).toBe("dhcp\n");
    expect(lab.uci(["changes", "network"]).stdout).toBe("network.lan.proto='dhcp'\n");
  });
});

describe("§2.6 list handling and rename/reorder", () => {
  test("add_list allows duplicates and converts a string; del_list removes all and still records", () => {
    ok(["add_list", "network.lan.ipaddr=10.9.0.1/24"]);
    ok(["add_list", "network.lan.ipaddr=fd00::1/64"]);
    ok(["add_list", "network.lan.ipaddr=10.9.0.1/24"]);
    expect(lab.uci(["show", "network.lan.ipaddr"]).stdout).toBe(
      "network.lan.ipaddr='10.9.0.1/24' 'fd00::1/64' '10.9.0.1/24'\n",
    );
    ok(["add_list", "network.wan.proto=static"]);
    expect(lab.uci(["show", "network.wan.proto"]).stdout).toBe("network.wan.proto='dhcp' 'static'\n");
    ok(["del_list", "network.lan.ipaddr=10.9.0.1/24"]);
    expect(lab.uci(["get", "network.lan.ipaddr"]).stdout).toBe("fd00::1/64\n");
    ok(["del_list", "network.lan.ipaddr=absent"]);
    expect(lab.uci(["changes", "network"]).stdout).toContain("network.lan.ipaddr-='absent'\n");
    const before = delta("network");
    ok(["del_list", "network.lan.nothere=x"]);
    ok(["del_list", "network.lan.proto=static"]);
    expect(delta("network")).toBe(before);
  });

  test("set on a list replaces the list with one string", () => {
    ok(["set", "network.@device[0].ports=lan3"]);
    expect(lab.uci(["show", "network.@device[0].ports"]).stdout).toBe("network.cfg030f15.ports='lan3'\n");
  });

  test("add_list without option: rc 0, only a junk delta line", () => {
    ok(["add_list", "network.lan=x"]);
    expect(delta("network")).toBe("|network.lan='x'\n");
    expect(lab.uci(["changes", "network"]).stdout).toBe("");
  });

  test("rename without collision check; invalid rename breaks revert", () => {
    ok(["rename", "network.wan=lan"]);
    expect(lab.uci(["show", "network"]).stdout.match(/^network\.lan=interface$/gm)).toHaveLength(2);
    ok(["revert", "network"]);
    ok(["rename", "network.wan=bad-name"]);
    ok(["set", "network.lan.proto=dhcp"]);
    ok(["revert", "network"]);
    ok(["revert", "network.lan.proto"]);
    expect(lab.uci(["get", "network.lan.proto"]).stdout).toBe("dhcp\n");
    expect(lab.uci(["revert", "nothere"])).toEqual({ stdout: "", stderr: "uci: Entry not found\n", code: 1 });
  });

  test("reorder: to N, 99 = end, non-numeric = 0, same place records nothing", () => {
    ok(["reorder", "network.lte=99"]);
    expect(fs.existsSync(path.join(lab.savedir, "network"))).toBe(false);
    ok(["reorder", "network.lte=abc"]);
    ok(["reorder", "network.lan.proto=1"]);
    expect(delta("network")).toBe("^network.lte='0'\n^network.lan='1'\n");
    const order = lab
      .uci(["show", "network"])
      .stdout.split("\n")
      .filter((l) => /^network\.[^.]+=/.test(l));
    expect(order.slice(0, 3)).toEqual(["network.lte=interface", "network.lan=interface", "network.loopback=interface"]);
  });

  test("revert drops matching lines and keeps the rest; rc 0 without a delta", () => {
    ok(["revert", "network"]);
    ok(["set", "network.lan.proto=dhcp"]);
    ok(["set", "network.lan.mtu=1400"]);
    ok(["set", "network.wan.proto=static"]);
    ok(["revert", "network.lan.proto"]);
    expect(delta("network")).toBe("network.lan.mtu='1400'\nnetwork.wan.proto='static'\n");
    ok(["revert", "network.lan"]);
    expect(delta("network")).toBe("network.wan.proto='static'\n");
  });
});

describe("§2.7 changes", () => {
  test("the reference's lossy notation, packages in glob order", () => {
    ok(["add", "firewall", "rule"]);
    ok(["add_list", "firewall.cfg02dc81.network=vpn"]);
    ok(["del_list", "firewall.cfg03dc81.network=wan6"]);
    ok(["set", "network.lan.proto=dhcp"]);
    ok(["set", "network.vpn=interface"]);
    ok(["delete", "network.lan.ip6assign"]);
    ok(["delete", "network.globals"]);
    ok(["delete", "network.cfg030f15.ports=0"]);
    ok(["rename", "network.wan=wan1"]);
    ok(["rename", "network.wan1.device=ifname"]);
    ok(["reorder", "network.lte=0"]);
    expect(lab.uci(["changes"])).toEqual({
      stdout:
        "firewall.cfg0692bd='rule'\n" +
        "firewall.cfg02dc81.network+='vpn'\n" +
        "firewall.cfg03dc81.network-='wan6'\n" +
        "network.lan.proto='dhcp'\n" +
        "network.vpn='interface'\n" +
        "-network.lan.ip6assign\n" +
        "-network.globals\n" +
        "-network.cfg030f15.ports\n" +
        "network.wan='wan1'\n" +
        "network.wan1.device='ifname'\n" +
        "network.lte='0'\n",
      stderr: "",
      code: 0,
    });
    expect(delta("network")).toContain("-network.cfg030f15.ports='0'\n");
  });
});

describe("§2.4/§2.11 commit", () => {
  test("writes the export body: leading/trailing empty line, TABs, single quotes; delta truncated", () => {
    lab.write("network", "# my comment\nconfig interface 'lan'\n  option proto \"static\"\n");
    ok(["set", "network.lan.mtu=1400"]);
    ok(["commit", "network"]);
    expect(lab.read("network")).toBe("\nconfig interface 'lan'\n\toption proto 'static'\n\toption mtu '1400'\n\n");
    expect(fs.statSync(path.join(lab.savedir, "network")).size).toBe(0);
    expect(lab.uci(["changes"]).stdout).toBe("");
  });

  test("the mode of the old file is kept, the inode changes, no temp file is left", () => {
    const file = path.join(lab.confdir, "network");
    fs.chmodSync(file, 0o640);
    const ino = fs.statSync(file).ino;
    ok(["set", "network.lan.mtu=1400"]);
    ok(["commit", "network"]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.statSync(file).ino).not.toBe(ino);
    expect(fs.readdirSync(lab.confdir).filter((f) => f.includes(".uci-"))).toEqual([]);
  });

  test("a no-change commit leaves the file untouched (same inode, comments kept)", () => {
    const text = "# keep me\nconfig   interface   'lan'\n";
    lab.write("network", text);
    const file = path.join(lab.confdir, "network");
    const ino = fs.statSync(file).ino;
    ok(["commit", "network"]);
    ok(["set", "network.lan.proto=dhcp"]);
    ok(["revert", "network"]);
    ok(["commit", "network"]);
    expect(fs.statSync(file).ino).toBe(ino);
    expect(lab.read("network")).toBe(text);
  });

  test("-P: changes written there, commit is a no-op returning 0, delta kept", () => {
    const pdir = path.join(lab.root, "pdir");
    const P = (args: string[]) => runUci(["-c", lab.confdir, "-P", pdir, ...args]);
    expect(P(["set", "network.lan.proto=dhcp"]).code).toBe(0);
    const before = lab.read("network");
    expect(P(["commit", "network"])).toEqual({ stdout: "", stderr: "", code: 0 });
    expect(lab.read("network")).toBe(before);
    expect(fs.readFileSync(path.join(pdir, "network"), "utf8")).toBe("network.lan.proto='dhcp'\n");
    expect(P(["get", "network.lan.proto"]).stdout).toBe("dhcp\n");
    expect(lab.uci(["get", "network.lan.proto"]).stdout).toBe("static\n");
  });

  test("-p DIR: read-only delta source; commit writes it but never truncates it", () => {
    const pdir = path.join(lab.root, "extra");
    fs.mkdirSync(pdir);
    fs.writeFileSync(path.join(pdir, "network"), "|network.lan.dns='9.9.9.9'\n");
    const U = (args: string[]) => runUci(["-c", lab.confdir, "-t", lab.savedir, "-p", pdir, ...args]);
    expect(U(["get", "network.lan.dns"]).stdout).toBe("9.9.9.9\n");
    expect(U(["commit", "network"]).code).toBe(0);
    expect(fs.readFileSync(path.join(pdir, "network"), "utf8")).toBe("|network.lan.dns='9.9.9.9'\n");
    expect(U(["get", "network.lan.dns"]).stdout).toBe("9.9.9.9 9.9.9.9\n");
  });

  test("hostile values round-trip through set → commit → show/get", () => {
    const values = [
      `It's a "test"`,
      "back\\slash\\\\n $HOME `x` $(id)",
      "line1\nline2\n",
      "a\tb",
      "héllo ü 日本",
      "'\\''",
      "; # not a comment",
      "-1",
    ];
    values.forEach((v, i) => ok(["set", `network.lan.v${i}=${v}`]));
    ok(["add_list", "network.lan.l=it's"]);
    ok(["add_list", "network.lan.l=two\nlines"]);
    const shown = lab.uci(["show", "network.lan"]).stdout;
    ok(["commit", "network"]);
    expect(lab.uci(["show", "network.lan"]).stdout).toBe(shown);
    values.forEach((v, i) => expect(lab.uci(["get", `network.lan.v${i}`]).stdout).toBe(v + "\n"));
    expect(lab.read("network")).toContain("\toption v0 'It'\\''s a \"test\"'\n");
  });
});

describe("§2.9 import", () => {
  test("import pkg replaces the file at once, without touching the delta; empty stdin wipes", () => {
    ok(["set", "network.lan.proto=dhcp"]);
    expect(lab.uci(["import", "network"], "config interface 'x'\n\toption a 'b' # c\n").code).toBe(0);
    expect(lab.read("network")).toBe("\nconfig interface 'x'\n\toption a 'b'\n\n");
    expect(delta("network")).toBe("network.lan.proto='dhcp'\n");
    expect(lab.uci(["import", "network"], "").code).toBe(0);
    expect(lab.read("network")).toBe("\n");
  });

  test("new package file gets mode 0600; a parse error leaves the file alone", () => {
    ok(["import", "fresh"]);
    expect(fs.statSync(path.join(lab.confdir, "fresh")).mode & 0o777).toBe(0o600 & ~process.umask());
    const before = lab.read("network");
    expect(lab.uci(["import", "network"], "config a 'b'\nbogus\n")).toEqual({
      stdout: "",
      stderr: "uci: Parse error (invalid command) at line 2, byte 0\n",
      code: 1,
    });
    expect(lab.read("network")).toBe(before);
  });

  test("import without a name needs package lines", () => {
    expect(lab.uci(["import"], "config a 'b'\n")).toEqual({
      stdout: "",
      stderr: "uci: Parse error (attempting to import a file without a package name) at line 1, byte 0\n",
      code: 1,
    });
    expect(lab.uci(["import"], "package p1\nconfig a 'b'\npackage p2\nconfig c 'd'\n").code).toBe(0);
    expect(lab.read("p1")).toBe("\nconfig a 'b'\n\n");
    expect(lab.read("p2")).toBe("\nconfig c 'd'\n\n");
  });

  test("-m merges into the delta: named sections set, anonymous ones appended", () => {
    expect(
      lab.uci(
        ["-m", "import", "firewall"],
        "config zone\n\toption name 'dmz'\nconfig defaults 'd'\n\toption input 'DROP'\n",
      ).code,
    ).toBe(0);
    expect(delta("firewall")).toBe(
      "+firewall.cfg06dc81='zone'\n" +
        "firewall.cfg06dc81.name='dmz'\nfirewall.d='defaults'\nfirewall.d.input='DROP'\n",
    );
    expect(lab.uci(["get", "firewall.@zone[2].name"]).stdout).toBe("dmz\n");
  });
});
