import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// `npm run dev` talks to a `patchdeck serve` on 127.0.0.1:8470 through this proxy, so the
// page and the API share an origin as they do when the server serves the built UI.
export default defineConfig({
  plugins: [react()],
  base: "./",
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/api": { target: process.env.PATCHDECK_DEV_API ?? "http://127.0.0.1:8470", changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    target: "es2022",
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    reporters: ["default", "./vitest.summary-reporter.ts"],
    // Wizard tests click through many pages in jsdom; on a 2-core machine that is also
    // compiling they take several times their quiet duration. A hang still fails.
    testTimeout: 60_000,
  },
});
