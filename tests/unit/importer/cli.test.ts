/**
 * The `routerstack import` command line and stack file handling: usage errors exit 2; a missing or ambiguous
 * stack, an undeclared device, an invalid device entry or an encrypted (`secure:`) connection secret fail with an
 * error naming the file, stack or field, before any connection is attempted (the device entries point at a
 * port nothing listens on, so a connection attempt would show as a different, slower error).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, importDevice } from "../../../provider/import/cli";
import { chooseStack, stackDevices, stacksIn } from "../../../provider/import/stack";

let dir: string;
let stderr: string[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-import-cli-"));
  stderr = [];
  jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
  jest.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const crs = {
  platform: "routeros",
  host: "127.0.0.1",
  port: 1,
  username: "admin",
  privateKeyFile: "id",
  hostKeys: ["SHA256:" + "A".repeat(43)],
};
function stack(name: string, devices: unknown): void {
  fs.writeFileSync(
    path.join(dir, `Pulumi.${name}.yaml`),
    `config:\n  routerstack:devices: ${JSON.stringify(devices)}\n`,
  );
}

describe("routerstack import CLI", () => {
  it("exits 2 with the usage on bad arguments", async () => {
    expect(await main([])).toBe(2);
    expect(await main(["import"])).toBe(2);
    expect(await main(["export", "--device", "crs"])).toBe(2);
    expect(await main(["import", "--device", "crs", "--bogus"])).toBe(2);
    expect(stderr.join("")).toContain("usage: routerstack import --device <stack config key>");
  });

  it("picks the only stack, and with several asks for --stack naming them", () => {
    stack("lab", { crs });
    expect(chooseStack(dir)).toBe("lab");
    stack("prod", { crs });
    expect(stacksIn(dir)).toEqual(["lab", "prod"]);
    expect(() => chooseStack(dir)).toThrow(`several stacks in ${dir}: lab, prod; choose one with --stack <name>`);
    expect(chooseStack(dir, "prod")).toBe("prod");
    expect(() => chooseStack(dir, "staging")).toThrow("no Pulumi.staging.yaml");
    fs.rmSync(path.join(dir, "Pulumi.lab.yaml"));
    fs.rmSync(path.join(dir, "Pulumi.prod.yaml"));
    expect(() => chooseStack(dir)).toThrow("no Pulumi.<stack>.yaml");
  });

  it("names an undeclared device and the declared ones", async () => {
    stack("lab", { crs });
    await expect(importDevice({ dir, device: "dlink" })).rejects.toThrow(
      'device "dlink" is not declared in stack config "routerstack:devices" (declared: crs)',
    );
  });

  it("names the invalid field of a device entry (the provider's own validation)", async () => {
    const { hostKeys: _drop, ...noPins } = crs;
    stack("lab", { crs: noPins });
    await expect(importDevice({ dir, device: "crs" })).rejects.toThrow(
      'stack config "routerstack:devices.crs": needs hostKeys or knownHostsFile',
    );
  });

  it("refuses an encrypted connection secret, naming it, without printing it", () => {
    stack("lab", { crs: { ...crs, privateKeyFile: undefined, password: { secure: "v1:c2VjcmV0LWNpcGhlcnRleHQ=" } } });
    expect(() => stackDevices(dir, "lab")).toThrow(
      "routerstack:devices.crs.password is a secure value, which the importer cannot decrypt",
    );
    try {
      stackDevices(dir, "lab");
    } catch (e) {
      expect((e as Error).message).not.toContain("c2VjcmV0");
    }
  });

  it("reports a missing routerstack:devices key", () => {
    fs.writeFileSync(path.join(dir, "Pulumi.lab.yaml"), "config:\n  other:key: 1\n");
    expect(() => stackDevices(dir, "lab")).toThrow('Pulumi.lab.yaml has no config "routerstack:devices"');
  });
});
