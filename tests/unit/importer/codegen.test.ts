/**
 * The program generator: hostile device text (quotes, backslashes, newlines, `*\/`, `${}`, U+2028, lone
 * surrogates, `__proto__` keys) stays data — the generated file parses, runs exactly the resource constructors it
 * should and hands them exactly the values read; names are stable and valid identities; secrets appear only as
 * `config.requireSecret` references.
 */
import fc from "fast-check";
import ts from "typescript";
import { commentText, renderProgram, tsString, tsTemplate } from "../../../provider/import/codegen";
import {
  NameBook,
  SecretRef,
  secretKey,
  slug,
  type ImportResult,
  type ImportValue,
} from "../../../provider/import/model";
import { IDENTITY_PATTERN } from "../../../provider/resources/common";

const HOSTILE = [
  '"',
  "'",
  "`",
  "\\",
  "\n",
  "\r",
  "*/",
  "/*",
  "//",
  "${x}",
  "\u2028",
  "\u2029",
  "\u0000",
  "\ud800",
  "\udc00",
  "</script>",
  '");process.exit(1);("',
];
const hostileString = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.array(fc.constantFrom(...HOSTILE, "a", " ", "é"), { maxLength: 12 }).map((xs) => xs.join("")),
);
const value: fc.Arbitrary<ImportValue> = fc.letrec<{ v: ImportValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer({ min: -1e9, max: 1e9 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(hostileString, fc.constant("__proto__")), tie("v"), { maxKeys: 3 }),
  ),
})).v;

