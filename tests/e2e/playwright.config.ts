// Browser tests of the console against a real `patchdeck serve` started by global-setup.ts.
// Debian's Chromium 156 is driven by @playwright/test 1.64.1 (its bundled build is 156 too);
// no browser is ever downloaded.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./specs",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  globalSetup: "./global-setup.ts",
  globalTeardown: "./global-teardown.ts",
  reporter: [["list"], ["./summary-reporter.ts"]],
  outputDir: "./test-results",
  use: {
    browserName: "chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.PATCHDECK_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--disable-gpu", "--disable-quic"],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});
