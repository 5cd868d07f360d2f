// `npm run screenshots`: the console page by page at 1440×900 into docs/screenshots/, against
// the same throw-away sites the browser tests start (global-setup.ts), so the pictures show a
// filled catalog, then every wizard page by page (screenshots/wizards.spec.ts); the index
// docs/screenshots/README.md is rewritten at the end. Not part of `npm test`.
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({
  ...base,
  testDir: "./screenshots",
  globalTeardown: "./screenshots/teardown.ts",
  timeout: 600_000,
  reporter: [["list"]],
  use: { ...base.use, viewport: { width: 1440, height: 900 }, screenshot: "off", trace: "off" },
});
