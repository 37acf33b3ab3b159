/**
 * Names of uci options that hold secrets by convention, shared by `UciSection` (secret by default) and the
 * importer (written as `config.requireSecret`), so the two never disagree.
 * Names [I: OpenWrt's wireless docs (`key`, `key1`–`key4` WEP keys, `sae_password`, `auth_secret` RADIUS),
 * network docs (`password`, `psk`, `pincode`, `private_key`, `preshared_key`), not from openwrt-uci.md]:
 * https://openwrt.org/docs/guide-user/network/wifi/basic, https://openwrt.org/docs/guide-user/network/wan/wan_interface_protocols
 * A name matches when one of its `_`-separated parts is one of the words below (`private_key`, `auth_secret`),
 * so a public key (`public_key`) is masked too: masking a value that is not secret only hides it.
 */
const SECRET_OPTION = /(^|_)(password|passwd|passphrase|psk|key|key[1-4]|authkey|secret|token|pincode|pin)(_|$)/i;

/** True for a uci option name that holds a secret by convention. */
export function isConventionalSecretOption(name: string): boolean {
  return SECRET_OPTION.test(name);
}
