// ESLint: typescript-eslint, Next's and React Hooks' rules, and the layer boundaries of
// ../shared/STYLE.md as rules that fail (see README "How it is built").
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

const prisma = ["@prisma/client", "@prisma/client/*", "@prisma/adapter-*", "**/generated/**"];

/** Imports that reach into the protocol core past its public entry (lib/oidc/index.ts). */
const oidcInternals = {
  group: ["@/lib/oidc/*", "**/oidc/*", "!**/oidc/index", "!@/lib/oidc/index"],
  message: "Import the protocol core through its public entry: @/lib/oidc (lib/oidc/index.ts).",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "dist/**",
      "lib/generated/**",
      "prisma/generated/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Portal pages show only the client's own logo URL; next/image would need remote patterns per client.
      "@next/next/no-img-element": "off",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read the environment through lib/env.ts (parsed once, with zod)." },
      ],
    },
  },
  {
    // The protocol core: Web standards and jose only.
    files: ["lib/oidc/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "react", "react-dom", "react/*"], message: "lib/oidc is framework-free: no Next or React." },
            { group: prisma, message: "lib/oidc talks to storage through lib/oidc/ports.ts only." },
            {
              group: ["**/stores/**", "**/admin/**", "**/auth/**", "**/account/**", "**/next/**", "**/server/**", "@/*", "node:*"],
              message: "lib/oidc imports only itself and jose.",
            },
          ],
        },
      ],
    },
  },
  {
    // Everything outside the core reaches it through its entry; Prisma only in lib/stores and lib/db.
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.mjs"],
    ignores: ["lib/oidc/**", "lib/stores/**", "lib/db/**", "tests/**", "scripts/**", "bench/**", "e2e/**", "prisma.config.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [oidcInternals, { group: prisma, message: "Only lib/stores and lib/db use Prisma." }] },
      ],
    },
  },
  {
    files: ["lib/stores/**/*.ts", "lib/db/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [oidcInternals] }] },
  },
  {
    // Components are below the app: they never import from it.
    files: ["components/**/*.tsx", "components/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            oidcInternals,
            { group: prisma, message: "Only lib/stores and lib/db use Prisma." },
            { group: ["@/app/*", "**/app/**"], message: "components never import from app: move shared types to lib." },
          ],
        },
      ],
    },
  },
  {
    // Where the environment may be read: lib/env.ts, and tools that are not the product.
    files: [
      "lib/env.ts",
      "tests/**",
      "e2e/**",
      "scripts/**",
      "bench/**",
      "playwright.config.ts",
      "prisma.config.ts",
      "vitest.config.mts",
      "next.config.mjs",
      "bin/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
);
