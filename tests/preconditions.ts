/**
 * Preconditions of tests that need something from the machine (root, dropbear, `unshare`, a file): without it a
 * test file skips with the reason printed, except under `CI=true`, where a missing precondition is a failure
 * (DESIGN.md "The lab": "when CI=true such a skip is a failure"), so a CI run can never go green by testing nothing.
 */

/** Whether CI=true forbids skipping. */
export const skipForbidden = (): boolean => process.env.CI === "true";

/**
 * `reason` is why the tests cannot run (undefined: they can). Returns `describe` or `describe.skip` to wrap the
 * tests in; when they cannot run, registers one test named after the reason that fails under CI=true and is
 * skipped otherwise, and prints the reason.
 */
export function describeIf(reason: string | undefined, file: string): jest.Describe {
  if (reason === undefined) return describe;
  if (skipForbidden()) {
    test(`precondition: ${reason}`, () => {
      throw new Error(`${file}: ${reason}; CI=true turns this skip into a failure`);
    });
  } else {
    process.stderr.write(`skipped ${file}: ${reason}\n`);
    test.skip(`precondition: ${reason}`, () => undefined);
  }
  return describe.skip;
}

/** The same for a single test: `test` or a test that fails (CI=true) or skips with the reason. */
export function testIf(reason: string | undefined, file: string): jest.It {
  if (reason === undefined) return test;
  return ((name: string) => {
    if (skipForbidden()) {
      test(name, () => {
        throw new Error(`${file}: ${reason}; CI=true turns this skip into a failure`);
      });
    } else {
      process.stderr.write(`skipped ${file} "${name}": ${reason}\n`);
      test.skip(`${name} (${reason})`, () => undefined);
    }
  }) as unknown as jest.It;
}
