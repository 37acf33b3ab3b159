/**
 * Two projects. `unit` needs neither root nor network namespaces (`npm run test:unit`); it runs in band too: in the
 * CI dry run of 2026-12-06 on the 2-core machine two workers took no less time than one and made its
 * timing-sensitive tests flaky.
 * `lab` starts the lab (namespaces, mounts, dropbear, BIRD) and runs in band: the lab's namespace names are fixed
 * per process, and its timing tests assume the machine is not shared with another lab (`npm run test:lab`).
 * `npm test` runs both, unit first.
 * @type {import('jest').Config}
 */
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };

/** Files that need root, namespaces or the lab's daemons. */
const LAB = [
  "<rootDir>/tests/e2e/**/*.test.ts",
  "<rootDir>/tests/lab/openwrt/host.test.ts",
  "<rootDir>/tests/lab/openwrt/lifeline.test.ts",
  "<rootDir>/tests/unit/transport/dropbear.test.ts",
];

module.exports = {
  testTimeout: 120000,
  globalSetup: "<rootDir>/tests/compile-cache.js",
  globalTeardown: "<rootDir>/tests/compile-cache-teardown.js",
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      roots: ["<rootDir>/tests"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: [
        "/node_modules/",
        "<rootDir>/tests/e2e/",
        "<rootDir>/tests/lab/openwrt/host\\.test\\.ts$",
        "<rootDir>/tests/lab/openwrt/lifeline\\.test\\.ts$",
        "<rootDir>/tests/unit/transport/dropbear\\.test\\.ts$",
      ],
      transform,
    },
    {
      displayName: "lab",
      testEnvironment: "node",
      roots: ["<rootDir>/tests"],
      testMatch: LAB,
      transform,
    },
  ],
};
