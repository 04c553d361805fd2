import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import path from "node:path";
import tseslint from "typescript-eslint";

/**
 * Where code may run. Server modules (database, queries, config, queue, server composition, the
 * schema, database drivers) must never reach a browser bundle: `components/` may not import them
 * at all, and neither may any file whose first statement is the "use client" directive (ESLint
 * cannot select those by glob, hence this small rule). Type-only imports are erased, so allowed.
 */
const SERVER_MODULE_PATHS = [/^lib\/db(\/|$)/, /^lib\/(.+\/)?queries(\/|$)/, /^lib\/config(\/|$)/, /^lib\/queue(\/|$)/, /^lib\/server(\/|$)/, /^drizzle(\/|$)/];
const SERVER_PACKAGES = /^(postgres|drizzle-orm|graphile-worker)(\/|$)/;

function projectPath(specifier, filename, cwd) {
  if (specifier.startsWith("@/")) return specifier.slice(2);
  if (specifier.startsWith(".")) return path.relative(cwd, path.resolve(path.dirname(filename), specifier)).split(path.sep).join("/");
  return null;
}

function isServerModule(specifier, filename, cwd) {
  const local = projectPath(specifier, filename, cwd);
  if (local === null) return SERVER_PACKAGES.test(specifier);
  return SERVER_MODULE_PATHS.some((pattern) => pattern.test(local));
}

const boundaries = {
  rules: {
    "no-server-import-in-client": {
      meta: {
        type: "problem",
        docs: { description: "Client code (components/, \"use client\" files) must not import server modules." },
        schema: [{ type: "object", properties: { everywhere: { type: "boolean" } }, additionalProperties: false }],
        messages: {
          serverImport: "\"{{source}}\" is a server module (database, queries, config, queue, server wiring); {{where}} runs in the browser. Pass the data in as props, or import a pure module (lib/domain, lib/format, types).",
        },
      },
      create(context) {
        const everywhere = context.options[0]?.everywhere === true;
        const body = context.sourceCode.ast.body;
        const first = body[0];
        const isClient = first?.type === "ExpressionStatement" && first.directive === "use client";
        if (!everywhere && !isClient) return {};
        const where = isClient ? "a \"use client\" module" : "components/";
        const check = (node, source, typeOnly) => {
          if (typeOnly || !source || typeof source.value !== "string") return;
          if (isServerModule(source.value, context.filename, context.cwd)) context.report({ node, messageId: "serverImport", data: { source: source.value, where } });
        };
        return {
          ImportDeclaration(node) {
            const typeOnly = node.importKind === "type" || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === "type"));
            check(node, node.source, typeOnly);
          },
          ExportNamedDeclaration(node) {
            check(node, node.source, node.exportKind === "type");
          },
          ExportAllDeclaration(node) {
            check(node, node.source, node.exportKind === "type");
          },
          ImportExpression(node) {
            check(node, node.source.type === "Literal" ? node.source : null, false);
          },
        };
      },
    },
  },
};

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
          paths: [...playwrightImports.paths, { name: "next", message: "lib/ is framework-free: Next.js glue lives in app/." }],
          patterns: [
            { group: ["next/*"], message: "lib/ is framework-free: use Web-standard Request/Response; Next.js glue lives in app/." },
            { group: ["@/app/*", "@/components/*", "@/jobs/*", "@/sandbox/*", "**/app/*", "**/jobs/*", "**/components/*"], message: "lib/ is the framework-free domain: it must not import app/, components/, jobs/ or the sandbox." },
          ],
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
  // Client code never imports server modules: all of components/, and any "use client" file.
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { boundaries },
    rules: { "boundaries/no-server-import-in-client": "error" },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: { "boundaries/no-server-import-in-client": ["error", { everywhere: true }] },
  },
  // One typed environment module: lib/config reads process.env; everything else takes values as arguments.
  {
    files: ["**/*.{ts,tsx}"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read the environment through lib/config/env.ts (getEnv) and pass values as arguments." }],
      "no-restricted-syntax": [
        "error",
        { selector: "VariableDeclarator[init.type='Identifier'][init.name='process'] > ObjectPattern > Property[key.name='env']", message: "Read the environment through lib/config/env.ts (getEnv) and pass values as arguments." },
        { selector: "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']", message: "Read the environment through lib/config/env.ts (getEnv) and pass values as arguments." },
      ],
    },
  },
  {
    // Composition roots and tooling that legitimately read the environment.
    files: ["lib/config/**", "scripts/**", "sandbox/main.ts", "test/**", "playwright.config.ts", "vitest.config.ts", "drizzle.config.ts", "next.config.ts"],
    rules: { "no-restricted-properties": "off", "no-restricted-syntax": "off" },
  },
);
