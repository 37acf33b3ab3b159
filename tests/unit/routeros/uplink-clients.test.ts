/**
 * The uplink clients ModemProfile (`/interface/lte/apn`), PppoeClient and L2tpClient against the lab's in-process
 * CLI emulator (tests/lab/routeros, written from routeros-cli.md) on every emulated version: the shared lifecycle
 * (create → no-op → drift → update/unset → renumber → delete), the APN menu having no `unset` (§3.1), secrets
 * masked from 7.23, the starting config's client taken over only with adopt, and bad input rejected by `check`
 * with the field named and no device I/O.
 */
import { makeProvider, secretHash } from "../../../provider/dynamic/provider-factory";
import type { UntypedKind } from "../../../provider/resources/kind";
import { kind as modemProfile } from "../../../provider/resources/routeros/modem-profile";
import { kind as pppoe } from "../../../provider/resources/routeros/pppoe-client";
import { kind as l2tp } from "../../../provider/resources/routeros/l2tp-client";
import { clearVersionCache } from "../../../provider/routeros/version";
import { badInputs, ctxFor, lifecycle } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

const apn = {
  name: "lte-apn",
  apn: "internet",
  authentication: "pap",
  user: "lte",
  password: "apn-secret",
  ipType: "ipv4",
  defaultRouteDistance: 200,
};

describe.each(VERSIONS)("emulator %s: routeros-modem-profile (/interface/lte/apn, no unset)", (v) => {
  lifecycle({
    kind: modemProfile,
    menu: "/interface/lte/apn",
    newDevice: () => emulator(v),
    inputs: apn,
    // No unsetField: the menu has no unset; removing apn/user/password/ipType replaces (tested below).
    update: { ...apn, usePeerDns: false, addDefaultRoute: false, defaultRouteDistance: 3, comment: "LTE standby" },
    drift: { args: [{ kind: "value", prop: "default-route-distance", value: 9 }], expect: { defaultRouteDistance: 9 } },
  });
});

const gpon2 = {
  name: "pppoe-wan2",
  interface: "ether2",
  user: "crs@wan2.example",
  password: "pppoe-secret",
  addDefaultRoute: true,
  defaultRouteDistance: 2,
  allow: ["pap", "chap"],
  comment: "second uplink",
};

describe.each(VERSIONS)("emulator %s: routeros-pppoe-client", (v) => {
  lifecycle({
    kind: pppoe,
    menu: "/interface/pppoe-client",
    newDevice: () => emulator(v),
    inputs: gpon2,
    update: { ...gpon2, allow: undefined, password: "rotated", usePeerDns: "yes", keepaliveTimeout: 30 },
    unsetField: "allow",
    drift: { args: [{ kind: "value", prop: "user", value: "someone@else" }], expect: { user: "someone@else" } },
  });
});

const backup = {
  name: "l2tp-backup",
  connectTo: "203.0.113.1",
  user: "site-a",
  password: "l2tp-secret",
  useIpsec: "yes",
  ipsecSecret: "ipsec-psk",
  srcAddress: "198.51.100.2",
};

describe.each(VERSIONS)("emulator %s: routeros-l2tp-client", (v) => {
  lifecycle({
    kind: l2tp,
    menu: "/interface/l2tp-client",
    newDevice: () => emulator(v),
    inputs: backup,
    update: {
      ...backup,
      srcAddress: undefined,
      useIpsec: "required",
      addDefaultRoute: true,
      defaultRouteDistance: 5,
      disabled: true,
    },
    unsetField: "srcAddress",
    drift: {
      args: [{ kind: "value", prop: "connect-to", value: "203.0.113.2" }],
      expect: { connectTo: "203.0.113.2" },
    },
  });
});

