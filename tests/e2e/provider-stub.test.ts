/**
 * DESIGN.md "Pulumi integration": `__provider` stays a few hundred bytes — a lazy `require()` of the installed
 * package — and captures no live object, config or secret. Read from the engine's state after a real `up`.
 */
import * as fs from "fs";
import { LabSession, labAvailable, type ResourceSpec } from "./harness";

const run = labAvailable() ? describe : describe.skip;

run("__provider in state", () => {
  const s = new LabSession();
  beforeAll(() => s.start("stub"), 120_000);
  afterAll(() => s.stop());

  const resources: ResourceSpec[] = [
    {
      platform: "routeros",
      kind: "StaticRoute",
      name: "r1",
      args: { device: "crs", dstAddress: "198.51.100.64/26", gateway: "192.0.2.2" },
    },
    {
      platform: "openwrt",
      kind: "UciSection",
      name: "s1",
      args: {
        device: "dlink",
        package: "network",
        name: "rs_stub",
        type: "route",
        options: { target: "198.51.100.64/26" },
      },
    },
    {
      platform: "openwrt",
      kind: "ModemProfile",
      name: "m1",
      secretArgs: ["password"],
      args: {
        device: "dlink",
        name: "wwan_stub",
        proto: "qmi",
        modemDevice: "/dev/cdc-wdm0",
        apn: "internet",
        auth: "chap",
        username: "u",
        password: "stub-secret-9f3a",
      },
    },
  ];

  it("is a small lazy require of the installed package in every resource, with no secret in it", async () => {
    const up = await s.ok("up", resources);
    expect(up.counts.create).toBe(3);
    const state = fs.readFileSync(s.statePath(), "utf8");
    const providers = [...new Set(up.providerStrings)];
    expect(providers).toHaveLength(3);
    for (const p of providers) {
      expect(Buffer.byteLength(p)).toBeLessThan(1024);
      expect(p).toMatch(/require\("routerstack\/sdk\/stubs\/(routeros|openwrt)-[a-z-]+"\)/);
      expect(p).not.toContain("stub-secret-9f3a");
      expect(p).not.toMatch(/ssh2|PRIVATE KEY/);
    }
    // Every stored __provider is one of them, and no secret is in the state file in plain text.
    const stored = JSON.parse(state).resources.map((r: { inputs: Record<string, unknown> }) => r.inputs.__provider);
    expect(stored.every((p: unknown) => typeof p === "string" && providers.includes(p))).toBe(true);
    expect(state).not.toContain("stub-secret-9f3a");
    await s.ok("destroy", resources);
  });
});
