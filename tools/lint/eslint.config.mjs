// ESLint for Essaim's browser scripts: plain scripts (no modules, no build), run in Chromium and
// phone browsers. The recommended rules, plus what keeps a 500-line script honest.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      // Leaflet (L) is declared by each script that uses it (/* global L */).
      globals: { ...globals.browser },
    },
    rules: {
      "eqeqeq": ["error", "always"],
      "no-implicit-globals": "error",
      "no-unused-vars": ["error", { "args": "after-used", "caughtErrors": "none" }],
      "no-shadow": "error",
      "curly": ["error", "multi-line"],
    },
  },
  {
    // Streamlit components (st.components.v2) are ES modules with a default export.
    files: ["**/session_watch.js"],
    languageOptions: { sourceType: "module" },
  },
];
