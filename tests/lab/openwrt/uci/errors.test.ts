// openwrt-uci.md §2.1: exit codes and stderr texts, row by row.
import * as fs from "fs";
import * as path from "path";
import { makeLab, Lab } from "./fixtures";
import { runUci } from "./index";

let lab: Lab;
beforeEach(() => {
  lab = makeLab();
});
afterEach(() => lab.cleanup());

const NOTFOUND = "uci: Entry not found\n";

describe("§2.1 usage and argument errors", () => {
  test("no args: usage, rc 0", () => {
    const r = runUci([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith("Usage: uci [<options>] <command> [<arguments>]\n")).toBe(true);
  });

  test.each([["frob"], ["get"], ["get", "a", "b"], ["add", "network"]])("%s … → usage, rc 255", (...args) => {
    const r = lab.uci(args);
    expect(r.code).toBe(255);
    expect(r.stderr.startsWith("Usage: uci")).toBe(true);
    expect(r.stdout).toBe("");
  });

  test("unknown option: getopt complaint + usage, rc 0", () => {
    const r = runUci(["-Z", "show"]);
    expect(r.code).toBe(0);
    expect(r.stderr.startsWith("uci: unrecognized option: Z\nUsage: uci")).toBe(true);
  });

  test("options after the command are not options (musl getopt): usage, rc 255", () => {
    const r = runUci(["get", "network.lan.proto", "-c", lab.confdir]);
    expect(r.code).toBe(255);
    expect(r.stderr.startsWith("Usage: uci")).toBe(true);
  });

  test("-q does not suppress usage", () => {
    expect(lab.uci(["-q", "frob"]).stderr.startsWith("Usage:")).toBe(true);
  });
});

describe("§2.1 get/show/export/changes/commit not found", () => {
  test.each([
    ["get", "network.lan.nothere"],
    ["get", "network.nothere.x"],
    ["get", "nothere.lan.x"],
    ["get", "firewall.@zone[5].name"],
    ["show", "nothere"],
    ["show", "network.nothere"],
    ["show", "network.lan.nothere"],
    ["export", "nothere"],
    ["changes", "nothere"],
    ["commit", "nothere"],
  ])("%s %s → Entry not found, rc 1", (cmd, arg) => {
    expect(lab.uci([cmd, arg])).toEqual({ stdout: "", stderr: NOTFOUND, code: 1 });
  });

  test("-q get: silent, rc still 1", () => {
    expect(lab.uci(["-q", "get", "network.lan.nothere"])).toEqual({ stdout: "", stderr: "", code: 1 });
  });

  test("get of a package prints nothing, of a section its type", () => {
    expect(lab.uci(["get", "network"])).toEqual({ stdout: "", stderr: "", code: 0 });
    expect(lab.uci(["get", "network.lan"])).toEqual({ stdout: "interface\n", stderr: "", code: 0 });
  });

  test("get with =value fails silently", () => {
    expect(lab.uci(["get", "network.lan.proto=x"])).toEqual({ stdout: "", stderr: "", code: 1 });
  });
});

describe("§2.1 set errors", () => {
  const cases: Array<[string, string, number]> = [
    ["network.bad-name=interface", "uci: Invalid argument\n", 1],
    ["network.wan.bad-opt=1", "uci: Parse error\n", 1],
    ["network.wan.bad.opt=1", "uci: Parse error\n", 1],
    ["network.wan.=1", "uci: Parse error\n", 1],
    ["network.wan.x=a\u0001b", "uci: Parse error\n", 1],
    ["network.wan=bad type", "uci: Invalid argument\n", 1],
    ["network.wan=odd-type.x@y", "", 0],
    ["bad.pkg.x=1", NOTFOUND, 1],
    ["bad-pkg.sec.opt=1", NOTFOUND, 1],
    ["network.nosec.opt=1", "uci: Invalid argument\n", 1],
    ["network.@interface[99].x=1", "uci: Invalid argument\n", 1],
    ["network..opt=1", "uci: Invalid argument\n", 1],
    ["network.wan.proto", "uci: Invalid argument\n", 1],
    ["network.new1=", "", 0],
    // "set x.y.z= on something missing": the missing thing is the option; a missing section
    // is still "Invalid argument", because libuci checks the section before the empty value
    ["network.lan.nothere=", "", 0],
    ["newpkg.sec=type", NOTFOUND, 1],
  ];
  test.each(cases)("set %j → %j rc %i", (arg, stderr, code) => {
    const r = lab.uci(["set", arg]);
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(code);
  });

  test("set with TAB, LF and CR in the value is accepted", () => {
    expect(lab.uci(["set", "network.wan.x=a\tb\nc\rd"]).code).toBe(0);
  });

  test("set @nosuch[0]=foo: rc 0, junk delta line that is ignored on load", () => {
    expect(lab.uci(["set", "network.@nosuch[0]=foo"])).toEqual({ stdout: "", stderr: "", code: 0 });
    expect(fs.readFileSync(path.join(lab.savedir, "network"), "utf8")).toBe("network.@nosuch[0]='foo'\n");
    expect(lab.uci(["show", "network"]).stdout).not.toContain("nosuch");
    expect(lab.uci(["changes"]).stdout).toBe("");
  });

  test("set on a package file that does not exist works after touch", () => {
    fs.writeFileSync(path.join(lab.confdir, "newpkg"), "");
    expect(lab.uci(["set", "newpkg.sec=type"]).code).toBe(0);
    expect(lab.uci(["show", "newpkg"]).stdout).toBe("newpkg.sec=type\n");
  });
});

describe("§2.1 add, delete, reorder, commit, savedir, -f, -S", () => {
  test("add nothere rule → rc 3", () => {
    expect(lab.uci(["add", "nothere", "rule"])).toEqual({ stdout: "", stderr: NOTFOUND, code: 3 });
  });

  test("add on a broken package → parse error with position, rc 5", () => {
    lab.write("broken", "config rule\n\tbogus line\n");
    expect(lab.uci(["add", "broken", "rule"])).toEqual({
      stdout: "",
      stderr: "uci: Parse error (invalid command) at line 2, byte 1\n",
      code: 5,
    });
  });

  test("delete twice: 0 then Entry not found / 1", () => {
    expect(lab.uci(["delete", "network.lan.ip6assign"]).code).toBe(0);
    expect(lab.uci(["delete", "network.lan.ip6assign"])).toEqual({ stdout: "", stderr: NOTFOUND, code: 1 });
  });

  test("delete with a non-numeric index: silent rc 1", () => {
    expect(lab.uci(["delete", "network.wan.addresses=abc"])).toEqual({ stdout: "", stderr: "", code: 1 });
  });

  test.each([["network.nothere=1"], ["network.wan"]])("reorder %s → Entry not found", (arg) => {
    expect(lab.uci(["reorder", arg])).toEqual({ stdout: "", stderr: NOTFOUND, code: 1 });
  });

  test("commit on a read-only confdir: I/O error, delta kept", () => {
    if (process.getuid && process.getuid() === 0) return; // root ignores the mode bits
    expect(lab.uci(["set", "network.lan.proto=dhcp"]).code).toBe(0);
    fs.chmodSync(path.join(lab.confdir, "network"), 0o444);
    fs.chmodSync(lab.confdir, 0o555);
    try {
      expect(lab.uci(["commit", "network"])).toEqual({ stdout: "", stderr: "uci: I/O error\n", code: 1 });
      expect(fs.readFileSync(path.join(lab.savedir, "network"), "utf8")).toBe("network.lan.proto='dhcp'\n");
    } finally {
      fs.chmodSync(lab.confdir, 0o755);
    }
  });

  test("commit/show/changes/export without package: per-package failures, rc 0", () => {
    lab.write("broken", "config rule\n\tbogus line\n");
    const r = lab.uci(["show"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("uci: Parse error (invalid command) at line 2, byte 1\n");
    expect(r.stdout).toContain("firewall.@zone[0]=zone");
    expect(r.stdout).toContain("network.lan=interface");
    expect(lab.uci(["commit"]).code).toBe(0);
    expect(lab.uci(["export"]).code).toBe(0);
    expect(lab.uci(["changes"]).code).toBe(0);
  });

  test("-t with a missing parent: savedir made with one mkdir → I/O error", () => {
    const r = runUci(["-c", lab.confdir, "-t", path.join(lab.root, "nonexistent", "deep"), "set", "network.lan.x=1"]);
    expect(r).toEqual({ stdout: "", stderr: "uci: I/O error\n", code: 1 });
  });

  test("-f on a missing file: message without newline, rc 1", () => {
    expect(lab.uci(["-f", path.join(lab.root, "nonexist"), "batch"])).toEqual({
      stdout: "",
      stderr: "uci: No such file or directory",
      code: 1,
    });
  });

  test("-S: bad line reported without prefix, rest shown, rc 0", () => {
    lab.write("soft", "config a 'x'\n\toption k 'v'\nbogus\nconfig b 'y'\n\toption k2 'v2'\n");
    const r = lab.uci(["-S", "show", "soft"]);
    expect(r).toEqual({
      stdout: "soft.x=a\nsoft.x.k='v'\nsoft.y=b\nsoft.y.k2='v2'\n",
      stderr: "Parse error (invalid command) at line 3, byte 0\n",
      code: 0,
    });
    expect(lab.uci(["show", "soft"])).toEqual({
      stdout: "",
      stderr: "uci: Parse error (invalid command) at line 3, byte 0\n",
      code: 1,
    });
  });

  test("batch always returns 0", () => {
    expect(lab.uci(["batch"], "frob\nset network.nosec.x=1\n").code).toBe(0);
  });
});
