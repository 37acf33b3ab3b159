/**
 * The DualRouterFailover component (issue 17) against the whole lab (RouterOS emulator "crs" + OpenWrt host with
 * real BIRD2 "dlink"): the hand-written reference program (examples/dual-router-failover) and the component's
 * (examples/dual-router-failover-component) converge the two routers into the same state, identities aside (the
 * `rs:<project>/<stack>/<name>` tags on RouterOS, the managed-file headers and owner records on OpenWrt name other
 * resources). Then the
 * component's second `up` changes nothing, an out-of-band change is found and restored, and destroy leaves both
 * routers as they were.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labAvailable } from "./harness";
import { startLab, type Lab, type LabDump } from "../lab/lab";
import { diffDumps } from "../lab/dump-diff";
import { runEngine, type EngineOp, type EngineResult } from "../engine";

const run = labAvailable() ? describe : describe.skip;
const HAND = path.resolve(__dirname, "../../examples/dual-router-failover");
const COMPONENT = path.resolve(__dirname, "../../examples/dual-router-failover-component");
/** The reference program's resources: 14 on the CRS, 9 on the D-Link. */
const DECLARED = 23;

/** RouterOS comments and OpenWrt file headers without routerstack's identities; no owner records. */
function identitiesAside(d: LabDump): LabDump {
  const crs = Object.fromEntries(
    Object.entries(d.crs).map(([menu, items]) => [
      menu,
      (items as Record<string, unknown>[]).map((r) =>
        typeof r.comment === "string" ? { ...r, comment: r.comment.replace(/^rs:\S+/, "rs:<identity>") } : r,
      ),
    ]),
  );
  // Files routerstack writes name their resource in a header (`# Managed by routerstack (<project>/<stack>/<name>)`).
  const files = Object.fromEntries(
    Object.entries(d.dlink.files)
      .filter(([f]) => !f.startsWith("/root/.routerstack/"))
      .map(([f, content]) => [f, content.replace(/\b[a-z0-9-]+\/lab\/[A-Za-z0-9._-]+/g, "<identity>")]),
  );
  return { crs, dlink: { ...d.dlink, files } };
}

run("DualRouterFailover against the lab", () => {
  let lab: Lab;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-e2e-drf-"));
    lab = await startLab({ dir, name: `drf${process.pid % 1000}`, crsStartingConfig: "site" });
  }, 180_000);
  afterAll(async () => {
    try {
      await lab?.stop();
    } finally {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const engine = async (op: EngineOp, programDir: string, refresh = false): Promise<EngineResult> => {
    const r = await runEngine(op, {
      programDir,
      stack: "lab",
      stateFile: path.join(dir, `${path.basename(programDir)}.state.json`),
      refresh,
      passphrase: "routerstack-lab",
      configOverrides: { "routerstack:devices": lab.devices },
    });
    if (!r.ok) throw new Error(`${op} failed:\n${r.errors.join("\n")}\n${r.log.slice(-3000)}`);
    return r;
  };

  it("converges the lab to the hand-written program's state; no-op, drift and destroy behave", async () => {
    const before = await lab.dump();
    const hand = await engine("up", HAND);
    expect(hand.counts.create).toBe(DECLARED);
    const handWritten = await lab.dump();
    await engine("destroy", HAND);
    expect(diffDumps(before, await lab.dump())).toEqual([]);

    const up = await engine("up", COMPONENT);
    expect(up.counts.create).toBe(DECLARED);
    expect(up.outputs).toMatchObject({
      uplinks: ["pppoe-gpon"],
      sessions: { main: "dlink-lte", lte: "crs" },
      failoverPath: ["pppoe-gpon", "vlan6 → wwan0"],
    });
    const converged = await lab.dump();
    expect(diffDumps(identitiesAside(handWritten), identitiesAside(converged))).toEqual([]);
    // The identity tags do differ (another project, other resource names): the comparison set something aside.
    expect(diffDumps(handWritten, converged)).not.toEqual([]);

    const w0 = await lab.writes();
    const again = await engine("up", COMPONENT);
    expect(again.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
    expect(await lab.writes()).toEqual(w0);

    expect((await lab.dlink.exec("uci set firewall.wwan.masq6=0 && uci commit firewall")).code).toBe(0);
    const pv = await engine("preview", COMPONENT, true);
    expect(pv.drift.map((x) => x.name)).toEqual(["site-zone-wwan"]);
    await engine("up", COMPONENT, true);
    expect(diffDumps(converged, await lab.dump())).toEqual([]);

    const d = await engine("destroy", COMPONENT);
    expect(d.counts.delete).toBe(DECLARED);
    expect(diffDumps(before, await lab.dump())).toEqual([]);
  }, 900_000);
});
