/**
 * What a batch should leave behind, and whether the read-back shows it. `uci batch` exits 0 whatever happens
 * (docs/reference/openwrt-uci.md §2.8), so the only evidence of success is the `show` output after the batch.
 *
 * The expectation is computed from the sections shown before the batch plus routerstack's own commands, using
 * the measured semantics (§2.6): `set pkg.sec=type` creates or retypes, `set` of an option replaces a list with a
 * string, `add_list` appends (converting a string to a list), `delete` removes an option or a whole section.
 */
import type { UciCommand } from "./codec";
import { sameUciValue, type UciShowSection, type UciValue } from "./uci-show-parser";

/** Intended state of one touched section: `undefined` = the section must not exist. */
export interface SectionExpectation {
  package: string;
  section: string;
  /** `type` undefined: the commands set options without creating the section, so any type will do. */
  expected: { type?: string; options: Record<string, UciValue> } | undefined;
}

/** Applies `commands` to `before` (the pre-batch show) for every section the commands touch. */
export function expectSections(
  before: readonly UciShowSection[],
  commands: readonly UciCommand[],
): SectionExpectation[] {
  const state = new Map<string, SectionExpectation>();
  const get = (pkg: string, sec: string): SectionExpectation => {
    const key = `${pkg}.${sec}`;
    let e = state.get(key);
    if (!e) {
      const s = before.find((x) => x.package === pkg && x.name === sec);
      e = { package: pkg, section: sec, expected: s ? { type: s.type, options: cloneOptions(s.options) } : undefined };
      state.set(key, e);
    }
    return e;
  };
  for (const c of commands) {
    const e = get(c.package, c.section);
    switch (c.op) {
      case "set-section":
        e.expected = e.expected ? { ...e.expected, type: c.type } : { type: c.type, options: {} };
        break;
      // An option set on a section that does not exist is still intended: uci fails it (Invalid argument, rc 0
      // inside a batch), and the read-back then shows the section missing.
      case "set":
        e.expected ??= { options: {} };
        e.expected.options[c.option] = c.value;
        break;
      case "add_list": {
        e.expected ??= { options: {} };
        const cur = e.expected.options[c.option];
        e.expected.options[c.option] =
          cur === undefined ? [c.value] : [...(typeof cur === "string" ? [cur] : cur), c.value];
        break;
      }
      case "delete-option":
        if (e.expected) delete e.expected.options[c.option];
        break;
      case "delete-section":
        e.expected = undefined;
        break;
    }
  }
  return [...state.values()];
}

/**
 * Lists every difference between the expectation and the read-back. Values of options named in `secretOptions`
 * are never quoted in the result.
 */
export function verifySections(
  expectations: readonly SectionExpectation[],
  after: readonly UciShowSection[],
  secretOptions: Pick<ReadonlySet<string>, "has"> = new Set(),
): string[] {
  const problems: string[] = [];
  const show = (opt: string, v: UciValue | undefined) =>
    v === undefined ? "absent" : secretOptions.has(opt) ? "(secret)" : JSON.stringify(v);
  for (const e of expectations) {
    const path = `${e.package}.${e.section}`;
    const s = after.find((x) => x.package === e.package && x.name === e.section);
    if (!e.expected) {
      if (s) problems.push(`${path} should be deleted but is still present`);
      continue;
    }
    if (!s) {
      problems.push(`${path} is missing after the batch`);
      continue;
    }
    if (e.expected.type !== undefined && s.type !== e.expected.type)
      problems.push(`${path} has type ${s.type}, expected ${e.expected.type}`);
    const names = new Set([...Object.keys(e.expected.options), ...Object.keys(s.options)]);
    for (const opt of names) {
      const want = e.expected.options[opt];
      const got = s.options[opt];
      if (!sameUciValue(got, want)) problems.push(`${path}.${opt} is ${show(opt, got)}, expected ${show(opt, want)}`);
    }
  }
  return problems;
}

function cloneOptions(o: Record<string, UciValue>): Record<string, UciValue> {
  const r: Record<string, UciValue> = {};
  for (const [k, v] of Object.entries(o)) r[k] = typeof v === "string" ? v : [...v];
  return r;
}
