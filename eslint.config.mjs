import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const playwrightImports = {
  paths: [
    { name: "playwright", message: "Playwright belongs in jobs/ (and tests), never in the web bundle or lib/." },
    { name: "playwright-core", message: "Playwright belongs in jobs/ (and tests), never in the web bundle or lib/." },
    { name: "@playwright/test", message: "Playwright belongs in tests only." },
  ],
};

export default tseslint.config(
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", ".nightshift/**", "drizzle/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "**/*.mjs"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  // Dependencies point one way: app/components → lib; jobs → lib; lib imports neither.
  {
    files: ["lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...playwrightImports,
          patterns: [{ group: ["@/app/*", "@/components/*", "@/jobs/*", "@/sandbox/*", "**/app/*", "**/jobs/*", "**/components/*"], message: "lib/ is the framework-free domain: it must not import app/, components/, jobs/ or the sandbox." }],
        },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { ...playwrightImports, patterns: [{ group: ["@/jobs/*", "@/sandbox/*", "**/jobs/*"], message: "The web app reads through lib/; it must not import the worker or the sandbox." }] },
      ],
    },
  },
  {
    files: ["jobs/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "@/components/*", "@/sandbox/*"], message: "The worker reads through lib/; it must not import the web app or the sandbox." }] }],
    },
  },
);
