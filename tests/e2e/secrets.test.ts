/**
 * Secrets (issue 5): after a full lifecycle with known secret values — a ModemProfile whose password and SIM PIN are
 * Pulumi secrets, created, left alone, updated, refreshed, changed on the device behind routerstack's back,
 * restored, failed on (a reload error during an update), and destroyed — none of the values appears, in plain
 * text or in any quoted spelling, in the engine's logs or errors, the per-device command logs, the engine's state
 * file, the stack files, or the __provider strings; nor does the (identity-salted, brute-forceable for a PIN)
 * secret hash appear unencrypted in the state.
 * DESIGN.md "Pulumi integration" (secrets), "Both" (redacted command log).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { EngineResult } from "../engine";
import { LabSession, labAvailable, type ResourceSpec } from "./harness";
import { changes, report, sh, Stack } from "./reliability-helpers";

const run = labAvailable() ? describe : describe.skip;
const TIMEOUT = 300_000;

// Each secret has quote characters of every codec (' " $ ? \ and a space) around a unique token.
const PASSWORD1 = `Pw1'q"$x?\\ k9Zq7f3a`;
const PASSWORD2 = `Pw2'r"$y?\\ m4Wt8c1e`;
const PASSWORD3 = `Pw3's"$z?\\ p2Hv5d9b`;
const OOB_PASSWORD = `oob'"$?\\ x7Yn3k2r`;
const PIN1 = "90817263";
const PIN2 = "81726354";
const SECRETS = [PASSWORD1, PASSWORD2, PASSWORD3, OOB_PASSWORD, PIN1, PIN2];

/** Every spelling a secret may take once quoted for a device, a shell, JSON or base64. */
function spellings(secret: string): string[] {
  const routeros = secret.replace(/[\\"$?]/g, (c) => `\\${c}`);
  const shell = `'${secret.replace(/'/g, `'\\''`)}'`;
  const uciShellInner = secret.replace(/'/g, `'\\''`);
  const json = JSON.stringify(secret).slice(1, -1);
  const jsonOfJson = JSON.stringify(JSON.stringify(secret)).slice(1, -1);
  const token = secret.slice(-8); // the unique token: found whatever happened to the quote characters
  return [
    ...new Set([
      secret,
      routeros,
      shell,
      uciShellInner,
      json,
      jsonOfJson,
      token,
      Buffer.from(secret).toString("base64"),
      encodeURIComponent(secret),
    ]),
  ];
}

run("secrets never leave the provider in plain text", () => {
  const s = new LabSession();
  let st: Stack;
  let crsLog = "";
  let dlinkLog = "";
  let devices: Record<string, Record<string, unknown>>;
  const summary = { runs: 0, textsSearched: 0, spellings: 0, found: [] as string[] };

  const modem = (password: string, pincode: string): ResourceSpec => ({
    platform: "openwrt",
    kind: "ModemProfile",
    name: "wwan",
    secretArgs: ["password", "pincode"],
    args: {
      device: "dlink",
      name: "wwan",
      proto: "qmi",
      modemDevice: "/dev/cdc-wdm0",
      apn: "internet",
      auth: "chap",
      username: "lte",
      password,
      pincode,
      pdptype: "ipv4v6",
    },
  });
  const route: ResourceSpec = {
    platform: "routeros",
    kind: "StaticRoute",
    name: "secret-lab-route",
    args: { device: "crs", dstAddress: "198.51.100.77/32", gateway: "192.0.2.2" },
  };
  const program = (password: string, pincode: string) => [modem(password, pincode), route];

  beforeAll(async () => {
    await s.start("secrets");
    st = new Stack(s.lab, "secrets");
    // The command log of one device by absolute path, of the other relative to the program directory.
    crsLog = path.join(s.lab.dir, "crs-commands.log");
    dlinkLog = path.join(st.programDir, "dlink-commands.log");
    devices = {
      crs: { ...s.lab.devices.crs, commandLogFile: crsLog },
      dlink: { ...s.lab.devices.dlink, commandLogFile: "dlink-commands.log" },
    };
  }, 180_000);

  afterAll(async () => {
    report(
      `secrets: ${summary.runs} engine runs; searched ${summary.textsSearched} texts for ${SECRETS.length} secrets in ${summary.spellings} spellings; ` +
        `found ${summary.found.length}${summary.found.length ? ` (${summary.found.join("; ")})` : ""}`,
    );
    await s.stop();
  });

  async function up(password: string, pincode: string, opts: { refresh?: boolean } = {}): Promise<EngineResult> {
    summary.runs++;
    return st.ok("up", program(password, pincode), { devices, refresh: opts.refresh });
  }

  async function uciGet(key: string): Promise<string> {
    return (await sh(s.lab, `uci -q get ${key}`)).replace(/\n$/, "");
  }

  it(
    "runs the lifecycle, each secret reaching the device",
    async () => {
      // create
      let r = await up(PASSWORD1, PIN1);
      expect(changes(r)).toEqual({ create: 2, update: 0, replace: 0, delete: 0 });
      expect(await uciGet("network.wwan.password")).toBe(PASSWORD1);
      expect(await uciGet("network.wwan.pincode")).toBe(PIN1);
      // no-op
      r = await up(PASSWORD1, PIN1);
      expect(changes(r)).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
      // update both secrets
      r = await up(PASSWORD2, PIN2);
      expect(changes(r)).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
      expect(await uciGet("network.wwan.password")).toBe(PASSWORD2);
      expect(await uciGet("network.wwan.pincode")).toBe(PIN2);
      // refresh, then preview --refresh
      summary.runs++;
      await st.ok("refresh", program(PASSWORD2, PIN2), { devices });
      summary.runs++;
      await st.ok("preview", program(PASSWORD2, PIN2), { devices, refresh: true });
      // changed on the device behind routerstack's back: seen (as a hash) and restored, never read into state
      await sh(s.lab, `uci set network.wwan.password='${OOB_PASSWORD.replace(/'/g, `'\\''`)}' && uci commit network`);
      summary.runs++;
      const pv = await st.ok("preview", program(PASSWORD2, PIN2), { devices, refresh: true });
      expect(pv.drift.map((d) => d.name)).toEqual(["wwan"]);
      r = await up(PASSWORD2, PIN2, { refresh: true });
      expect(changes(r)).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
      expect(await uciGet("network.wwan.password")).toBe(PASSWORD2);
    },
    TIMEOUT,
  );

  it(
    "an update that fails on the device (network reload error) names the failure but not the secrets",
    async () => {
      const init = "/etc/init.d/network";
      await sh(
        s.lab,
        `cp -p ${init} /tmp/network.saved && printf '#!/bin/sh\\necho "reload refused by the test" >&2\\nexit 1\\n' >${init}`,
      );
      try {
        summary.runs++;
        const r = await st.run("up", program(PASSWORD3, PIN1), { devices });
        expect(r.ok).toBe(false);
        expect(r.errors.join("\n")).toMatch(/reload of network .*failed/);
        expect(r.errors.join("\n")).toContain("reload refused by the test");
      } finally {
        await sh(s.lab, `cat /tmp/network.saved >${init} && rm /tmp/network.saved`);
      }
      const r = await up(PASSWORD3, PIN1);
      expect(r.ok).toBe(true);
      expect(await uciGet("network.wwan.password")).toBe(PASSWORD3);
      expect(await uciGet("network.wwan.pincode")).toBe(PIN1);
    },
    TIMEOUT,
  );

  it(
    "destroy removes the interface",
    async () => {
      summary.runs++;
      const r = await st.ok("destroy", program(PASSWORD3, PIN1), { devices });
      expect(r.counts.delete).toBe(2);
      expect((await s.lab.dlink.exec("uci -q get network.wwan")).code).not.toBe(0);
    },
    TIMEOUT,
  );

  it("no secret in logs, errors, command logs, state files, stack files or __provider", () => {
    // The command logs were written, and they show redactions where the secrets were.
    expect(fs.existsSync(crsLog)).toBe(true);
    expect(fs.existsSync(dlinkLog)).toBe(true);
    const dlinkText = fs.readFileSync(dlinkLog, "utf8");
    expect(dlinkText).toContain("***");
    expect(fs.readFileSync(crsLog, "utf8")).toContain("/ip/route");

    const texts: [string, string][] = [];
    st.results.forEach((r, k) => {
      texts.push([`engine result ${k} (${r.op}) log`, r.log]);
      texts.push([`engine result ${k} (${r.op}) errors`, r.errors.join("\n")]);
      texts.push([`engine result ${k} (${r.op}) whole`, JSON.stringify(r)]);
      r.providerStrings.forEach((p, j) => texts.push([`engine result ${k} __provider ${j}`, p]));
    });
    st.states.forEach((t, k) => texts.push([`state file after run ${k}`, t]));
    texts.push(["crs command log", fs.readFileSync(crsLog, "utf8")]);
    texts.push(["dlink command log", dlinkText]);
    for (const f of fs.readdirSync(st.programDir).filter((f) => /^Pulumi\..*\.ya?ml$/.test(f))) {
      texts.push([`stack file ${f}`, fs.readFileSync(path.join(st.programDir, f), "utf8")]);
    }
    expect(st.results.some((r) => r.providerStrings.length > 0)).toBe(true);

    // The secret hash is salted only with the (public) identity: an 8-digit PIN is brute-forced from it in
    // seconds, so it must not be in the state unencrypted either.
    const identity = st.identity("wwan");
    const hashes = [PASSWORD1, PASSWORD2, PASSWORD3, PIN1, PIN2].flatMap((v) =>
      ["password", "pincode"].map((field) =>
        createHash("sha256")
          .update(`${identity}\0${field}\0${JSON.stringify(v)}`)
          .digest("hex"),
      ),
    );

    const needles = SECRETS.flatMap((x) => spellings(x).map((sp) => [x, sp] as const));
    summary.spellings = needles.length;
    summary.textsSearched = texts.length;
    for (const [where, text] of texts) {
      for (const [secret, sp] of needles)
        if (text.includes(sp)) summary.found.push(`${JSON.stringify(secret)} as ${JSON.stringify(sp)} in ${where}`);
      if (where.startsWith("state file"))
        for (const h of hashes) if (text.includes(h)) summary.found.push(`secret hash ${h.slice(0, 12)}… in ${where}`);
    }
    expect(summary.found).toEqual([]);
  });
});
