/**
 * The Git credential the provisioner pushes with and Argo CD reads with, as
 * stored in Secrets Manager: a JSON object `{"username": "...", "password": "..."}`
 * (for GitHub, a bot account and a fine-grained token). One definition for the
 * functions that use it and the preflight that checks it.
 */

/** The JSON keys of the secret, and the only ones. */
export const GIT_CREDENTIAL_KEYS = ['username', 'password'] as const;

export interface GitCredential {
  readonly username: string;
  readonly password: string;
}

/** What is wrong with a parsed secret value, or undefined when it is a {@link GitCredential}. Never includes the value. */
export function gitCredentialProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the value is not a JSON object';
  const record = value as Record<string, unknown>;
  const missing = GIT_CREDENTIAL_KEYS.filter((k) => typeof record[k] !== 'string' || (record[k] as string).length === 0);
  if (missing.length > 0) return `the JSON object lacks a non-empty string ${missing.map((k) => `"${k}"`).join(' and ')}`;
  const extra = Object.keys(record).filter((k) => !(GIT_CREDENTIAL_KEYS as readonly string[]).includes(k));
  if (extra.length > 0) return `the JSON object has keys the platform does not read: ${extra.map((k) => `"${k}"`).join(', ')}`;
  return undefined;
}

/** The credential in a parsed secret value; throws naming the secret and the problem (not the value). */
export function parseGitCredential(value: unknown, secretName: string): GitCredential {
  const problem = gitCredentialProblem(value);
  if (problem) throw new Error(`secret ${secretName} must be a JSON object {"username": …, "password": …}: ${problem}`);
  const record = value as Record<string, string>;
  return { username: record.username as string, password: record.password as string };
}
