// openwrt-uci.md §2.8: uci batch — tokenizer, error quirks, exit status.
import * as fs from "fs";
import { makeLab, Lab } from "./fixtures";

let lab: Lab;
beforeEach(() => {
  lab = makeLab({
    network: "\nconfig interface 'lan'\n\toption proto 'static'\n\nconfig interface 'wan'\n\toption proto 'dhcp'\n",
  });
});
afterEach(() => lab.cleanup());

describe("§2.8 batch examples", () => {
  test("the k-th error message is followed by k newlines", () => {
    const r = lab.uci(
      ["batch"],
      "get network.wan.x1\nget network.wan.x2\nget network.wan.x3\nget network.wan.proto\nget network.wan.x4\n",
    );
    expect(r).toEqual({
      stdout: "dhcp\n",
      stderr:
        "uci: Entry not found\n" +
        "uci: Entry not found\n\n" +
        "uci: Entry not found\n\n\n" +
        "uci: Entry not found\n\n\n\n",
      code: 0,
    });
  });

  test("after a parse error later messages carry a stale suffix", () => {
    const r = lab.uci(["batch"], "set network.wan.bad-opt=1\nget network.wan.x2\n");
    expect(r).toEqual({
      stdout: "",
      stderr: "uci: Parse error (unknown) at line 1, byte 0\nuci: Entry not found (unknown) at line 1, byte 0\n\n",
      code: 0,
    });
  });

  test('quoting: double quotes with \\" and \\\\, backslash outside quotes', () => {
    const r = lab.uci(["batch"], 'set network.lan.dq="say \\"hi\\" \\\\ back"\nset network.lan.unq=plain\\ escaped\n');
    expect(r).toEqual({ stdout: "", stderr: "", code: 0 });
    expect(lab.uci(["show", "network.lan.dq"]).stdout).toBe("network.lan.dq='say \"hi\" \\ back'\n");
    expect(lab.uci(["show", "network.lan.unq"]).stdout).toBe("network.lan.unq='plain escaped'\n");
  });

  test("single quotes are literal and may span lines; # starts a comment line", () => {
    const r = lab.uci(["batch"], "# comment\nset network.lan.ml='a\\nb\nc'\n");
    expect(r.code).toBe(0);
    expect(lab.uci(["get", "network.lan.ml"]).stdout).toBe("a\\nb\nc\n");
  });

  test("too many words: Unknown command / Too many arguments", () => {
    expect(lab.uci(["batch"], "set network.lan.x=1 2\n")).toEqual({ stdout: "", stderr: "Unknown command\n", code: 0 });
    expect(lab.uci(["batch"], "set a b c d e\nget network.lan.proto\n")).toEqual({
      stdout: "static\n",
      stderr: "Too many arguments\n",
      code: 0,
    });
    expect(lab.uci(["changes"]).stdout).toBe("");
  });

  test("an unterminated quote swallows the rest of the input; nothing more is applied", () => {
    const r = lab.uci(["batch"], "set network.lan.a=1\nset network.lan.b='x\nset network.lan.c=3\n");
    // line 2 is the first line read since the package load of line 1, which replaced the
    // batch's parser context; byte = bytes read from there to EOF (21 + 20)
    expect(r).toEqual({
      stdout: "",
      stderr: "uci: Parse error (EOF with unterminated ') at line 2, byte 41\n",
      code: 0,
    });
    expect(lab.uci(["changes"]).stdout).toBe("network.lan.a='1'\n");
  });

  test("each command is saved at once; commit inside commits at that point; exit stops", () => {
    const r = lab.uci(
      ["batch"],
      "set network.lan.mtu=1400\ncommit network\nset network.lan.mtu=1500\nexit\nset network.lan.mtu=9000\n",
    );
    expect(r).toEqual({ stdout: "", stderr: "", code: 0 });
    expect(lab.read("network")).toContain("\toption mtu '1400'\n");
    expect(lab.uci(["changes"]).stdout).toBe("network.lan.mtu='1500'\n");
  });

  test("errors do not stop the batch; get/add print to stdout", () => {
    const r = lab.uci(["batch"], "set network.nosec.x=1\nadd network rule\nget network.lan.proto\n");
    expect(r).toEqual({ stdout: "cfg03" + "92bd\nstatic\n", stderr: "uci: Invalid argument\n", code: 0 });
  });

  test("-f file instead of stdin; -q silences errors", () => {
    const f = `${lab.root}/cmds`;
    fs.writeFileSync(f, "get network.lan.nothere\nget network.lan.proto\n");
    expect(lab.uci(["-q", "-f", f, "batch"])).toEqual({ stdout: "static\n", stderr: "", code: 0 });
  });
});
