/**
 * Validation of the Cognito trigger events the two sign-up functions accept.
 * Only the fields the functions use are checked; anything else passes through
 * untouched because Cognito expects the event back.
 */
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from 'aws-lambda';
import { OWNER_PATTERN } from '@openclaw-tenancy/shared';
import { MalformedEventError } from './malformed-event-error';

export const PRE_SIGN_UP_TRIGGERS = ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser'] as const;
export const CONFIRM_SIGN_UP_TRIGGER = 'PostConfirmation_ConfirmSignUp';
export const CONFIRM_FORGOT_PASSWORD_TRIGGER = 'PostConfirmation_ConfirmForgotPassword';

function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new MalformedEventError(`the event has no ${what}`);
  return value;
}

/** The sub becomes the tenant's owner: refused here unless the registry would accept it (its job would fail for ever). */
function requireOwner(value: unknown): string {
  const sub = requireString(value, 'request.userAttributes.sub');
  if (!OWNER_PATTERN.test(sub)) throw new MalformedEventError('request.userAttributes.sub is not an opaque user id');
  return sub;
}

function attributesOf(event: unknown): Record<string, unknown> {
  const attributes = (event as { request?: { userAttributes?: unknown } } | null)?.request?.userAttributes;
  if (typeof attributes !== 'object' || attributes === null) throw new MalformedEventError('the event has no request.userAttributes');
  return attributes as Record<string, unknown>;
}

export interface PreSignUpRequest {
  readonly event: PreSignUpTriggerEvent;
  /** Possibly missing or malformed: the guard refuses those with a message for the user. */
  readonly email: unknown;
}

export function parsePreSignUpEvent(event: unknown): PreSignUpRequest {
  const triggerSource = (event as { triggerSource?: unknown } | null)?.triggerSource;
  if (!(PRE_SIGN_UP_TRIGGERS as readonly unknown[]).includes(triggerSource)) {
    throw new MalformedEventError(`pre-signup handles ${PRE_SIGN_UP_TRIGGERS.join(' and ')}, not ${JSON.stringify(triggerSource ?? null)}`);
  }
  return { event: event as PreSignUpTriggerEvent, email: attributesOf(event).email };
}

export type PostConfirmationRequest =
  | {
      readonly kind: 'confirm-sign-up';
      readonly event: PostConfirmationTriggerEvent;
      readonly userPoolId: string;
      readonly userName: string;
      readonly sub: string;
      readonly email: string;
    }
  /** A password reset: nothing about the tenant changes. */
  | { readonly kind: 'ignored'; readonly event: PostConfirmationTriggerEvent };

export function parsePostConfirmationEvent(event: unknown): PostConfirmationRequest {
  const triggerSource = (event as { triggerSource?: unknown } | null)?.triggerSource;
  if (triggerSource === CONFIRM_FORGOT_PASSWORD_TRIGGER) return { kind: 'ignored', event: event as PostConfirmationTriggerEvent };
  if (triggerSource !== CONFIRM_SIGN_UP_TRIGGER) {
    throw new MalformedEventError(
      `post-confirmation handles ${CONFIRM_SIGN_UP_TRIGGER} and ${CONFIRM_FORGOT_PASSWORD_TRIGGER}, not ${JSON.stringify(triggerSource ?? null)}`,
    );
  }
  const e = event as { userPoolId?: unknown; userName?: unknown };
  const attributes = attributesOf(event);
  return {
    kind: 'confirm-sign-up',
    event: event as PostConfirmationTriggerEvent,
    userPoolId: requireString(e.userPoolId, 'userPoolId'),
    userName: requireString(e.userName, 'userName'),
    sub: requireOwner(attributes.sub),
    email: requireString(attributes.email, 'request.userAttributes.email'),
  };
}
