import { CognitoUserInvitations, InvitationRefusedError, type UserInvitation } from '@openclaw-tenancy/lambdas';
import { LocalUserInvitations, temporaryPassword } from '../src/identity/local-user-invitations';

/** The pool as far as the invitation reaches it: what it was asked to create. */
function recordingPool(): { pool: CognitoUserInvitations; created: UserInvitation[] } {
  const created: UserInvitation[] = [];
  const pool = {
    invite: async (invitation: UserInvitation) => {
      created.push(invitation);
      return { sub: 'sub-1', email: invitation.email, userPoolId: 'local_pool', userName: 'sub-1' };
    },
  } as unknown as CognitoUserInvitations;
  return { pool, created };
}

describe('invitations on the local platform', () => {
  const base = { userPoolId: 'local_pool', appClientId: 'client', region: 'eu-west-1' };

  it('runs the PreSignUp handler with the AdminCreateUser trigger first, then creates the user and announces its password', async () => {
    const { pool, created } = recordingPool();
    const events: Array<{ triggerSource: string; request: { userAttributes: { email: string } } }> = [];
    const announced: Array<[string, string]> = [];
    const invitations = new LocalUserInvitations({
      ...base,
      pool,
      preSignUp: async (event) => void events.push(event as (typeof events)[number]),
      announce: (email, password) => void announced.push([email, password]),
    });
    await invitations.invite({ email: 'ivy@example.com', name: 'Ivy' });
    expect(events.map((e) => [e.triggerSource, e.request.userAttributes.email])).toEqual([
      ['PreSignUp_AdminCreateUser', 'ivy@example.com'],
    ]);
    expect(created).toEqual([{ email: 'ivy@example.com', name: 'Ivy', sendEmail: false, temporaryPassword: announced[0]?.[1] }]);
    expect(announced[0]?.[0]).toBe('ivy@example.com');
  });

  it('refuses what the PreSignUp handler refuses, in its words, and creates nothing', async () => {
    const { pool, created } = recordingPool();
    const invitations = new LocalUserInvitations({
      ...base,
      pool,
      preSignUp: async () => {
        throw new Error('Sign-up is open to example.com addresses only.');
      },
      announce: () => undefined,
    });
    await expect(invitations.invite({ email: 'eve@elsewhere.org' })).rejects.toThrow(
      new InvitationRefusedError('PreSignUp failed with error Sign-up is open to example.com addresses only.'),
    );
    expect(created).toEqual([]);
  });

  it('makes temporary passwords the pool policy accepts, a new one each time', () => {
    const passwords = Array.from({ length: 20 }, temporaryPassword);
    // The pool's policy (TenantUserPool): 12+ characters with upper case, lower case and a digit.
    for (const p of passwords) expect([p.length >= 12, /[A-Z]/.test(p), /[a-z]/.test(p), /\d/.test(p)]).toEqual([true, true, true, true]);
    expect(new Set(passwords).size).toBe(20);
  });
});
