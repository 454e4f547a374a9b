/**
 * A refusal the user sees. Cognito shows the message of an error thrown by a
 * trigger as "PreSignUp failed with error <message>.", so every message here is
 * a complete, polite sentence and never reveals configuration (the allowlist,
 * limits, table names).
 */
export type SignUpRefusalReason =
  'invalid-email' | 'domain-not-allowed' | 'address-rate-limited' | 'platform-rate-limited' | 'domain-rate-limited' | 'capacity-reached';

export class SignUpRefusedError extends Error {
  constructor(
    public readonly reason: SignUpRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'SignUpRefusedError';
  }
}

export const CAPACITY_REACHED_MESSAGE = 'The platform has reached its tenant capacity; contact your administrator.';
