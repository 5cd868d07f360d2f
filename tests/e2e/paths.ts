// Where the e2e harness finds the binary, the built UI and the shared fixtures.
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export const BIN = process.env.PATCHDECK_BIN ?? path.join(ROOT, "target", "debug", "patchdeck");
export const UI_ROOT = path.join(ROOT, "ui");
export const UI_DIR = process.env.PATCHDECK_UI_DIR ?? path.join(UI_ROOT, "dist");
export const FIXTURES = process.env.PATCHDECK_FIXTURES ?? path.resolve(ROOT, "..", "shared", "fixtures");
export const STATE_FILE = path.join(__dirname, ".serve-state.json");
export const GENERATED_COUNT = 3000;
/** Generated updates of the parent site the sync spec synchronizes from. */
export const PARENT_GENERATED_COUNT = 1000;
/** Generated updates of the fleet site the simulated computers scan (few, so each is seen in the console). */
export const FLEET_GENERATED_COUNT = 40;
