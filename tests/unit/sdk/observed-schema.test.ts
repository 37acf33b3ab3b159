/**
 * Issue 13 item 8: the SDK types `observed` per kind from the schemas in provider/resources/observed.generated.ts;
 * here those schemas are held against what the dynamic provider really returns as `observed` (create and refresh)
 * for a kind of each engine: a RouterOS menu kind, a singleton, an ordered kind and RouterOsItem on the emulator;
 * a uci section kind, a BIRD file kind and RemoteFile on the local OpenWrt stand-in. Parsed strictly: a key the
 * schema lacks fails as much as a wrong type.
 */
import * as fs from "fs";
import type { z } from "zod";
import { createConsole } from "../../lab/routeros/cli";
import * as devices from "../../../provider/dynamic/devices";
import { makeProvider } from "../../../provider/dynamic/provider-factory";
import type { UntypedKind } from "../../../provider/resources/kind";
import * as observed from "../../../provider/resources/observed.generated";
import { kind as staticRoute } from "../../../provider/resources/routeros/static-route";
import { kind as wireguardInterface } from "../../../provider/resources/routeros/wireguard-interface";
import { kind as dns } from "../../../provider/resources/routeros/dns";
import { kind as routingRule } from "../../../provider/resources/routeros/routing-rule";
import { kind as routerosItem } from "../../../provider/resources/routeros/item";
import { kind as openwrtStaticRoute } from "../../../provider/resources/openwrt/static-route";
import { kind as birdStatic } from "../../../provider/resources/openwrt/bird-static";
import { kind as remoteFile } from "../../../provider/resources/openwrt/remote-file";
import { openwrtSettings } from "../../../provider/openwrt/settings";
import { clearVersionCache } from "../../../provider/routeros/version";
import { ctxFor } from "../routeros/lifecycle";
import { makeLocalDevice, type LocalDevice } from "../openwrt/local-device";

type Schemas = Record<string, z.ZodObject>;
const schemaOf = (kind: UntypedKind) =>
  (observed as unknown as Schemas)[kind.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())];

let spy: jest.SpyInstance | undefined;
afterEach(() => spy?.mockRestore());

/** Creates and refreshes one resource through the dynamic provider; returns both `observed` outputs. */
async function observedOf(kind: UntypedKind, device: string, raw: Record<string, unknown>): Promise<unknown[]> {
  const p = makeProvider(kind);
  const checked = await p.check({}, { device, identity: "site/prod/obs", ...raw });
  expect(checked.failures).toEqual([]);
  const created = await p.create(checked.inputs);
  const read = await p.read(created.id, created.outs);
  return [created.outs.observed, read.props?.observed];
}

describe("observed schemas hold what the provider returns", () => {
  describe("RouterOS (emulator 7.20)", () => {
    let c: ReturnType<typeof createConsole>;
    beforeEach(() => {
      clearVersionCache();
      c = createConsole({ version: "7.20" });
      const { transport } = ctxFor({ run: (l: string) => c.run(l) });
      spy = jest.spyOn(devices, "transportFor").mockReturnValue(transport);
    });

    const cases: [string, UntypedKind, Record<string, unknown>, string[]][] = [
      ["a menu kind", staticRoute, { dstAddress: "198.51.100.0/24", gateway: "192.0.2.1" }, [".id"]],
      ["a menu kind with a device-made output", wireguardInterface, { name: "wg-obs", listenPort: 51820 }, ["running"]],
      ["a singleton", dns, { servers: ["192.0.2.53"] }, []],
      ["an ordered kind", routingRule, { srcAddress: "192.0.2.0/29", table: "main", order: 1 }, [".id"]],
      [
        "RouterOsItem",
        routerosItem,
        { menu: "/ip/firewall/address-list", properties: { list: "l", address: "192.0.2.9" } },
        [".id"],
      ],
    ];
    it.each(cases)("%s", async (_, kind, raw, present) => {
      for (const o of await observedOf(kind, "crs", raw)) {
        expect(schemaOf(kind).strict().safeParse(o).error?.issues).toBeUndefined();
        for (const k of present) expect(o).toHaveProperty([k]);
      }
    });
  });

  describe("OpenWrt (local stand-in)", () => {
    let dev: LocalDevice;
    beforeEach(() => {
      dev = makeLocalDevice();
      spy = jest.spyOn(devices, "transportFor").mockReturnValue(dev.transport);
    });
    afterEach(() => dev.cleanup());

    it("a uci section kind", async () => {
      const raw = { name: "obs_route", interface: "wan", target: "198.51.100.0/24" };
      for (const o of await observedOf(openwrtStaticRoute, "dlink", raw)) {
        expect(schemaOf(openwrtStaticRoute).strict().safeParse(o).error?.issues).toBeUndefined();
        expect(o).toMatchObject({ package: "network", section: "obs_route", type: "route", adopted: false });
      }
    });

    it("a BIRD file kind", async () => {
      // The main config including bird.d, as BirdConfig writes it (bird checks the file it is included from).
      const s = openwrtSettings();
      fs.mkdirSync(s.birdDir, { recursive: true });
      fs.writeFileSync(s.birdConf, `router id 198.51.100.1;\nprotocol device {}\ninclude "${s.birdDir}/*.conf";\n`);
      const raw = { name: "obs_static", routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }] };
      for (const o of await observedOf(birdStatic, "dlink", raw)) {
        expect(schemaOf(birdStatic).strict().safeParse(o).error?.issues).toBeUndefined();
        expect(o).toMatchObject({ adopted: false, content: expect.stringContaining("obs_static") });
      }
    });

    it("RemoteFile", async () => {
      const raw = { path: `${dev.root}/etc/obs.txt`, content: "x\n", mode: "0600" };
      for (const o of await observedOf(remoteFile, "dlink", raw)) {
        expect(schemaOf(remoteFile).strict().safeParse(o).error?.issues).toBeUndefined();
        expect(o).toEqual({ adopted: false });
      }
    });
  });
});
