import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { runUciTransaction, decide } from "../../../provider/openwrt/uci-transaction";
import { buildTransactionScript } from "../../../provider/openwrt/uci-script";
import { readUciPackages } from "../../../provider/openwrt/uci-read";
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
    expect(s).toMatch(/lock '\/root\/\.routerstack\/lock' <\/dev\/null/);
    expect(s).toContain("trap rs_release EXIT");
    expect(s).toMatch(/trap 'exit 129' HUP/);
    // uci only ever sees the private copy under an alias; the real confdir is only copied from and installed into
    expect(s).toContain(`rs_uci() { 'uci' -c "$D/c" -t "$D/s" "$@"; }`);
    expect(s).toContain("RS_CONF='/c'");
    expect(s).toMatch(/RS_PKGS='firewall rs_firewall_[0-9a-f]{24}'/);
    expect(s).toContain("rs_each rs_stage || exit 75");
    expect(s).toContain(`rs_commit "$1" "$2"`);
    expect(s).not.toMatch(/rs_uci (show|commit|batch) '?firewall/);
    // /tmp/.uci is only ever tested for the alias's absence
    expect(s.split("/tmp/.uci").length - 1).toBe(2);
    expect(s).toContain(`if [ -e '/tmp/.uci'/"$2" ] || [ -e '/var/run/uci'/"$2" ]; then`);
    expect(s).toContain("| rs_uci batch");
    // only a decision line whose first word is `commit`, after a complete batch, then the records' end line, commits;
    // `retry` starts another round
    expect(s).toContain(
      `case "$RS_DECISION" in commit|"commit "*) if [ -f "$D/complete" ]; then RS_RECORDS=0; fi ;; esac`,
    );
    expect(s).toContain(`'@@RS_x:records') RS_RECORDS=1; break ;;`);
    expect(s).toContain(`if [ "$RS_RECORDS" = 1 ]; then`);
    expect(s).toContain(`if [ "$RS_DECISION" != retry ] || [ ! -f "$D/complete" ]; then break; fi`);
    // a package is committed only when the decision names it
    expect(s).toContain(`case " $RS_DECISION " in *" p:$1 "*)`);
    expect(s).not.toMatch(/\bimport\b/);
    expect(s.indexOf("lock -u")).toBeLessThan(s.indexOf("trap rs_release EXIT"));
  });

  it("commits the fw4 zone wwan and the committed file holds exactly the intended section", async () => {
    const r = await runUciTransaction(
      dev.transport,
      { packages: ["firewall"], plan: () => wwanZone },
      openwrtSettings().uci,
    );
    expect(r.committed).toBe(true);
    const shown = parseUciShow(dev.uci("show firewall"));
    expect(shown).toEqual([
      {
        package: "firewall",
        name: "wwan",
        type: "zone",
        anonymous: false,
        options: { name: "wwan", masq: "1", masq6: "1", network: "wwan" },
      },
    ]);
    const file = fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8");
    expect(file).toBe(
      "\nconfig zone 'wwan'\n\toption name 'wwan'\n\toption masq '1'\n\toption masq6 '1'\n\tlist network 'wwan'\n\n",
    );
    // the lock was released and the private dirs removed
    expect(fs.readdirSync(path.join(dev.root, "tmp"))).toEqual([]);
  });

  it("round-trips hostile values through batch → commit → show", async () => {
    const nasty = [
      "it's",
      "a\nb",
      "tab\there",
      'back\\slash $HOME `x` "q"',
      "'",
      "''\\''",
      " lead",
      "héllo ü",
      "a=b=c",
    ];
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
    await expect(
      runUciTransaction(dev.transport, { packages: ["network"], plan: () => cmds }, openwrtSettings().uci),
    ).rejects.toThrow(/reverted.*network\.nosuch is missing after the batch.*uci said: uci: Invalid argument/s);
    expect(dev.uci("show network")).toBe("");
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe("");
  });

  it("never commits or reverts the admin's own pending changes in another savedir", async () => {
    const admin = path.join(dev.root, "tmp/.uci-admin");
    fs.mkdirSync(admin);
    dev.uci(`-t ${admin} batch`, "set network.lan=interface\nset network.lan.proto='static'\n");
    await runUciTransaction(
      dev.transport,
      {
        packages: ["network"],
        plan: () => [{ op: "set-section", package: "network", section: "wwan", type: "interface" }],
      },
      openwrtSettings().uci,
    );
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe("\nconfig interface 'wwan'\n\n");
    expect(dev.uci(`-t ${admin} changes network`)).toBe("network.lan='interface'\nnetwork.lan.proto='static'\n");
  });

  it("aborts without writing when the plan throws (e.g. the section exists and adopt is false)", async () => {
    await runUciTransaction(
      dev.transport,
      {
        packages: ["network"],
        plan: () => [{ op: "set-section", package: "network", section: "wwan", type: "interface" }],
      },
      openwrtSettings().uci,
    );
    const before = fs.readFileSync(path.join(dev.confDir, "network"), "utf8");
    await expect(
      runUciTransaction(
        dev.transport,
        {
          packages: ["network"],
          plan: () => {
            throw new DeviceError("exists");
          },
        },
        openwrtSettings().uci,
      ),
    ).rejects.toThrow("exists");
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe(before);
  });

  it("a connection cut before the decision commits nothing and releases the lock", async () => {
    const s = openwrtSettings().uci;
    const marker = "@@RS_cut";
    // the alias is what uci sees; the nonce fixes it
    const alias = "rs_network_cut";
    for (const cutAfter of ["", "commit p:network\n"]) {
      const ix = await dev.transport.interactive(
        buildTransactionScript(["network"], marker, s, new Map([["network", alias]])),
      );
      ix.write(`${marker}:owners\n`);
      await ix.waitFor(`${marker}:ready@@\n`);
      ix.write(`set ${alias}.cut=interface\n@@RS_cut:end\n`);
      await ix.waitFor(`${marker}:verify 1@@\n`);
      // EOF on stdin instead of a decision, or after `commit` but before the records' end line, as when the
      // channel closes
      ix.write(cutAfter);
      ix.end();
      const r = await ix.done;
      expect(r.stdout).toContain(`${marker}:reverted@@`);
      expect(r.stdout).toContain(`${alias}.cut=interface`); // the batch did apply to the private copy
      expect(dev.uci("show network")).toBe("");
    }
    // the lock is free again: a second transaction gets it
    await runUciTransaction(dev.transport, { packages: ["network"], plan: () => [] }, s);
  });

  it("serialises concurrent transactions on the device lock: no write is lost", async () => {
    const s = openwrtSettings().uci;
    await Promise.all(
      Array.from({ length: 6 }, (_, k) =>
        runUciTransaction(
          dev.transport,
          {
            packages: ["network"],
            plan: () => [{ op: "set-section", package: "network", section: `s${k}`, type: "interface" }],
          },
          s,
        ),
      ),
    );
    const names = parseUciShow(dev.uci("show network"))
      .map((x) => x.name)
      .sort();
    expect(names).toEqual(["s0", "s1", "s2", "s3", "s4", "s5"]);
  });
});

