import * as fs from "fs";
import * as path from "path";
import { runUciTransaction, buildTransactionScript, decide, readUciPackages } from "../../../provider/openwrt/uci-transaction";
import { parseUciShow } from "../../../provider/openwrt/uci-show-parser";
import { DeviceError } from "../../../provider/resources/kind";
import { openwrtSettings } from "../../../provider/openwrt/settings";
import type { UciCommand } from "../../../provider/openwrt/codec";
import { makeLocalDevice, type LocalDevice } from "./local-device";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
});
afterEach(() => dev.cleanup());

const wwanZone: UciCommand[] = [
  { op: "set-section", package: "firewall", section: "wwan", type: "zone" },
  { op: "set", package: "firewall", section: "wwan", option: "name", value: "wwan" },
  { op: "set", package: "firewall", section: "wwan", option: "masq", value: "1" },
  { op: "set", package: "firewall", section: "wwan", option: "masq6", value: "1" },
  { op: "add_list", package: "firewall", section: "wwan", option: "network", value: "wwan" },
];

describe("uci transaction script", () => {
  it("takes the lock, batches into a private -t savedir without commit, and commits only on the decision line", () => {
    const s = buildTransactionScript(["firewall"], "@@RS_x", { confDir: "/c" });
    expect(s).toMatch(/lock '\/var\/lock\/routerstack.lock' <\/dev\/null/);
    expect(s).toContain("trap rs_release EXIT");
    expect(s).toMatch(/trap 'exit 129' HUP/);
    expect(s).toContain(`rs_uci() { 'uci' -c '/c' -t "$D/s" "$@"; }`);
    expect(s).toContain("| rs_uci batch");
    expect(s).toContain(`if [ "$RS_DECISION" = commit ] && [ -f "$D/complete" ]; then`);
    expect(s).not.toMatch(/\bimport\b/);
    expect(s.indexOf("lock -u")).toBeLessThan(s.indexOf("trap rs_release EXIT"));
  });

  it("commits the fw4 zone wwan and the committed file holds exactly the intended section", async () => {
    const r = await runUciTransaction(dev.transport, { packages: ["firewall"], plan: () => wwanZone }, openwrtSettings().uci);
    expect(r.committed).toBe(true);
    const shown = parseUciShow(dev.uci("show firewall"));
    expect(shown).toEqual([{ package: "firewall", name: "wwan", type: "zone", anonymous: false, options: { name: "wwan", masq: "1", masq6: "1", network: "wwan" } }]);
    const file = fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8");
    expect(file).toBe("\nconfig zone 'wwan'\n\toption name 'wwan'\n\toption masq '1'\n\toption masq6 '1'\n\tlist network 'wwan'\n\n");
    // the lock was released and the private dirs removed
    expect(fs.readdirSync(path.join(dev.root, "tmp"))).toEqual([]);
  });

  it("round-trips hostile values through batch → commit → show", async () => {
    const nasty = ["it's", "a\nb", "tab\there", "back\\slash $HOME `x` \"q\"", "'", "''\\''", " lead", "héllo ü", "a=b=c"];
    const cmds: UciCommand[] = [{ op: "set-section", package: "network", section: "t", type: "interface" }];
    nasty.forEach((v, k) => cmds.push({ op: "set", package: "network", section: "t", option: `o${k}`, value: v }));
    for (const v of nasty) cmds.push({ op: "add_list", package: "network", section: "t", option: "l", value: v });
    await runUciTransaction(dev.transport, { packages: ["network"], plan: () => cmds }, openwrtSettings().uci);
    const [s] = await readUciPackages(dev.transport, ["network"], openwrtSettings().uci);
    nasty.forEach((v, k) => expect(s.options[`o${k}`]).toBe(v));
    expect(s.options.l).toEqual(nasty);
  });

  it("reverts when the read-back does not show the intent (batch exits 0 on errors) and names the mismatch", async () => {
    // `set` on an option of a section that does not exist fails inside the batch (Invalid argument), rc 0.
    const cmds: UciCommand[] = [{ op: "set", package: "network", section: "nosuch", option: "proto", value: "dhcp" }];
    await expect(runUciTransaction(dev.transport, { packages: ["network"], plan: () => cmds }, openwrtSettings().uci))
      .rejects.toThrow(/reverted.*network\.nosuch is missing after the batch.*uci said: uci: Invalid argument/s);
    expect(dev.uci("show network")).toBe("");
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe("");
  });

  it("never commits or reverts the admin's own pending changes in another savedir", async () => {
    const admin = path.join(dev.root, "tmp/.uci-admin");
    fs.mkdirSync(admin);
    dev.uci(`-t ${admin} batch`, "set network.lan=interface\nset network.lan.proto='static'\n");
    await runUciTransaction(dev.transport, { packages: ["network"], plan: () => [{ op: "set-section", package: "network", section: "wwan", type: "interface" }] }, openwrtSettings().uci);
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe("\nconfig interface 'wwan'\n\n");
    expect(dev.uci(`-t ${admin} changes network`)).toBe("network.lan='interface'\nnetwork.lan.proto='static'\n");
  });

  it("aborts without writing when the plan throws (e.g. the section exists and adopt is false)", async () => {
    await runUciTransaction(dev.transport, { packages: ["network"], plan: () => [{ op: "set-section", package: "network", section: "wwan", type: "interface" }] }, openwrtSettings().uci);
    const before = fs.readFileSync(path.join(dev.confDir, "network"), "utf8");
    await expect(runUciTransaction(dev.transport, {
      packages: ["network"],
      plan: () => {
        throw new DeviceError("exists");
      },
    }, openwrtSettings().uci)).rejects.toThrow("exists");
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe(before);
  });

  it("a connection cut before the decision commits nothing and releases the lock", async () => {
    const s = openwrtSettings().uci;
    const marker = "@@RS_cut";
    const ix = await dev.transport.interactive(buildTransactionScript(["network"], marker, s));
    await ix.waitFor(`${marker}:ready@@\n`);
    ix.write("set network.cut=interface\n@@RS_cut:end\n");
    await ix.waitFor(`${marker}:verify@@\n`);
    ix.end(); // EOF on stdin instead of a decision, as when the channel closes
    const r = await ix.done;
    expect(r.stdout).toContain(`${marker}:reverted@@`);
    expect(dev.uci("show network")).toBe("");
    // the lock is free again: a second transaction gets it
    await runUciTransaction(dev.transport, { packages: ["network"], plan: () => [] }, s);
  });

  it("serialises concurrent transactions on the device lock: no write is lost", async () => {
    const s = openwrtSettings().uci;
    await Promise.all(Array.from({ length: 6 }, (_, k) => runUciTransaction(dev.transport, {
      packages: ["network"],
      plan: () => [{ op: "set-section", package: "network", section: `s${k}`, type: "interface" }],
    }, s)));
    const names = parseUciShow(dev.uci("show network")).map((x) => x.name).sort();
    expect(names).toEqual(["s0", "s1", "s2", "s3", "s4", "s5"]);
  });
});

