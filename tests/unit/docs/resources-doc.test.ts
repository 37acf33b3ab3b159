/** docs/resources.md is generated from the kinds; this fails when a kind, schema or JSDoc changed without `npm run docs`. */
import * as fs from "fs";
import { DOC_PATH, generateResourcesDoc } from "../../../scripts/gen-resources-doc";

describe("docs/resources.md", () => {
  it("is up to date with the kind schemas (run `npm run docs` to regenerate)", () => {
    const committed = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, "utf8") : "";
    const fresh = generateResourcesDoc();
    if (committed !== fresh) {
      const a = committed.split("\n");
      const b = fresh.split("\n");
      const first = b.findIndex((l, i) => l !== a[i]);
      const line = first < 0 ? b.length : first;
      throw new Error(
        `docs/resources.md is stale: run \`npm run docs\` and commit the result.\n` +
          `First difference at line ${line + 1}:\n  committed: ${a[line] ?? "(end of file)"}\n  generated: ${b[line] ?? "(end of file)"}`,
      );
    }
  });

  it("documents every kind module under provider/dynamic", () => {
    const doc = generateResourcesDoc();
    const kinds = fs.readdirSync(`${__dirname}/../../../provider/dynamic`)
      .filter((f) => f.endsWith(".ts") && !["engine.ts", "devices.ts"].includes(f))
      .map((f) => f.replace(/\.ts$/, ""));
    expect(kinds.length).toBeGreaterThan(0);
    for (const k of kinds) expect(doc).toContain(`- Kind: \`${k}\``);
  });
});
