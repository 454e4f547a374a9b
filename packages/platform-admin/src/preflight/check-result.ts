/** The outcome of one preflight item: what was checked, what was found and, when it is not a pass, how to fix it. */
export const CHECK_STATUSES = ['pass', 'warn', 'fail'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckResult {
  /** Stable id of the item, e.g. `certificate` or `bedrock-model:opus`; scripts key on it in `--json`. */
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found, in one sentence. Never a secret value. */
  readonly detail: string;
  /** What to do; present for every `fail` and `warn`. */
  readonly fix?: string;
}

export const pass = (id: string, title: string, detail: string): CheckResult => ({ id, title, status: 'pass', detail });
export const warn = (id: string, title: string, detail: string, fix: string): CheckResult => ({ id, title, status: 'warn', detail, fix });
export const fail = (id: string, title: string, detail: string, fix: string): CheckResult => ({ id, title, status: 'fail', detail, fix });

/** The AWS error name (`ResourceNotFoundException`, `NoSuchEntity`, …) of a thrown SDK error. */
export function awsErrorName(error: unknown): string {
  return error instanceof Error ? error.name : 'UnknownError';
}

/** A check that could not ask AWS (no permission, throttled, no network) fails with what happened; it never passes silently. */
export function unreachable(id: string, title: string, call: string, error: unknown): CheckResult {
  const name = awsErrorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const fix =
    name === 'CredentialsProviderError'
      ? 'no AWS credentials in this shell: sign in to the target account (e.g. aws sso login --profile <profile> and export AWS_PROFILE=<profile>) and run preflight again'
      : name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation'
        ? `allow ${call} for the principal running preflight (it only reads), or run preflight as the deploying role`
        : `retry; if it persists, run the same call with the AWS CLI to see why (${call})`;
  return fail(id, title, `${call} failed: ${name}: ${message}`, fix);
}
