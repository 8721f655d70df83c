// ESLint 9 flat config, set up as Shopify's app template and the Epic Stack do: the presets'
// recommended rules for JavaScript, TypeScript, React, hooks and accessibility, with as few
// changes as possible (each one says why). `npm run lint` runs it with `prettier --check`.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Build output, local data and generated code (app/types is graphql-codegen's).
  globalIgnores(["build/", "data/", "node_modules/", "public/build/", "app/types/", "coverage/", ".cache/", ".shopify/", ".build-lock/", "test-output/", "bench/profiles/", "extensions/*/dist/"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  react.configs.flat.recommended,
  react.configs.flat["jsx-runtime"],
  reactHooks.configs.flat.recommended,
  jsxA11y.flatConfigs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
    },
    settings: {
      react: { version: "detect" },
    },
    rules: {
      // TypeScript checks component props; prop-types would repeat it at runtime.
      "react/prop-types": "off",
      // A missing dependency is a stale-closure bug, not a style point.
      "react-hooks/exhaustive-deps": "error",
      // A leading underscore marks a parameter or binding that is unused on purpose.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
        },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    rules: {
      // CommonJS modules (graphql-config `require`s the schema module) can only load others with require().
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
