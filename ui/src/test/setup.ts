import { configure } from "@testing-library/react";

// Before every test file: jsdom lays nothing out and has no ResizeObserver, which Fluent's
// overflow (the command bar's More menu) asks for. A stub that never reports keeps every
// command in the bar, as on a wide screen, and the console free of Fluent's complaint.
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;

// findBy* and waitFor give up after 1 s by default. On a 2-core machine that is also
// compiling, a debounced search plus its answer takes longer than that; a hang still fails.
configure({ asyncUtilTimeout: 10_000 });