/** Runs a generated program with stand-ins for its imports; returns the constructor calls it made. */
function run(program: string): { calls: Array<{ cls: string; name: string; args: unknown }>; secrets: string[] } {
  const out = ts.transpileModule(program, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  expect(out.diagnostics ?? []).toEqual([]);
  const calls: Array<{ cls: string; name: string; args: unknown }> = [];
  const secrets: string[] = [];
  const ns = (platform: string) =>
    new Proxy(
      {},
      {
        get: (_t, cls: string) =>
          function (this: unknown, name: string, args: unknown) {
            calls.push({ cls: `${platform}.${cls}`, name, args });
          },
      },
    );
  const fakes: Record<string, unknown> = {
    routerstack: { routeros: ns("routeros"), openwrt: ns("openwrt") },
    "@pulumi/pulumi": {
      Config: class {
        requireSecret(k: string) {
          secrets.push(k);
          return { secret: k };
        }
      },
      output: (v: unknown) => ({ output: v }),
      concat: (...parts: unknown[]) => ({ concat: parts }),
    },
  };
  const module = { exports: {} };
  new Function("require", "module", "exports", out.outputText)((m: string) => fakes[m], module, module.exports);
  return { calls, secrets };
}

/** What the stand-ins above turn a value into. */
function expected(v: ImportValue): unknown {
  if (v instanceof SecretRef) return v.suffix === "" ? { secret: v.key } : { concat: [{ secret: v.key }, v.suffix] };
  if (Array.isArray(v)) return v.map(expected);
  if (typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(o, k, { value: expected(x), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return Object.is(v, -0) ? 0 : v;
}

describe("codegen", () => {
  it("tsString is a single string literal that evaluates to the same string, for any string", () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const lit = tsString(s);
        const sf = ts.createSourceFile("x.ts", `const x = ${lit};`, ts.ScriptTarget.ES2022);
        const init = (sf.statements[0] as ts.VariableStatement).declarationList.declarations[0].initializer!;
        expect(ts.isStringLiteral(init)).toBe(true);
        expect(new Function(`return ${lit};`)()).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it("tsTemplate is a single template literal without substitutions that evaluates to the same string, for any string", () => {
    const multiLine = fc
      .array(fc.oneof(hostileString, fc.constantFrom("\n", "\t", "\r\n", "$", "{", "$$", "\\$", "`${", "\\u")), {
        maxLength: 8,
      })
      .map((xs) => xs.join(""));
    fc.assert(
      fc.property(fc.oneof(hostileString, multiLine), (s) => {
        const lit = tsTemplate(s);
        const sf = ts.createSourceFile("x.ts", `const x = ${lit};`, ts.ScriptTarget.ES2022);
        const init = (sf.statements[0] as ts.VariableStatement).declarationList.declarations[0].initializer!;
        expect(ts.isNoSubstitutionTemplateLiteral(init)).toBe(true);
        expect(new Function(`return ${lit};`)()).toBe(s);
        // Readable: every line of the text is a line of the literal.
        expect(lit.split("\n")).toHaveLength(s.split("\n").length);
      }),
      { numRuns: 1000 },
    );
    expect(tsTemplate("protocol static s1 {\n\tipv4;\n}\n")).toBe("`protocol static s1 {\n\tipv4;\n}\n`");
    expect(tsTemplate("a`b${c}\\d\r\n")).toBe("`a\\`b\\${c}\\\\d\\u000d\n`");
  });

  it("comment text never ends its line comment", () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        expect(commentText(s)).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
      { numRuns: 300 },
    );
  });

  it("a program of hostile values runs exactly its resource constructors with exactly the values read", () => {
    const resource = fc.record({
      className: fc.constantFrom("NatRule", "UciSection"),
      name: hostileString,
      args: fc.dictionary(
        fc.oneof(fc.constantFrom("comment", "options", "__proto__", "local.role"), hostileString),
        value,
        { maxKeys: 4 },
      ),
      source: hostileString,
      platform: fc.constantFrom("routeros" as const, "openwrt" as const),
    });
    fc.assert(
      fc.property(
        fc.array(resource, { maxLength: 4 }),
        hostileString,
        fc.array(hostileString, { maxLength: 3 }),
        (resources, device, notes) => {
          const imp: ImportResult = { device, platform: "routeros", resources, notes };
          const { calls } = run(renderProgram([imp], { command: device }));
          expect(calls).toHaveLength(resources.length);
          calls.forEach((c, i) => {
            const r = resources[i];
            expect(c.cls).toBe(`${r.platform}.${r.className}`);
            expect(c.name).toBe(r.name);
            const args = c.args as Record<string, unknown>;
            expect(args.device).toBe(device);
            expect(args.adopt).toBe(true);
            for (const [k, v] of Object.entries(r.args)) {
              if (k === "device" || k === "adopt") continue;
              expect(Object.getOwnPropertyDescriptor(args, k)?.value).toEqual(expected(v));
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("secrets are config.requireSecret references listed in the header, nested ones wrapped in pulumi.output", () => {
    const imp: ImportResult = {
      device: "dlink",
      platform: "openwrt",
      notes: [],
      resources: [
        {
          platform: "openwrt",
          className: "UciSection",
          name: "dlink-network-vpn",
          source: "network.vpn",
          args: {
            package: "network",
            name: "vpn",
            type: "interface",
            options: { proto: "wireguard", private_key: new SecretRef("dlink-network-vpn-private-key") },
          },
        },
      ],
    };
    const program = renderProgram([imp]);
    expect(program).toContain("//   pulumi config set --secret dlink-network-vpn-private-key <value>");
    const { calls, secrets } = run(program);
    expect(secrets).toEqual(["dlink-network-vpn-private-key"]);
    expect(calls[0].args).toMatchObject({
      options: { output: { proto: "wireguard", private_key: { secret: "dlink-network-vpn-private-key" } } },
    });
  });

  it("a secret with a suffix (a file's final newline) is pulumi.concat of the reference and the suffix", () => {
    const imp: ImportResult = {
      device: "dlink",
      platform: "openwrt",
      notes: [],
      resources: [
        {
          platform: "openwrt",
          className: "RemoteFile",
          name: "dlink-file-bgp",
          source: "BIRD file /etc/bird.d/bgp.conf",
          args: { path: "/etc/bird.d/bgp.conf", content: new SecretRef("dlink-file-bgp-content", "\n"), mode: "0600" },
        },
      ],
    };
    const program = renderProgram([imp]);
    expect(program).toContain('  content: pulumi.concat(config.requireSecret("dlink-file-bgp-content"), "\\n"),');
    const { calls, secrets } = run(program);
    expect(secrets).toEqual(["dlink-file-bgp-content"]);
    expect(calls[0].args).toMatchObject({ content: { concat: [{ secret: "dlink-file-bgp-content" }, "\n"] } });
  });

  it("names: slugs are valid identity parts, stable, and NameBook keeps them distinct", () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const n = slug(s);
        expect(IDENTITY_PATTERN.test(`p/s/${n}`)).toBe(true);
        expect(slug(s)).toBe(n);
        expect(n.length).toBeLessThanOrEqual(48);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "a-2", "b"), { maxLength: 10 }), (bases) => {
        const book = new NameBook();
        const names = bases.map((b) => book.take(b));
        expect(new Set(names).size).toBe(names.length);
      }),
    );
    expect(slug("defconf: masquerade")).toBe("defconf-masquerade");
    expect(secretKey("crs-pppoe-client-pppoe-gpon", "ipsecSecret")).toBe("crs-pppoe-client-pppoe-gpon-ipsec-secret");
  });
});
