/**
 * Cognito errors as sentences a person can act on: "not confirmed" means the
 * e-mail code was never entered (not "pending admin approval"), and PreSignUp
 * refusals show the guard's own message.
 */
import { CognitoError } from './cognito-api';
import { PASSWORD_POLICY_TEXT } from './form-rules';

export type FlowStep = 'sign-up' | 'confirm' | 'resend' | 'sign-in' | 'new-password' | 'mfa' | 'forgot' | 'reset' | 'refresh' | 'sign-out';

const TRIGGER_FAILURE = /^(PreSignUp|pre-?sign-?up|PostConfirmation|post-?confirmation)\s+failed with error\s+(.+?)\.?$/i;

export function friendlyCognitoError(error: unknown, step: FlowStep): string {
  if (!(error instanceof CognitoError)) return 'Something went wrong. Please try again.';
  const { type, message } = error;
  switch (type) {
    case 'NetworkError':
      return 'Cannot reach the sign-in service. Check your connection and try again.';
    case 'SessionEndpointUnavailable':
      return 'Sign-in is unavailable: the session service of this site did not answer. Please contact your administrator.';
    case 'UserLambdaValidationException': {
      const m = TRIGGER_FAILURE.exec(message);
      if (m && /pre/i.test(m[1] ?? '')) return m[2] ?? message;
      return m ? `We could not finish setting up your account: ${m[2]}` : 'Your request was refused. Please contact your administrator.';
    }
    case 'UsernameExistsException':
      return 'An account with this e-mail already exists. Sign in, or reset your password.';
    case 'InvalidPasswordException':
      // cognito-local answers a wrong password at sign-in with this type.
      return step === 'sign-in' ? 'Incorrect e-mail or password.' : `This password is not accepted. ${PASSWORD_POLICY_TEXT}`;
    case 'NoChallenge':
      return step === 'mfa'
        ? 'This sign-in has expired. Sign in again.'
        : 'This sign-in has expired. Sign in again with the password from your invitation.';
    case 'NotAuthorizedException':
      if (step === 'refresh') return 'Your session has ended. Please sign in again.';
      if (step === 'new-password') return 'This sign-in has expired. Sign in again with the password from your invitation.';
      if (step === 'mfa') return 'This sign-in has expired. Sign in again.';
      return step === 'sign-in' ? 'Incorrect e-mail or password.' : 'This action is not allowed. Please sign in again.';
    case 'UserNotFoundException':
      return step === 'forgot' || step === 'reset'
        ? 'If an account exists for this e-mail, check it for a code.'
        : 'Incorrect e-mail or password.';
    case 'UserNotConfirmedException':
      return 'Your e-mail address is not verified yet. Enter the code we sent you.';
    case 'CodeMismatchException':
      return step === 'mfa'
        ? 'That code is not correct. Enter the code your authenticator app shows now.'
        : 'That code is not correct. Check the e-mail and try again.';
    case 'ExpiredCodeException':
      return 'That code has expired. Use "Send a new code" to get a new one.';
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return 'Too many attempts. Please wait a few minutes and try again.';
    case 'CodeDeliveryFailureException':
      return 'We could not send the e-mail. Please try again later.';
    case 'InvalidParameterException':
      return 'Some details were not accepted. Check the form and try again.';
    default:
      return `Something went wrong (${type}). Please try again.`;
  }
}
