// Before every test file: jsdom lays nothing out and has no ResizeObserver, which Fluent's
// overflow (the command bar's More menu) asks for. A stub that never reports keeps every
// command in the bar, as on a wide screen, and the console free of Fluent's complaint.
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;
