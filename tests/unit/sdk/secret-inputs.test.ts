/**
 * Issue 14 (Medium): secret inputs reach Pulumi's state in plain text unless the program wraps them, because
 * `additionalSecretOutputs` covers outputs only (pulumi/pulumi#7910). The SDK base class wraps every input the kind
 * lists as secret with `pulumi.secret`; a UciSection's `options` is wrapped when it holds an option that is secret
 * by convention or named in `secretOptions`. The adoption outputs (`adoptionRecord`, `adoptedOriginal`) are
 * secret outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { secretOutputNames, withSecretInputs } from "../../../sdk/resource";
import { uciSectionSecrets } from "../../../sdk/openwrt";

async function isSecret(v: unknown): Promise<boolean> {
  // Output.isSecret is @pulumi/pulumi's own flag (a Promise), not in its public types.
  return (pulumi.output(v) as unknown as { isSecret: Promise<boolean> }).isSecret;
}

describe("the SDK wraps secret inputs", () => {
  it("wraps each listed secret input, plain or an Output, and nothing else", async () => {
    const args = withSecretInputs(
      { device: "dlink", password: "pw-1", pincode: pulumi.output("1234"), apn: "internet" },
      ["password", "pincode", "absent"],
    );
    expect(await isSecret(args.password)).toBe(true);
    expect(await isSecret(args.pincode)).toBe(true);
    expect(await isSecret(args.apn)).toBe(false);
    expect(await isSecret(args.device)).toBe(false);
    expect("absent" in args).toBe(false);
    // The value itself is unchanged (Output.promise is @pulumi/pulumi's own accessor, not in its public types).
    expect(await (pulumi.output(args.password) as unknown as { promise(): Promise<string> }).promise()).toBe("pw-1");
  });

  it("makes a UciSection's options secret when one of them is secret by convention or declared so", async () => {
    const wifi = uciSectionSecrets({
      device: "dlink",
      package: "wireless",
      type: "wifi-iface",
      options: { ssid: "lab", key: "k-1" },
    });
    expect(await isSecret(wifi.options)).toBe(true);
    const declared = uciSectionSecrets({
      device: "dlink",
      package: "network",
      type: "interface",
      options: { proto: "x", cookie: "c" },
      secretOptions: ["cookie"],
    });
    expect(await isSecret(declared.options)).toBe(true);
    const plain = uciSectionSecrets({
      device: "dlink",
      package: "firewall",
      type: "zone",
      options: { name: "wwan", masq: "1" },
    });
    expect(await isSecret(plain.options)).toBe(false);
    for (const key of ["key1", "psk", "passphrase", "token", "auth_secret", "sae_password", "pin"]) {
      expect([
        key,
        await isSecret(
          uciSectionSecrets({ device: "d", package: "wireless", type: "wifi-iface", options: { [key]: "v" } }).options,
        ),
      ]).toEqual([key, true]);
    }
  });

  it("lists the adoption record and the adopted original as secret outputs", () => {
    expect(secretOutputNames(["password"])).toEqual(
      expect.arrayContaining(["secretHashes", "adoptionRecord", "adoptedOriginal", "password"]),
    );
  });
});
