/**
 * The layers of provider/ and sdk/ (README "Layout"), checked by dependency-cruiser in
 * tests/unit/architecture/layers.test.ts. A module may import its own layer's folder and any layer below it; an
 * import that points up a layer, across to a sibling platform, or closes a cycle is a violation.
 *
 * Bottom to top (DESIGN.md "Layout": anything may use core; core uses nothing):
 *   provider/core       the shared contract, the device endpoint's (core/device.ts) included; imports nothing
 *   provider/transport  SSH: implements core/device.ts
 *   provider/routeros, provider/openwrt   the platform engines; never each other
 *   provider/resources  the kinds
 *   provider/dynamic    the Pulumi dynamic providers
 *   provider/import     the importer CLI (it uses the dynamic providers' device registry)
 *   sdk                 the Pulumi side
 * @type {import('dependency-cruiser').IConfiguration}
 */
const LAYERS = [
  ["provider/core"],
  ["provider/transport"],
  ["provider/routeros", "provider/openwrt"],
  ["provider/resources"],
  ["provider/dynamic"],
  ["provider/import"],
  ["sdk"],
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const anyOf = (folders) => `^(${folders.map(escape).join("|")})/`;

/** For each folder: everything above its layer, and its siblings in the same layer. */
const layerRules = LAYERS.flatMap((layer, rank) =>
  layer.map((folder) => ({
    name: `layer:${folder}`,
    comment: `${folder} imports only its own folder and the layers below it (.dependency-cruiser.cjs)`,
    severity: "error",
    from: { path: anyOf([folder]) },
    to: { path: anyOf([...layer.filter((f) => f !== folder), ...LAYERS.slice(rank + 1).flat()]) },
  })),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "no-cycle",
      comment:
        "a cycle ties the modules on it into one layer; one through a type-only import (a generated table naming " +
        "its reader's type: catalogue.generated.ts, sdk/openwrt.generated.ts) is erased at compile time and allowed",
      severity: "error",
      from: { path: anyOf(LAYERS.flat()) },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports count: a type that points up a layer ties the layers as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
