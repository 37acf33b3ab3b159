// The CLI entry point as the lab host runs it (`exec node uci.js "$@"`): a few cases through a
// real process, to check argv/stdin/stdout/stderr bytes and exit codes (openwrt-uci.md §2).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { makeLab, Lab } from "./fixtures";

const UCI = path.join(__dirname, "uci.js");
let lab: Lab;
beforeEach(() => {
  lab = makeLab();
});
afterEach(() => lab.cleanup());

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [UCI, "-c", lab.confdir, "-t", lab.savedir, ...args], {
    input: input ?? "",
    encoding: "utf8",
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

test("uci.js starts with // @ts-check and needs only Node built-ins", () => {
  for (const f of fs.readdirSync(__dirname).filter((x) => x.endsWith(".js"))) {
    const src = fs.readFileSync(path.join(__dirname, f), "utf8");
    expect(src.startsWith("// @ts-check\n")).toBe(true);
    for (const m of src.matchAll(/require\((['"])([^'"]+)\1\)/g)) {
      expect(m[2].startsWith("./") || ["fs", "path", "crypto"].includes(m[2])).toBe(true);
    }
  }
});

test("get / Entry not found / usage exit codes", () => {
  expect(cli(["get", "network.lan.proto"])).toEqual({ stdout: "static\n", stderr: "", code: 0 });
  expect(cli(["get", "network.lan.nothere"])).toEqual({ stdout: "", stderr: "uci: Entry not found\n", code: 1 });
  const usage = cli(["get", "network.lan.proto", "-c", "/x"]);
  expect(usage.code).toBe(255);
  expect(usage.stderr.startsWith("Usage: uci [<options>] <command> [<arguments>]")).toBe(true);
  expect(cli(["add", "nothere", "rule"]).code).toBe(3);
});

test("anonymous names and show through the process", () => {
  expect(cli(["add", "firewall", "rule"]).stdout).toBe("cfg0692bd\n");
  expect(cli(["-X", "show", "firewall"]).stdout.split("\n")[0]).toBe("firewall.cfg01e63d=defaults");
});

test("batch over stdin with the newline accumulation, rc 0", () => {
  expect(cli(["batch"], "get network.wan.x1\nget network.wan.x2\nget network.wan.proto\n")).toEqual({
    stdout: "dhcp\n",
    stderr: "uci: Entry not found\nuci: Entry not found\n\n",
    code: 0,
  });
});

test("non-ASCII and hostile values survive argv → delta → commit → stdout", () => {
  const v = "héllo 'ü' \"x\" $HOME `id` \\n\ttab\nnewline";
  expect(cli(["set", `network.lan.v=${v}`]).code).toBe(0);
  expect(cli(["commit", "network"]).code).toBe(0);
  expect(cli(["get", "network.lan.v"]).stdout).toBe(v + "\n");
  expect(lab.read("network")).toContain("\toption v 'héllo '\\''ü'\\'' \"x\" $HOME `id` \\n\ttab\nnewline'\n");
});

test("import from stdin", () => {
  expect(cli(["import", "network"], "config interface 'x'\n")).toEqual({ stdout: "", stderr: "", code: 0 });
  expect(lab.read("network")).toBe("\nconfig interface 'x'\n\n");
});