/**
 * The admin's pending changes live in uci's compiled-in default savedir, /tmp/.uci (the stand-in's too: it is an
 * absolute path in tests/lab/openwrt/uci/libuci.js, not relative to the test root). `uci -t DIR` still reads
 * them (libuci's uci_set_savedir appends DIR to the delta path), so these tests put them there, in a package of
 * their own, and check routerstack neither reads nor commits nor touches them.
 */
describe("the admin's pending changes in the default savedir /tmp/.uci", () => {
  const SAVEDIR = "/tmp/.uci";
  let pkg: string;
  let createdSavedir = false;
  const ours: string[] = [];
  const adminDelta = () => path.join(SAVEDIR, pkg);

  beforeEach(() => {
    pkg = `rstest_${randomBytes(6).toString("hex")}`;
    if (!fs.existsSync(SAVEDIR)) {
      fs.mkdirSync(SAVEDIR, { mode: 0o755 });
      createdSavedir = true;
    }
    ours.push(adminDelta());
    fs.writeFileSync(path.join(dev.confDir, pkg), "\nconfig interface 'lan'\n\toption proto 'dhcp'\n\n", {
      mode: 0o640,
    });
    fs.chmodSync(path.join(dev.confDir, pkg), 0o640);
    // the admin's own `uci set`s, without -t: they land in /tmp/.uci/<pkg>
    dev.adminUci(
      "batch",
      `set ${pkg}.lan.proto='static'\nset ${pkg}.adm=interface\nadd_list ${pkg}.lan.dns='192.0.2.53'\n`,
    );
  });
  afterEach(() => {
    for (const f of ours.splice(0)) fs.rmSync(f, { force: true });
    if (createdSavedir && fs.readdirSync(SAVEDIR).length === 0) fs.rmdirSync(SAVEDIR);
    createdSavedir = false;
  });

  const adminChanges = () => `${pkg}.lan.proto='static'\n${pkg}.adm='interface'\n${pkg}.lan.dns+='192.0.2.53'\n`;

  it("is really where the stand-in keeps the admin's changes (the premise of these tests)", () => {
    expect(fs.readFileSync(adminDelta(), "utf8")).toContain(`${pkg}.lan.proto='static'`);
    expect(dev.adminUci(`changes ${pkg}`)).toBe(adminChanges());
    // and `-t <private dir>` still sees them, which is the bug the alias copy avoids
    const t = fs.mkdtempSync(path.join(dev.root, "tmp/t-"));
    expect(dev.adminUci(`-t ${t} get ${pkg}.lan.proto`)).toBe("static\n");
  });

  it("reads show the committed state only", async () => {
    const read = await readUciPackages(dev.transport, [pkg], openwrtSettings().uci);
    expect(read).toEqual([
      { package: pkg, name: "lan", type: "interface", anonymous: false, options: { proto: "dhcp" } },
    ]);
  });

  it("a committed transaction does not commit them, leaves /tmp/.uci/<pkg> byte-identical, and the admin still has them pending", async () => {
    const delta = fs.readFileSync(adminDelta());
    const r = await runUciTransaction(
      dev.transport,
      {
        packages: [pkg],
        plan: () => [
          { op: "set-section", package: pkg, section: "wwan", type: "interface" },
          { op: "set", package: pkg, section: "wwan", option: "proto", value: "qmi" },
        ],
      },
      openwrtSettings().uci,
    );
    expect(r.committed).toBe(true);
    // before and after are the committed state plus our change, never the admin's
    expect(r.before).toEqual([
      { package: pkg, name: "lan", type: "interface", anonymous: false, options: { proto: "dhcp" } },
    ]);
    expect(r.after.map((s) => `${s.package}.${s.name}`)).toEqual([`${pkg}.lan`, `${pkg}.wwan`]);
    expect(r.after[0].options).toEqual({ proto: "dhcp" });
    const file = fs.readFileSync(path.join(dev.confDir, pkg), "utf8");
    expect(file).toBe(
      "\nconfig interface 'lan'\n\toption proto 'dhcp'\n\nconfig interface 'wwan'\n\toption proto 'qmi'\n\n",
    );
    expect(file).not.toContain("static");
    expect(file).not.toContain("adm");
    expect(fs.readFileSync(adminDelta())).toEqual(delta);
    expect(dev.adminUci(`changes ${pkg}`)).toBe(adminChanges());
    // the old file's mode is kept, and no temp file is left in the confdir
    expect(fs.statSync(path.join(dev.confDir, pkg)).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dev.confDir).filter((f) => f.startsWith("."))).toEqual([]);
    expect(fs.readdirSync(path.join(dev.root, "tmp"))).toEqual([]);
    // the admin's own commit later still applies exactly their changes on top of ours
    dev.adminUci(`commit ${pkg}`);
    expect(parseUciShow(dev.adminUci(`show ${pkg}`)).map((s) => [s.name, s.options])).toEqual([
      ["lan", { proto: "static", dns: "192.0.2.53" }],
      ["wwan", { proto: "qmi" }],
      ["adm", {}],
    ]);
  });

  it("a reverted transaction leaves the file and /tmp/.uci/<pkg> untouched", async () => {
    const delta = fs.readFileSync(adminDelta());
    const file = fs.readFileSync(path.join(dev.confDir, pkg));
    await expect(
      runUciTransaction(
        dev.transport,
        {
          packages: [pkg],
          plan: () => [{ op: "set", package: pkg, section: "nosuch", option: "proto", value: "dhcp" }],
        },
        openwrtSettings().uci,
      ),
    ).rejects.toThrow(new RegExp(`reverted.*${pkg}\\.nosuch is missing`, "s"));
    expect(fs.readFileSync(path.join(dev.confDir, pkg))).toEqual(file);
    expect(fs.readFileSync(adminDelta())).toEqual(delta);
    expect(dev.adminUci(`changes ${pkg}`)).toBe(adminChanges());
  });

  it("refuses an alias that has a delta file in /tmp/.uci, and writes nothing", async () => {
    const nonce = randomBytes(6).toString("hex");
    const aliasDelta = path.join(SAVEDIR, `rs_${pkg}_${nonce}`);
    ours.push(aliasDelta);
    fs.writeFileSync(aliasDelta, `${pkg}.x='y'\n`);
    const file = fs.readFileSync(path.join(dev.confDir, pkg));
    await expect(
      runUciTransaction(
        dev.transport,
        {
          packages: [pkg],
          plan: () => [{ op: "set-section", package: pkg, section: "wwan", type: "interface" }],
        },
        { ...openwrtSettings().uci, nonce },
      ),
    ).rejects.toThrow(/ended before "ready" \(exit 75\).*already has \/tmp\/\.uci\//s);
    expect(fs.readFileSync(path.join(dev.confDir, pkg))).toEqual(file);
    // the lock was released
    await runUciTransaction(dev.transport, { packages: [pkg], plan: () => [] }, openwrtSettings().uci);
  });
});

