/**
 * A tiny, dependency-free validation kit. `packages/shared` must stay pure and
 * browser-safe, so it cannot pull in a schema library; these helpers give every
 * error the path of the bad field and the reason, which is all callers need.
 */

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `signup.allowedEmailDomains[0]`. */
  readonly path: string;
  readonly message: string;
}

/** Thrown when input does not satisfy a schema; lists every issue found. */
export class ValidationError extends Error {
  public readonly issues: readonly ValidationIssue[];
  public readonly source: string;

  constructor(source: string, issues: readonly ValidationIssue[]) {
    super(`${source} is invalid:\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'ValidationError';
    this.source = source;
    this.issues = issues;
  }
}

/** Collects issues while a value is walked, so one run reports all of them. */
export class IssueCollector {
  private readonly found: ValidationIssue[] = [];

  add(path: string, message: string): void {
    this.found.push({ path, message });
  }

  get issues(): readonly ValidationIssue[] {
    return this.found;
  }

  get ok(): boolean {
    return this.found.length === 0;
  }

  throwIfAny(source: string): void {
    if (this.found.length > 0) throw new ValidationError(source, this.found);
  }
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reports every key of `value` not in `allowed`. Unknown keys are errors rather
 * than being ignored because a misspelt optional key would otherwise silently
 * fall back to its default (the classic "I set it but nothing changed").
 */
export function rejectUnknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string, issues: IssueCollector): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      issues.add(joinPath(path, key), `unknown key; allowed keys here are: ${allowed.join(', ')}`);
    }
  }
}
