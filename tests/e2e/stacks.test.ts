/**
 * The reference program's stacks: `site-b` previews cleanly without reaching any router (check and diff do no
 * device I/O), and a bad stack config value fails before any resource, naming the key.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runEngine } from "../engine";

const ROOT = path.resolve(__dirname, "..", "..");
/** Each run's state in a directory of its own, all removed after the file. */
const dirs: string[] = [];
const stateFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-stacks-"));
  dirs.push(dir);
  return path.join(dir, "state.json");
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("reference program stacks", () => {
  it("site-b previews the whole topology with unreachable routers", async () => {
    const r = await runEngine("preview", {
      programDir: ROOT,
      stack: "site-b",
      stateFile: stateFile(),
      passphrase: "routerstack-site-b",
    });
    expect(r.errors).toEqual([]);
    expect(r.counts.create).toBe(23);
  }, 120_000);

  it("names the stack config key of a bad value", async () => {
    const r = await runEngine("preview", {
      programDir: ROOT,
      stack: "site-b",
      stateFile: stateFile(),
      passphrase: "routerstack-site-b",
      configOverrides: {
        "routerstack:site": {
          as: 65010,
          crs: {
            device: "crs",
            wan: "pppoe-gpon",
            pppoe: { port: "ether1", user: "u" },
            lteInterface: "vlan6",
            checkTargets: ["1.0.0.1", "8.8.4.400"],
            routerId: "10.20.6.1",
            bgpInstance: "main",
            ibgpAddress: "10.20.6.1",
          },
          dlink: {
            device: "dlink",
            routerId: "10.20.6.2",
            ibgpAddress: "10.20.6.2",
            ibgpInterface: "vlan6",
            ibgpAddress6: "fd20:6::2",
            wwanDevice: "wwan0",
            modem: { proto: "qmi", device: "/dev/cdc-wdm0", apn: "internet", pdptype: "ipv4v6", usbPath: "1-1" },
          },
        },
      },
    });
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toContain(
      'stack config "routerstack:site.crs.checkTargets.1": must be an IPv4 address',
    );
    expect(r.counts.create).toBe(0);
  }, 120_000);

  it("names the device entry that lacks a host-key pin", async () => {
    const r = await runEngine("preview", {
      programDir: ROOT,
      stack: "site-b",
      stateFile: stateFile(),
      passphrase: "routerstack-site-b",
      configOverrides: {
        "routerstack:devices": { crs: { platform: "routeros", host: "10.20.0.1", username: "u", password: "p" } },
      },
    });
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toMatch(/routerstack:devices\.crs.*hostKeys or knownHostsFile/);
  }, 120_000);
});
