import { CheckResult, CheckStatus } from './check-result';
import { PreflightReport } from './run-preflight';

const MARK: Readonly<Record<CheckStatus, string>> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

/** One item as checklist lines: status, title, what was found, and the fix under it. */
export function checklistLines(result: CheckResult): string[] {
  const lines = [`[${MARK[result.status]}] ${result.title}: ${result.detail}`];
  if (result.fix) lines.push(`       fix: ${result.fix}`);
  return lines;
}

export function checklistSummary(report: PreflightReport): string {
  const count = (s: CheckStatus) => report.results.filter((r) => r.status === s).length;
  const verdict = report.ok ? 'ready to deploy' : 'not ready: fix every FAIL above, then run preflight again';
  return `${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed (account ${report.account}, ${report.region}): ${verdict}`;
}
