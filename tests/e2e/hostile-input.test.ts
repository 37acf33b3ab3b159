/**
 * Hostile input over SSH (issue 5): 300 generated values per free-text field through real `up` runs of the test
 * engine against the lab (one lab session), read back from the devices' own dumps:
 *   - RouterOS StaticRoute `comment`: 6 × 50 routes; the emulator's dump must hold `rs:<identity> <value>` exactly;
 *   - uci option values: 6 UciSections × 50 options in one `up`; `uci export` must hold each value exactly;
 *   - BIRD protocol names (+ interface names): 3 × 100 BirdStatic protocols; the files must hold them verbatim and
 *     BIRD must run exactly those protocols (`birdc show protocols`).
 * Plus: `preview --refresh` after each batch shows no drift (the read path decodes what was written), values that
 * validation must refuse are refused naming the field with nothing sent to the device, and none executed: the
 * RouterOS identity/note singletons stay unset, no exec output line is the canary, no uci package/section or file
 * appears besides the intended ones. Generated from the fixed seed in tests/unit/fuzz/hostile.ts.
 */
import fc from "fast-check";
import { LabSession, labAvailable, type ResourceSpec } from "./harness";
import { parseUciExport } from "../lab/dump-diff";
import type { LabDump } from "../lab/lab";
import {
  CANARY,
  SEED,
  hostileString,
  newCounts,
  report,
  routerosCommentAcceptable,
  uciValueAcceptable,
  type FuzzCounts,
} from "../unit/fuzz/hostile";

const run = labAvailable() ? describe : describe.skip;
const PER_FIELD = Number(process.env.FUZZ_SSH_RUNS ?? 300);
const TAG = (name: string) => `rs:routerstack-e2e/test/${name}`;

/** Accepted values only (rejection is covered by the in-process files and the small set below). */
function accepted(seed: number, n: number, ok: (s: string) => boolean): string[] {
  const out: string[] = [];
  for (let round = 0; out.length < n; round++) {
    for (const s of fc.sample(hostileString({ maxLong: 255 }), { seed: seed + round, numRuns: n * 3 })) {
      if (ok(s) && out.length < n) out.push(s);
    }
  }
  return out;
}

