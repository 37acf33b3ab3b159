/**
 * `UciSection`: one named uci section, any package — e.g. the fw4 zone `wwan` (`masq`, `masq6`, list
 * `network`) and the forwarding uplink → wwan in `firewall`. The section owns all its options: options on
 * the device that are not declared show as drift and are removed by the next update.
 * Docs: https://openwrt.org/docs/guide-user/base-system/uci, https://openwrt.org/docs/guide-user/firewall/firewall_configuration
 */
import { z } from "zod";
import type { ResourceKind } from "../kind";
import { initScriptReload, type ReloadService } from "../../openwrt/reloads";
import { SECTION_ADOPTION, sectionDriver, type UciOptions } from "../../openwrt/section-engine";
import { openwrtSettings } from "../../openwrt/settings";
import { asList } from "../../openwrt/uci-show-parser";
import { isConventionalSecretOption } from "../secret-names";
import { uciName, uciOptions, uciPackageName, uciTypeName } from "./fields";

export const schema = z
  .object({
    /** Config file under /etc/config, e.g. `firewall`. Changing it replaces the section. */
    package: uciPackageName,
    /** Section name; default derived from the identity (`rs_<name>_<8 hex>`, see deriveSectionName). */
    name: uciName.optional(),
    /** Section type, e.g. `zone`, `forwarding`, `interface`. */
    type: uciTypeName,
    /** Options by uci name, verbatim; lists as arrays (`network: ["wwan"]`). Default none. */
    options: uciOptions.default({}),
    /**
     * Further option names whose values are secrets, besides those secret by convention (`key`, `key1`–`key4`,
     * `password`, `psk`, `pin`, `pincode`, `passphrase`, `token`, `secret`, `authkey`, `auth_secret`, `private_key`…,
     * resources/secret-names.ts). A secret option is masked in the adoption preview and errors, redacted from the
     * command log, left out of the adoption record, and makes `options` a Pulumi secret (sdk/openwrt.ts). Default none.
     */
    secretOptions: z.array(uciName).default([]),
  })
  .strict();

export type UciSectionInputs = z.output<typeof schema>;

/** Init scripts reloaded after a change to a package; packages not listed reload nothing. */
const RELOADS: Record<string, string> = { network: "network", firewall: "firewall", dhcp: "dnsmasq", mwan3: "mwan3" };

function services(i: UciSectionInputs): ReloadService[] {
  const svc = RELOADS[i.package];
  return svc ? [initScriptReload(svc, openwrtSettings().initDir)] : [];
}

/** Keeps declared lists as lists: `show` prints a one-element list like a string (openwrt-uci.md §2.2). */
function likeDeclared(shown: UciOptions, declared: UciOptions | undefined): UciOptions {
  const out: UciOptions = {};
  for (const [k, v] of Object.entries(shown)) out[k] = Array.isArray(declared?.[k]) ? asList(v) : v;
  return out;
}

export const kind: ResourceKind<UciSectionInputs> = {
  name: "openwrt-uci-section",
  platform: "openwrt",
  schema,
  replaceOn: ["package", "name"],
  deleteBeforeReplace: true,
  secrets: [],
  docs: "https://openwrt.org/docs/guide-user/base-system/uci",
  adoption: SECTION_ADOPTION,
  driver: sectionDriver<UciSectionInputs>({
    package: (i) => i.package,
    type: (i) => i.type,
    sectionName: (i) => i.name,
    toOptions: (i) => i.options,
    fromSection: (s, last) => ({ ...last, type: s.type, options: likeDeclared(s.options, last.options) }),
    services,
    isSecretOption: (option, i) => isConventionalSecretOption(option) || (i.secretOptions ?? []).includes(option),
  }),
};
