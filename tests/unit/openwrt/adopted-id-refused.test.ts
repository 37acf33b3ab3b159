/**
 * Issue 16: a resource id whose adoption record is malformed (state edited by hand, a record output lost) fails
 * read, update and destroy with `<label>: <op> failed: <what is wrong>` and changes nothing. Before the one codec
 * (provider/core/adopted-id.ts) the section and BIRD file engines failed with the whole id in the message (a record
 * may hold what the section or file held) or JSON.parse's own message quoting the decoded text, and read a lost
 * record (`…#adopted`) as a bad id. Against the local uci stand-in (openwrt-uci.md).
 */
import * as fs from "fs";
import * as path from "path";
import { kind as staticRoute } from "../../../provider/resources/openwrt/static-route";
import { kind as birdStatic } from "../../../provider/resources/openwrt/bird-static";
import type { OpContext, UntypedKind } from "../../../provider/resources/kind";
import { openwrtSettings } from "../../../provider/openwrt/settings";
import { makeLocalDevice, type LocalDevice } from "./local-device";
import { BAD_RECORDS, expectRefused } from "../core/bad-adoption-records";

let dev: LocalDevice;
beforeEach(() => {
  dev = makeLocalDevice();
});
afterEach(() => dev.cleanup());

const LABEL = 'resource "site/lab/x" on device "dlink"';
const ctx = (): OpContext => ({
  transport: dev.transport,
  device: "dlink",
  identity: "site/lab/x",
  label: LABEL,
  adopt: true,
});
/** Read, update and delete with `id` each fail naming the operation and what is wrong, quoting no secret. */
const refusedEverywhere = (kind: UntypedKind, id: string, inputs: unknown, message: RegExp) =>
  expectRefused(LABEL, message, {
    read: () => kind.driver.read(ctx(), id, inputs),
    update: () => kind.driver.update(ctx(), id, inputs, inputs),
    delete: () => kind.driver.delete(ctx(), id, inputs),
  });

describe.each(BAD_RECORDS)("an adopted resource's id with a record %s", (_what, bad, message) => {
  it("uci section (StaticRoute): refused, the package and the reloads untouched", async () => {
    dev.uci(
      "batch",
      "set network.lte_host=route\nset network.lte_host.interface='wwan'\nset network.lte_host.target='198.51.100.0/24'\ncommit network\n",
    );
    const inputs = staticRoute.schema.parse({ name: "lte_host", interface: "wwan", target: "198.51.100.0/24" });
    const created = await staticRoute.driver.create(ctx(), inputs);
    expect(created.id).toMatch(/^network\.lte_host#adopted=/);
    const conf = fs.readFileSync(path.join(dev.confDir, "network"), "utf8");
    const events = dev.events().length;
    await refusedEverywhere(staticRoute, bad("network.lte_host"), inputs, message);
    expect(fs.readFileSync(path.join(dev.confDir, "network"), "utf8")).toBe(conf);
    expect(dev.events().length).toBe(events);
  });

  it("BIRD file (BirdStatic): refused, the file untouched", async () => {
    const s = openwrtSettings();
    const file = path.join(s.birdDir, "lte_default.conf");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(s.birdConf, `router id 198.51.100.1;\nprotocol device {}\ninclude "${s.birdDir}/*.conf";\n`);
    fs.writeFileSync(file, 'protocol static lte_default { ipv4; route 0.0.0.0/0 via "wwan0"; }\n');
    const inputs = birdStatic.schema.parse({
      name: "lte_default",
      routes: [{ prefix: "0.0.0.0/0", interface: "wwan0" }],
    });
    const created = await birdStatic.driver.create(ctx(), inputs);
    expect(created.id).toBe(`bird:${file}#adopted=${created.id.split("#adopted=")[1]}`);
    const written = fs.readFileSync(file, "utf8");
    await refusedEverywhere(birdStatic, bad(`bird:${file}`), inputs, message);
    expect(fs.readFileSync(file, "utf8")).toBe(written);
  });
});
