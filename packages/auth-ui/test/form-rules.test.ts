import { CognitoError } from '../src/cognito-api';
import { friendlyCognitoError } from '../src/cognito-errors';
import { codeProblem, emailProblem, nameProblem, newPasswordProblem, passwordRulesMet } from '../src/form-rules';

describe('form rules', () => {
  it('accepts ordinary names, refuses markup, control characters and overlong names', () => {
    for (const ok of ['Alice', "Seán O'Brien", 'Zoë Saldaña-Pérez', '李小龍', 'J. R. R. Tolkien']) expect(nameProblem(ok)).toBeUndefined();
    expect(nameProblem('<script>alert(1)</script>')).toMatch(/only contain letters/);
    expect(nameProblem('Alice\u0000')).toMatch(/only contain letters/);
    expect(nameProblem('a'.repeat(65))).toMatch(/at most 64/);
    expect(nameProblem('   ')).toBe('Enter your name.');
  });

  it('checks e-mail addresses with the shared parser', () => {
    expect(emailProblem('alice@example.com')).toBeUndefined();
    expect(emailProblem('alice@@example.com')).toMatch(/exactly one "@"/);
    expect(emailProblem('"allowed.com"@evil.com')).toMatch(/not allowed/);
  });

  it('states the password policy and the code format', () => {
    expect(passwordRulesMet('abcdefghijkL1')).toEqual({ length: true, upper: true, lower: true, digit: true });
    expect(newPasswordProblem('Short1a')).toMatch(/at least 12/);
    expect(newPasswordProblem('Long-enough-1')).toBeUndefined();
    expect(codeProblem('123456')).toBeUndefined();
    expect(codeProblem('12345a')).toMatch(/6 digits/);
  });
});

describe('friendly Cognito errors', () => {
  it('shows the PreSignUp refusal text itself, in both spellings of the trigger name', () => {
    expect(
      friendlyCognitoError(
        new CognitoError('UserLambdaValidationException', 'PreSignUp failed with error Only example.com addresses may sign up.'),
        'sign-up',
      ),
    ).toBe('Only example.com addresses may sign up');
    expect(
      friendlyCognitoError(new CognitoError('UserLambdaValidationException', 'pre-signup failed with error Try again later.'), 'sign-up'),
    ).toBe('Try again later');
  });

  it('does not claim an unconfirmed account awaits admin approval', () => {
    expect(friendlyCognitoError(new CognitoError('UserNotConfirmedException', 'User is not confirmed.'), 'sign-in')).toMatch(
      /not verified yet/,
    );
  });

  it('does not reveal whether an account exists at sign-in', () => {
    const wrong = friendlyCognitoError(new CognitoError('NotAuthorizedException', 'Incorrect username or password.'), 'sign-in');
    expect(friendlyCognitoError(new CognitoError('UserNotFoundException', 'User does not exist.'), 'sign-in')).toBe(wrong);
    expect(friendlyCognitoError(new CognitoError('InvalidPasswordException', 'Invalid password'), 'sign-in')).toBe(wrong);
  });

  it('explains the password policy at sign-up and unreachable service errors', () => {
    expect(friendlyCognitoError(new CognitoError('InvalidPasswordException', 'Password did not conform with policy'), 'sign-up')).toMatch(
      /12 characters/,
    );
    expect(friendlyCognitoError(new CognitoError('NetworkError', ''), 'sign-in')).toMatch(/Cannot reach/);
    expect(friendlyCognitoError(new CognitoError('SessionEndpointUnavailable', 'HTTP 403'), 'sign-in')).toMatch(
      /session service of this site did not answer/,
    );
  });
});