describe("installing the committed file", () => {
  it("creates a missing package with mode 0600 (it may hold secrets, issue 14)", async () => {
    const r = await runUciTransaction(
      dev.transport,
      {
        packages: ["mwan3"],
        plan: (before) => {
          expect(before).toEqual([]);
          return [{ op: "set-section", package: "mwan3", section: "wwan", type: "interface" }];
        },
      },
      openwrtSettings().uci,
    );
    expect(r.committed).toBe(true);
    expect(fs.readFileSync(path.join(dev.confDir, "mwan3"), "utf8")).toBe("\nconfig interface 'wwan'\n\n");
    expect(fs.statSync(path.join(dev.confDir, "mwan3")).mode & 0o777).toBe(0o600);
  });

  it("replaces the target of a symlinked config and keeps the link", async () => {
    const target = path.join(dev.root, "etc/network.real");
    fs.writeFileSync(target, "", { mode: 0o600 });
    fs.rmSync(path.join(dev.confDir, "network"));
    fs.symlinkSync(target, path.join(dev.confDir, "network"));
    await runUciTransaction(
      dev.transport,
      {
        packages: ["network"],
        plan: () => [{ op: "set-section", package: "network", section: "wwan", type: "interface" }],
      },
      openwrtSettings().uci,
    );
    expect(fs.lstatSync(path.join(dev.confDir, "network")).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, "utf8")).toBe("\nconfig interface 'wwan'\n\n");
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dev.root, "etc")).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("rejects a plan that writes a package outside the transaction, and writes nothing", async () => {
    await expect(
      runUciTransaction(
        dev.transport,
        {
          packages: ["network"],
          plan: () => [{ op: "set-section", package: "firewall", section: "wwan", type: "zone" }],
        },
        openwrtSettings().uci,
      ),
    ).rejects.toThrow(/writes package firewall, which is not one of the transaction's packages \(network\)/);
    expect(fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8")).toBe("");
  });

  it("works with busybox sh and applets (cp -p, mktemp, mv -f, readlink -f) as on a router", async () => {
    dev.cleanup();
    dev = makeLocalDevice("dlink", { busybox: true });
    fs.chmodSync(path.join(dev.confDir, "firewall"), 0o640);
    const r = await runUciTransaction(
      dev.transport,
      { packages: ["firewall"], plan: () => wwanZone },
      openwrtSettings().uci,
    );
    expect(r.committed).toBe(true);
    expect(fs.readFileSync(path.join(dev.confDir, "firewall"), "utf8")).toBe(
      "\nconfig zone 'wwan'\n\toption name 'wwan'\n\toption masq '1'\n\toption masq6 '1'\n\tlist network 'wwan'\n\n",
    );
    expect(fs.statSync(path.join(dev.confDir, "firewall")).mode & 0o777).toBe(0o640);
    const [s] = await readUciPackages(dev.transport, ["firewall"], openwrtSettings().uci);
    expect(s.options.network).toBe("wwan");
    expect(fs.readdirSync(path.join(dev.root, "tmp"))).toEqual([]);
  });
});

describe("decision logic", () => {
  const before = parseUciShow("network.wwan=interface\nnetwork.wwan.proto='qmi'\n");
  const cmds: UciCommand[] = [{ op: "set", package: "network", section: "wwan", option: "apn", value: "internet" }];
  it("commits when every intended option reads back", () => {
    const after = {
      sections: parseUciShow("network.wwan=interface\nnetwork.wwan.proto='qmi'\nnetwork.wwan.apn='internet'\n"),
      errors: [],
    };
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
    expect(decide(before, cmds, after).problems).toEqual(['network.wwan.proto is absent, expected "qmi"']);
  });
  it("does not commit an empty plan", () => {
    expect(decide(before, [], { sections: before, errors: [] }).decision).toBe("revert");
  });
});
