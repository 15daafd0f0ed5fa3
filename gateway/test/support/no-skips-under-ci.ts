import type { Reporter, TestModule } from 'vitest/node';

/**
 * A vitest reporter that fails the run when a test was skipped. Every conditional suite here skips only on a
 * developer machine that lacks the real part it drives (redis-server, haproxy, prometheus, Chromium, OpenCode,
 * systemd-analyze), with a warning; .ci/run installs them all, so under CI a skip is lost coverage, not a choice.
 * The vitest configs add it when CI is set.
 */
export default class NoSkipsUnderCi implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) if (test.result().state === 'skipped') skipped.push(`${module.moduleId} > ${test.fullName}`);
    }
    if (skipped.length === 0) return;
    console.error(`\n${skipped.length} test(s) skipped under CI, where nothing may be skipped:\n${skipped.map((s) => `  ${s}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}