describe("specifics of the failover kinds", () => {
  beforeEach(() => clearVersionCache());

  it("ModemProfile: the menu has no unset, so removing an optional input replaces; changing a defaulted one does not", async () => {
    const p = makeProvider(modemProfile);
    const olds = { device: "crs", identity: "site/prod/apn", ...modemProfile.schema.parse(apn) } as Record<
      string,
      unknown
    >;
    const { password: _p, ...withoutPassword } = olds;
    olds.secretHashes = { password: secretHash("site/prod/apn", "password", "apn-secret") };
    for (const field of ["apn", "user", "ipType"]) {
      const { [field]: _gone, ...news } = olds;
      delete news.secretHashes;
      expect({ field, diff: await p.diff("*1", olds, news) }).toMatchObject({
        field,
        diff: { changes: true, replaces: [field], deleteBeforeReplace: true },
      });
    }
    const { secretHashes: _h, ...sameWithoutHashes } = withoutPassword;
    expect(await p.diff("*1", olds, sameWithoutHashes)).toMatchObject({ changes: true, replaces: ["password"] });
    const { secretHashes: _h2, ...same } = olds;
    expect(await p.diff("*1", olds, same)).toMatchObject({ changes: false });
    expect(await p.diff("*1", olds, { ...same, defaultRouteDistance: 5 })).toMatchObject({
      changes: true,
      replaces: [],
    });

    // Why: an in-place update that removes `apn` would need `!apn`, which the device refuses (nothing changes).
    const dev = emulator();
    const { ctx } = ctxFor(dev, "site/prod/apn");
    const created = await modemProfile.driver.create(ctx, modemProfile.schema.parse(apn));
    const { apn: _a, ...noApn } = apn;
    await expect(
      modemProfile.driver.update(ctx, created.id, modemProfile.schema.parse(apn), modemProfile.schema.parse(noApn)),
    ).rejects.toThrow(/update failed: RouterOS rejected the command: (syntax error|bad parameter apn)/);
    expect((dev.dump()["/interface/lte/apn"] as Record<string, unknown>[])[0].apn).toBe("internet");
  });

  it("ModemProfile: `default` is the built-in profile and is refused by check; another stack's profile of the same name needs adopt", async () => {
    const dev = emulator();
    dev.run('/interface/lte/apn/add name=lte-apn apn=other comment="rs:other/stack/x"');
    const { ctx } = ctxFor(dev);
    const before = dev.dump();
    await expect(modemProfile.driver.create(ctx, modemProfile.schema.parse(apn))).rejects.toThrow(
      /already has an item named "lte-apn".*adopt/,
    );
    // The create's `add` is conditional on the name being free (codec.addUnless): it did not run.
    expect(dev.dump()).toEqual(before);
  });

  it("PppoeClient / L2tpClient: 7.23 masks the secrets in reads; the client is found by name and nothing is drift", async () => {
    const dev = emulator("7.23");
    const { ctx } = ctxFor(dev, "site/prod/backup");
    const inputs = l2tp.schema.parse(backup);
    const created = await l2tp.driver.create(ctx, inputs);
    expect(created.observed.inputs.password).toBeUndefined();
    expect(created.observed.inputs.ipsecSecret).toBeUndefined();
    const { password: _p, ipsecSecret: _s, ...rest } = inputs;
    expect(created.observed.inputs).toEqual(rest);
    const dump = dev.dump()["/interface/l2tp-client"] as Record<string, unknown>[];
    expect(dump[0]).toMatchObject({ name: "l2tp-backup", password: "l2tp-secret", "ipsec-secret": "ipsec-psk" });
  });

  it("PppoeClient: the starting config's pppoe-gpon is not taken over without adopt, and is with it", async () => {
    const dev = emulator();
    const inputs = pppoe.schema.parse({
      name: "pppoe-gpon",
      interface: "ether1",
      user: "crs@gpon.example",
      password: "lab-pppoe-secret",
    });
    const { ctx } = ctxFor(dev, "site/prod/gpon");
    const before = dev.dump();
    await expect(pppoe.driver.create(ctx, inputs)).rejects.toThrow(/already has an item named "pppoe-gpon"/);
    expect(dev.dump()).toEqual(before);
    const adopt = ctxFor(dev, "site/prod/gpon", true);
    const res = await pppoe.driver.create(adopt.ctx, inputs);
    expect(res.observed.inputs).toEqual(inputs);
  });
});

/** Bad input: `check` names the field and gives the reason; it never asks for a device transport. */
const BAD: [string, UntypedKind, Record<string, unknown>, string, RegExp][] = [
  ["apn named default", modemProfile, { name: "default" }, "name", /built-in/],
  [
    "apn pap without user",
    modemProfile,
    { name: "p", authentication: "pap", password: "x" },
    "user",
    /required for authentication pap/,
  ],
  ["apn empty password", modemProfile, { name: "p", password: "" }, "password", /empty/],
  ["apn ip-type dual", modemProfile, { name: "p", ipType: "dual" }, "ipType", /ipv4|invalid/i],
  ["apn distance 0", modemProfile, { name: "p", defaultRouteDistance: 0 }, "defaultRouteDistance", /1|small/i],
  ["pppoe without interface", pppoe, { name: "pppoe-x" }, "interface", /string|required|expected/i],
  [
    "pppoe allow eap",
    pppoe,
    { name: "pppoe-x", interface: "ether2", allow: ["pap", "eap"] },
    "allow.1",
    /pap|invalid/i,
  ],
  [
    "pppoe password with newline",
    pppoe,
    { name: "pppoe-x", interface: "ether2", password: "a\nb" },
    "password",
    /control/,
  ],
  ["l2tp connect-to a name", l2tp, { name: "l2tp-x", connectTo: "vpn.example.com" }, "connectTo", /IPv4 or IPv6/],
  [
    "l2tp ipsec without secret",
    l2tp,
    { name: "l2tp-x", connectTo: "203.0.113.1", useIpsec: "required" },
    "ipsecSecret",
    /required when useIpsec/,
  ],
  [
    "l2tp src family",
    l2tp,
    { name: "l2tp-x", connectTo: "203.0.113.1", srcAddress: "2001:db8::1" },
    "srcAddress",
    /family/,
  ],
];

badInputs(BAD);
