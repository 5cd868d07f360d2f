// Ends the run with the plain line CI reads: "N passed, N failed[, N skipped]".
import type { FullConfig, FullResult, Reporter, Suite, TestError } from "@playwright/test/reporter";

export default class SummaryReporter implements Reporter {
  private root: Suite | undefined;
  private errors = 0;

  onBegin(_config: FullConfig, suite: Suite): void {
    this.root = suite;
  }

  onError(_error: TestError): void {
    this.errors++; // e.g. global setup failed: no test ran, yet the run failed
  }

  onEnd(result: FullResult): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const test of this.root?.allTests() ?? []) {
      const outcome = test.outcome();
      if (outcome === "expected" || outcome === "flaky") passed++;
      else if (outcome === "unexpected") failed++;
      else skipped++;
    }
    if (failed === 0 && result.status !== "passed") failed = Math.max(1, this.errors);
    console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
