/**
 * What the forms accept before anything is sent. Limits match Cognito's
 * (e-mail 254, password 256, code 6 digits); names are letters and the few
 * punctuation marks names use, so markup can never be stored as a name.
 */
import { MFA_CODE_PATTERN, parseEmailAddress } from '@openclaw-tenancy/shared';

/** The user pool's password policy (aws-infra's TenantUserPool), in the words both the form and Cognito errors use. */
export const PASSWORD_POLICY_TEXT = 'Use at least 12 characters with an upper-case letter, a lower-case letter and a digit.';

export const MAX_NAME_LENGTH = 64;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordRule = 'length' | 'upper' | 'lower' | 'digit';

/** The rules as each password form lists them (and ticks them off while the person types). */
export const PASSWORD_RULE_LABELS: Readonly<Record<PasswordRule, string>> = {
  length: 'At least 12 characters',
  upper: 'An upper-case letter',
  lower: 'A lower-case letter',
  digit: 'A digit',
};

export function passwordRulesMet(password: string): Record<PasswordRule, boolean> {
  return { length: password.length >= 12, upper: /[A-Z]/.test(password), lower: /[a-z]/.test(password), digit: /\d/.test(password) };
}

/** Each returns a message for the person, or undefined when the value is fine. */
export function emailProblem(value: string): string | undefined {
  try {
    parseEmailAddress(value);
    return undefined;
  } catch (e) {
    return `Enter a valid e-mail address: ${(e as Error).message.replace(/^invalid e-mail address: /, '')}.`;
  }
}

export function nameProblem(value: string): string | undefined {
  const name = value.trim();
  if (name === '') return 'Enter your name.';
  if (name.length > MAX_NAME_LENGTH) return `Your name can have at most ${MAX_NAME_LENGTH} characters.`;
  if (!/^[\p{L}\p{M}][\p{L}\p{M} .,'’-]*$/u.test(name)) return "Your name may only contain letters, spaces and . , ' -";
  return undefined;
}

export function newPasswordProblem(value: string): string | undefined {
  if (value.length > MAX_PASSWORD_LENGTH) return `The password can have at most ${MAX_PASSWORD_LENGTH} characters.`;
  const met = passwordRulesMet(value);
  return Object.values(met).every(Boolean) ? undefined : PASSWORD_POLICY_TEXT;
}

export function currentPasswordProblem(value: string): string | undefined {
  if (value === '') return 'Enter your password.';
  return value.length > MAX_PASSWORD_LENGTH ? `The password can have at most ${MAX_PASSWORD_LENGTH} characters.` : undefined;
}

export function codeProblem(value: string): string | undefined {
  return /^\d{6}$/.test(value.trim()) ? undefined : 'The code is the 6 digits from the e-mail.';
}

export function mfaCodeProblem(value: string): string | undefined {
  return MFA_CODE_PATTERN.test(value.trim()) ? undefined : 'The code is the 6 digits your authenticator app shows.';
}