describe("decision logic", () => {
  const before = parseUciShow("network.wwan=interface\nnetwork.wwan.proto='qmi'\n");
  const cmds: UciCommand[] = [{ op: "set", package: "network", section: "wwan", option: "apn", value: "internet" }];
  it("commits when every intended option reads back", () => {
    const after = { sections: parseUciShow("network.wwan=interface\nnetwork.wwan.proto='qmi'\nnetwork.wwan.apn='internet'\n"), errors: [] };
    expect(decide(before, cmds, after)).toEqual({ decision: "commit", problems: [] });
  });
  it("reverts when an option is missing, and never quotes secret values", () => {
    const pw: UciCommand[] = [{ op: "set", package: "network", section: "wwan", option: "password", value: "s3cret" }];
    const after = { sections: before, errors: [] };
    const d = decide(before, pw, after, new Set(["password"]));
    expect(d.decision).toBe("revert");
    expect(d.problems.join()).toContain("network.wwan.password is absent, expected (secret)");
    expect(d.problems.join()).not.toContain("s3cret");
  });
  it("reverts when something else changed in a touched section", () => {
    const after = { sections: parseUciShow("network.wwan=interface\nnetwork.wwan.apn='internet'\n"), errors: [] };
    expect(decide(before, cmds, after).problems).toEqual(["network.wwan.proto is absent, expected \"qmi\""]);
  });
  it("does not commit an empty plan", () => {
    expect(decide(before, [], { sections: before, errors: [] }).decision).toBe("revert");
  });
});
