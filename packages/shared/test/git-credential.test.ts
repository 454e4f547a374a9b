import { GIT_CREDENTIAL_KEYS, gitCredentialProblem, parseGitCredential } from '../src';

describe('the Git credential secret', () => {
  it('accepts exactly {"username","password"} with non-empty strings', () => {
    expect(GIT_CREDENTIAL_KEYS).toEqual(['username', 'password']);
    expect(gitCredentialProblem({ username: 'bot', password: 'p' })).toBeUndefined();
    expect(parseGitCredential({ username: 'bot', password: 'p' }, 'openclaw/platform/gitops-credentials')).toEqual({
      username: 'bot',
      password: 'p',
    });
  });

  it('fails for every other shape, naming the problem and never the value', () => {
    expect(gitCredentialProblem(null)).toBe('the value is not a JSON object');
    expect(gitCredentialProblem(['bot', 'p'])).toBe('the value is not a JSON object');
    expect(gitCredentialProblem({ token: 'ghp_s3cr3t' })).toBe('the JSON object lacks a non-empty string "username" and "password"');
    expect(gitCredentialProblem({ username: 'bot', password: '' })).toBe('the JSON object lacks a non-empty string "password"');
    expect(gitCredentialProblem({ username: 'bot', password: 'p', sshKey: 'k' })).toBe(
      'the JSON object has keys the platform does not read: "sshKey"',
    );
    let message = '';
    try {
      parseGitCredential({ username: 'bot', token: 'ghp_s3cr3t' }, 'openclaw/platform/gitops-credentials');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^secret openclaw\/platform\/gitops-credentials must be a JSON object/);
    expect(message).not.toContain('ghp_s3cr3t');
  });
});
