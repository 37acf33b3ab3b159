/**
 * RouterOS 7 resources. Input names map to RouterOS menu properties verbatim (`dstAddress` → `dst-address`,
 * `localRole` → `local.role`); each input is documented in provider/resources/routeros/. The classes are generated
 * from the kind registry (provider/resources/registry.ts) by `npm run kinds` into sdk/routeros.generated.ts.
 */
export * from "./routeros.generated";
