import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, `N passed, N failed, N skipped`, that any
 * CI can read without knowing Vitest's own summary format.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
      // A file can fail without failing a test: it did not load (bad import,
      // syntax error, a throw at top level), had no tests, or a hook threw and
      // its tests were skipped. The error then sits on the module or a suite;
      // count the file once, or the line would read "0 failed".
      const suites = [module, ...module.children.allSuites()];
      if (suites.some((suite) => suite.errors().length > 0)) counts.failed++;
    }
    // Errors thrown outside any test (a stray timer, a rejection nobody awaited)
    // fail Vitest's run too, so they fail the line.
    counts.failed += unhandledErrors.length;
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
