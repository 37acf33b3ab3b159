/**
 * What the code cites lives in the repository: every `§` citation of a reference document resolves to a numbered
 * section of docs/reference/<doc>.md, every link to a docs/reference file exists, and no committed file holds a path
 * of a developer's machine. Files are those `git ls-files` lists (the committed tree, as CI's clone has it).
 *
 * A citation names its document (`openwrt-uci.md §2.8`, `docs/reference/routeros-cli.md §4.2`) or, as a bare `§2.8`
 * or `reference §2.8`, cites the document named last before it in the same file; files that never name one use the
 * default of their directory (DEFAULT_DOC).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const REF_DIR = path.join(ROOT, "docs", "reference");
const DOCS = fs.readdirSync(REF_DIR).filter((f) => f.endsWith(".md") && f !== "README.md");

/** Directories whose files cite one document throughout without naming it. */
const DEFAULT_DOC: [string, string][] = [
  ["tests/engine/", "pulumi-dynamic-host.md"],
  ["tests/lab/openwrt/", "openwrt-uci.md"],
  ["tests/lab/routeros/", "routeros-cli.md"],
];

const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
  .split("\0")
  .filter((f) => f && fs.existsSync(path.join(ROOT, f)) && !/\.(tgz|png|jpg|gz)$/.test(f) && f !== "package-lock.json");
const text = (f: string): string => fs.readFileSync(path.join(ROOT, f), "utf8");

/** Section numbers of a reference document: `## 2. Title` → "2", `### 2.11 Title` → "2.11", with their text. */
function sections(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of text(path.join("docs", "reference", doc)).split("\n")) {
    const m = /^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s/.exec(line);
    if (m) {
      current = m[1];
      out.set(current, "");
    } else if (current) {
      out.set(current, out.get(current) + line + "\n");
      // A subsection's text belongs to its parents too, so `§2` finds an `(a)` paragraph under `### 2.1`.
      for (let p = current; p.includes(".");) {
        p = p.slice(0, p.lastIndexOf("."));
        if (out.has(p)) out.set(p, out.get(p) + line + "\n");
      }
    }
  }
  return out;
}
const SECTIONS = new Map(DOCS.map((d) => [d, sections(d)]));

const DOC_NAME = new RegExp(`(?:^|[^\\w-])(${DOCS.map((d) => d.replace(/[.-]/g, "\\$&")).join("|")})`, "g");
const CITATION = /§\s?(\d+(?:\.\d+)*)(\(([a-z])\))?/g;

interface Citation {
  file: string;
  line: number;
  doc: string | undefined;
  section: string;
  part?: string;
}

function citations(file: string): Citation[] {
  const body = text(file);
  const mentions = [...body.matchAll(DOC_NAME)].map((m) => ({ at: m.index! + m[0].length, doc: m[1] }));
  const fallback = DEFAULT_DOC.find(([dir]) => file.startsWith(dir))?.[1];
  const out: Citation[] = [];
  for (const m of body.matchAll(CITATION)) {
    // Other numbered sources cite their own sections: RFC 4253 §6.6, the TIK4NET scripting manual §13.2.
    if (/(RFC \d+|TIK4NET)\s*$/.test(body.slice(Math.max(0, m.index! - 16), m.index))) continue;
    const before = mentions.filter((x) => x.at <= m.index!).pop();
    const line = body.slice(0, m.index).split("\n").length;
    out.push({ file, line, doc: before?.doc ?? fallback, section: m[1], part: m[3] });
  }
  return out;
}

/** Files whose `§` are not citations of our reference documents (other numbering schemes). */
const NOT_REFERENCE = new Set(["docs/resources.md"]);

describe("docs/reference", () => {
  it("has a legend for the [I] and [D] marks", () => {
    const readme = text("docs/reference/README.md");
    expect(readme).toMatch(/\[I\][^\n]*infer/i);
    expect(readme).toMatch(/\[D\][^\n]*document/i);
  });

  it("every § citation in a committed file names a section that exists", () => {
    const bad: string[] = [];
    let checked = 0;
    for (const file of files) {
      if (
        NOT_REFERENCE.has(file) ||
        file.startsWith("docs/reference/") ||
        file === "tests/unit/docs/repo-paths.test.ts"
      )
        continue;
      for (const c of citations(file)) {
        checked++;
        const where = `${c.file}:${c.line} §${c.section}${c.part ? `(${c.part})` : ""}`;
        if (!c.doc) {
          bad.push(`${where}: names no reference document`);
          continue;
        }
        const body = SECTIONS.get(c.doc)!.get(c.section);
        if (body === undefined) bad.push(`${where}: ${c.doc} has no section ${c.section}`);
        else if (c.part && !body.includes(`(${c.part})`))
          bad.push(`${where}: ${c.doc} §${c.section} has no part (${c.part})`);
      }
    }
    expect(bad).toEqual([]);
    // The scan found the citations the code is full of (a broken pattern would find none and pass).
    expect(checked).toBeGreaterThan(300);
  });

  it("every link to docs/reference or to another reference document resolves to a file in docs/reference", () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const m of text(file).matchAll(/(?:docs\/)?reference\/([\w-]+\.md)/g)) {
        if (!DOCS.includes(m[1]) && m[1] !== "README.md") bad.push(`${file}: ${m[0]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("relative markdown links inside docs/reference resolve", () => {
    const bad: string[] = [];
    for (const doc of [...DOCS, "README.md"]) {
      for (const m of text(`docs/reference/${doc}`).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(m[1])) continue;
        if (!fs.existsSync(path.join(REF_DIR, m[1]))) bad.push(`${doc}: ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("no path of a developer's machine in a committed file", () => {
  // The machines this project is built on keep checkouts and shared notes under /work and tools under root's home;
  // a router's /root (dropbear's authorized_keys, known_hosts, routerstack's own state dir) is device vocabulary
  // and stays allowed.
  const FORBIDDEN = [
    /(?<![\w.])\/work\//,
    /(?<![\w.])\/home\/[a-z_][\w-]*\//,
    /(?<![\w.])\/root\/(?!\.ssh\b|\.routerstack\b)[\w.-]+/,
    /(?<![\w.])shared\/reference\//,
  ];

  it("finds none", () => {
    const bad: string[] = [];
    for (const file of files) {
      if (file === "tests/unit/docs/repo-paths.test.ts") continue;
      text(file)
        .split("\n")
        .forEach((l, i) => {
          for (const re of FORBIDDEN) if (re.test(l)) bad.push(`${file}:${i + 1}: ${l.trim().slice(0, 120)}`);
        });
    }
    expect(bad).toEqual([]);
  });

  it("the patterns catch what they are for", () => {
    const hits = (s: string) => FORBIDDEN.some((re) => re.test(s));
    expect(hits("see /work/shared/reference/openwrt-uci.md")).toBe(true);
    expect(hits("(../shared/reference/pulumi-dynamic-host.md §3)")).toBe(true);
    expect(hits("cache in /root/.npm/_cacache")).toBe(true);
    expect(hits("/home/dev/routerstack")).toBe(true);
    expect(hits("dropbear reads /root/.ssh/authorized_keys")).toBe(false);
    expect(hits("the router's own state dir /root/.routerstack/owners")).toBe(false);
    expect(hits("docs/reference/openwrt-uci.md §3")).toBe(false);
  });
});