run("hostile input over SSH: stored byte-for-byte or rejected naming the field; none executed", () => {
  const s = new LabSession();
  const totals: Record<string, FuzzCounts> = {};
  let empty: LabDump;

  beforeAll(async () => {
    await s.start("hostile");
    empty = await s.dump();
  }, 180_000);

  afterAll(async () => {
    for (const [field, c] of Object.entries(totals)) report(`e2e ${field} (SSH)`, c);
    await s.stop();
  });

  function noCanary(d: LabDump, counts: FuzzCounts): void {
    const identity = (d.crs["/system/identity"]?.[0] ?? {}) as Record<string, unknown>;
    const note = (d.crs["/system/note"]?.[0] ?? {}) as Record<string, unknown>;
    const files = Object.keys(d.dlink.files).filter((f) => f.includes(CANARY) || f.includes(CANARY.toLowerCase()));
    const uciHits = [...parseUciExport(d.dlink.uci).keys()].filter((k) =>
      k.toLowerCase().includes(CANARY.toLowerCase()),
    );
    const executed = identity.name !== undefined || note.note !== undefined || files.length > 0 || uciHits.length > 0;
    if (executed) counts.executed++;
    expect({ identity, note, files, uciHits }).toEqual({ identity: {}, note: {}, files: [], uciHits: [] });
  }

  it(`RouterOS StaticRoute.comment: ${PER_FIELD} values in batches of 50`, async () => {
    const counts = (totals["routeros StaticRoute.comment"] = newCounts());
    const values = accepted(SEED + 100, PER_FIELD, routerosCommentAcceptable);
    for (let b = 0; b * 50 < values.length; b++) {
      const batch = values.slice(b * 50, (b + 1) * 50);
      const specs: ResourceSpec[] = batch.map((comment, j) => ({
        platform: "routeros",
        kind: "StaticRoute",
        name: `hr${b}-${j}`,
        args: { device: "crs", dstAddress: `203.0.113.${j}/32`, gateway: "pppoe-gpon", comment },
      }));
      const log0 = s.lab.crs.execLog.length;
      await s.ok("up", specs);
      counts.tried += batch.length;
      const d = await s.dump();
      const routes = (d.crs["/ip/route"] ?? []) as Record<string, unknown>[];
      batch.forEach((v, j) => {
        const mine = routes.filter(
          (r) =>
            typeof r.comment === "string" &&
            (r.comment === TAG(`hr${b}-${j}`) || r.comment.startsWith(TAG(`hr${b}-${j}`) + " ")),
        );
        if (mine.length === 1 && mine[0].comment === `${TAG(`hr${b}-${j}`)} ${v}`) counts.stored++;
        else counts.mismatched++;
      });
      // Only this batch's routes are left (the previous batch was deleted by this up).
      expect(routes.filter((r) => typeof r.comment === "string" && r.comment.startsWith("rs:")).length).toBe(
        batch.length,
      );
      expect(
        batch.map(
          (v, j) =>
            routes.find(
              (r) => typeof r.comment === "string" && (r.comment as string).startsWith(TAG(`hr${b}-${j}`) + " "),
            )?.comment,
        ),
      ).toEqual(batch.map((v, j) => `${TAG(`hr${b}-${j}`)} ${v}`));
      // The provider sent commands (so the values crossed SSH) and none of them ran an injected command.
      expect(s.lab.crs.execLog.length).toBeGreaterThan(log0);
      noCanary(d, counts);
      if ((b + 1) * 50 >= values.length) {
        // The read path decodes exactly what was written: no drift (last batch; keeps the file within minutes).
        const pv = await s.ok("preview", specs, { refresh: true });
        expect(pv.drift).toEqual([]);
        expect(pv.counts.create + pv.counts.update + pv.counts.replace + pv.counts.delete).toBe(0);
      }
    }
    await s.ok("destroy", []);
    expect(counts.mismatched + counts.executed).toBe(0);
  }, 200_000);

  it(`uci option values: ${PER_FIELD} values in 6 UciSections of 50 options, one up`, async () => {
    const counts = (totals["openwrt UciSection.options"] = newCounts());
    const values = accepted(SEED + 200, PER_FIELD, uciValueAcceptable);
    const sections = Math.ceil(values.length / 50);
    const specs: ResourceSpec[] = Array.from({ length: sections }, (_, b) => ({
      platform: "openwrt",
      kind: "UciSection",
      name: `hu${b}`,
      args: {
        device: "dlink",
        package: "routerstack_fuzz",
        type: "fuzz",
        name: `hu${b}`,
        options: Object.fromEntries(values.slice(b * 50, (b + 1) * 50).map((v, j) => [`o${j}`, v])),
      },
    }));
    await s.ok("up", specs);
    counts.tried += values.length;
    const d = await s.dump();
    const exported = parseUciExport(d.dlink.uci);
    for (let b = 0; b < sections; b++) {
      const sec = exported.get(`routerstack_fuzz.hu${b}`) ?? {};
      const want = Object.fromEntries(values.slice(b * 50, (b + 1) * 50).map((v, j) => [`o${j}`, v]));
      for (const [k, v] of Object.entries(want)) {
        if (sec[k] === v) counts.stored++;
        else counts.mismatched++;
      }
      expect(sec).toEqual({ ".type": "fuzz", ...want });
    }
    // Nothing but the intended sections in the package; no other package changed.
    expect([...exported.keys()].filter((k) => k.startsWith("routerstack_fuzz.")).sort()).toEqual(
      specs.map((x) => `routerstack_fuzz.${x.name}`).sort(),
    );
    const before = parseUciExport(empty.dlink.uci);
    for (const [k, v] of before) expect([k, exported.get(k)]).toEqual([k, v]);
    noCanary(d, counts);
    const pv = await s.ok("preview", specs, { refresh: true });
    expect(pv.drift).toEqual([]);
    await s.ok("destroy", []);
    expect(counts.mismatched + counts.executed).toBe(0);
  }, 200_000);

  it(`BIRD protocol names: ${PER_FIELD} BirdStatic protocols in batches of 100 (with generated interface names)`, async () => {
    const counts = (totals["openwrt BirdStatic.name"] = newCounts());
    const sym = fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"),
      minLength: 0,
      maxLength: 50,
    });
    const iface = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,14}$/);
    // A letter-digit prefix keeps names unique and out of BIRD's keyword list (keywords: see the in-process test).
    const names = fc
      .sample(fc.tuple(sym, iface), { seed: SEED + 300, numRuns: PER_FIELD })
      .map(([n, i], k) => ({ name: `n${k}_${n}`.slice(0, 64), iface: i }));
    const bird: ResourceSpec = {
      platform: "openwrt",
      kind: "BirdConfig",
      name: "bird",
      args: { device: "dlink", adopt: true, routerId: "192.0.2.2" },
    };
    for (let b = 0; b * 100 < names.length; b++) {
      const batch = names.slice(b * 100, (b + 1) * 100);
      const specs: ResourceSpec[] = [
        bird,
        ...batch.map(({ name, iface: i }) => ({
          platform: "openwrt" as const,
          kind: "BirdStatic",
          name: `hb-${name}`,
          args: { device: "dlink", name, routes: [{ prefix: "198.51.100.0/24", interface: i }] },
        })),
      ];
      await s.ok("up", specs);
      counts.tried += batch.length;
      const d = await s.dump();
      for (const { name, iface: i } of batch) {
        const text = d.dlink.files[`/etc/bird.d/${name}.conf`] ?? "";
        if (text.includes(`protocol static ${name} {\n\tipv4;\n\troute 198.51.100.0/24 via "${i}";\n}`))
          counts.stored++;
        else counts.mismatched++;
      }
      const confs = Object.keys(d.dlink.files)
        .filter((f) => f.startsWith("/etc/bird.d/"))
        .sort();
      expect(confs).toEqual(batch.map((x) => `/etc/bird.d/${x.name}.conf`).sort());
      const protocols = (await s.lab.dlink.exec("birdc show protocols")).stdout;
      const running = protocols
        .split("\n")
        .map((l) => l.split(/\s+/)[0])
        .filter((n) => /^n\d+_/.test(n))
        .sort();
      expect(running).toEqual(batch.map((x) => x.name).sort());
      noCanary(d, counts);
    }
    await s.ok("destroy", []);
    expect(counts.mismatched + counts.executed).toBe(0);
  }, 300_000);

  it("values validation must refuse are refused naming the field, with nothing sent to the devices", async () => {
    const counts = (totals["rejected (comment, uci value, BIRD name, interface)"] = newCounts());
    const bad: [ResourceSpec, string][] = [
      [
        {
          platform: "routeros",
          kind: "StaticRoute",
          name: "bad1",
          args: {
            device: "crs",
            dstAddress: "203.0.113.0/24",
            gateway: "pppoe-gpon",
            comment: `x"\n/system/identity/set name=${CANARY}`,
          },
        },
        "comment",
      ],
      [
        {
          platform: "routeros",
          kind: "StaticRoute",
          name: "bad2",
          args: { device: "crs", dstAddress: "203.0.113.0/24", gateway: "pppoe-gpon", comment: " padded " },
        },
        "comment",
      ],
      [
        {
          platform: "routeros",
          kind: "StaticRoute",
          name: "bad3",
          args: { device: "crs", dstAddress: "203.0.113.0/24", gateway: "pppoe-gpon", comment: "x".repeat(256) },
        },
        "comment",
      ],
      [
        {
          platform: "openwrt",
          kind: "UciSection",
          name: "bad4",
          args: { device: "dlink", package: "routerstack_fuzz", type: "fuzz", options: { o: `a\x1bb` } },
        },
        "options.o",
      ],
      [
        {
          platform: "openwrt",
          kind: "UciSection",
          name: "bad5",
          args: { device: "dlink", package: "routerstack_fuzz", type: "fuzz", options: { "o;x": "1" } },
        },
        "options.o;x",
      ],
      [
        {
          platform: "openwrt",
          kind: "BirdStatic",
          name: "bad6",
          args: {
            device: "dlink",
            name: `x"; } protocol static ${CANARY} {`,
            routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }],
          },
        },
        "name",
      ],
      [
        {
          platform: "openwrt",
          kind: "BirdStatic",
          name: "bad7",
          args: { device: "dlink", name: "ok_name", routes: [{ prefix: "0.0.0.0/0", interface: 'wwan0"; }' }] },
        },
        "routes.0.interface",
      ],
    ];
    const before = await s.dump();
    const log0 = s.lab.crs.execLog.length;
    const w0 = await s.lab.writes();
    // One `up` per bad value (the Pulumi CLI stops at the first failed Check, docs/engine.md S3): each fails,
    // naming its field.
    for (const [spec, field] of bad) {
      const r = await s.run("up", [spec]);
      expect(r.ok).toBe(false);
      counts.tried++;
      const mine = r.errors.filter(
        (e) => e.includes(`::${spec.name}`) || e.includes(`"${spec.name}"`) || e.includes(spec.name),
      );
      expect([spec.name, mine.some((e) => e.includes("check failed") && e.includes(`"${field}"`))]).toEqual([
        spec.name,
        true,
      ]);
      counts.rejected++;
    }
    expect(s.lab.crs.execLog.length).toBe(log0);
    expect(await s.lab.writes()).toEqual(w0);
    const after = await s.dump();
    expect(after).toEqual(before);
    noCanary(after, counts);
  }, 120_000);
});
