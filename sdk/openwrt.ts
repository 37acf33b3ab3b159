/**
 * OpenWrt resources: uci sections (package/section/option/list verbatim) and BIRD2 configuration files; each input
 * is documented in provider/resources/openwrt/. The classes are generated from the kind registry
 * (provider/resources/registry.ts) by `npm run kinds` into sdk/openwrt.generated.ts.
 */
export * from "./openwrt.generated";
export { uciSectionSecrets } from "./openwrt-secrets";
