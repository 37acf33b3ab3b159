/**
 * The lease script DualRouterFailover gives a DHCP uplink's client (sdk/components/dual-router-failover.ts) holds
 * `$bound`, `$"gateway-address"`, quotes and brackets: it must reach the device byte for byte through the RouterOS
 * codec and read back equal (no drift), on every emulated version.
 */
import { kind, schema } from "../../../provider/resources/routeros/dhcp-client";
import { clearVersionCache } from "../../../provider/routeros/version";
import { ctxFor } from "./lifecycle";
import { emulator, VERSIONS } from "./fixtures";

const SCRIPT =
  ':if ($bound=1) do={/ip/route/set [find where comment~"via ether2 dhcp-gateway"] gateway=$"gateway-address"}';

describe.each(VERSIONS)("RouterOS %s", (version) => {
  beforeEach(() => clearVersionCache());

  it("stores the DHCP uplink's lease script verbatim and reads it back without drift", async () => {
    const dev = emulator(version);
    const { ctx } = ctxFor(dev, "site/prod/dhcp-wan");
    const inputs = schema.parse({ interface: "ether2", addDefaultRoute: "no", script: SCRIPT });
    const created = await kind.driver.create(ctx, inputs);
    const [row] = JSON.parse(dev.run(":put [:serialize to=json [/ip/dhcp-client/print detail as-value]]"));
    expect(row.script).toBe(SCRIPT);
    const read = await kind.driver.read(ctx, created.id, inputs);
    expect((read?.observed.inputs as { script?: string }).script).toBe(SCRIPT);
  });
});
