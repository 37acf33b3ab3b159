// ESLint flat config. The code's `eslint-disable-next-line` comments name no-control-regex,
// @typescript-eslint/no-require-imports and no-console: all three are on here, and an unused disable comment is an
// error, so each of those comments marks a real, reviewed exception. Formatting is Prettier's (eslint-config-prettier
// turns off the stylistic rules that would fight it).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["dist/", "node_modules/", "**/node_modules/", ".lab/", ".engine-state/", "scratch/", "coverage/"],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Library and test output goes through the provider's logger or the test's assertions; a console line is a
      // deliberate report (a measured figure, a skip reason) and says so with a disable comment.
      "no-console": "error",
      // `import x = require("...")` is TypeScript's typed CommonJS import; a bare require() is the exception.
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
      // `_`-prefixed names are parameters kept for a signature's shape.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // CommonJS files: require() is the module system there, not a choice.
    files: ["**/*.cjs", "**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      // A module-scope `const crypto = require("crypto")` shadows Node's global of the same name on purpose.
      "no-redeclare": ["error", { builtinGlobals: false }],
    },
  },
  {
    // Command-line tools print to the terminal by design.
    files: ["scripts/**", "tests/lab/cli.ts", "tests/bench/**", "provider/import/cli.ts", "tests/engine/cli.ts"],
    rules: { "no-console": "off" },
  },
  prettier,
);
