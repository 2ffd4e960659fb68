/**
 * A reporter that prints why each skipped test skipped (the `test.skip(condition, reason)`
 * annotation), which the list reporter leaves out: a skip must say what did not run and why.
 */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter'

export function skipReasons(test: TestCase): string[] {
  return test.annotations.filter((a) => a.type === 'skip' || a.type === 'fixme').map((a) => a.description ?? '(no reason given)')
}

export default class SkipReasonsReporter implements Reporter {
  private readonly lines: string[] = []

  printsToStdio(): boolean {
    return true
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return
    const title = test.titlePath().filter((part) => part !== '').join(' › ')
    for (const reason of skipReasons(test)) this.lines.push(`  skipped: ${title}\n    why: ${reason}`)
  }

  onEnd(): void {
    if (this.lines.length === 0) return
    console.log(`\n${this.lines.length} skipped, and why:\n${this.lines.join('\n')}`)
  }
}
