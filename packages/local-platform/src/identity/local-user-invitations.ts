/**
 * Invitations on one machine: the same `AdminCreateUser` as in AWS
 * (`CognitoUserInvitations`, against cognito-local), with the two things
 * Cognito does that cognito-local does not:
 *
 * - Cognito runs the pool's PreSignUp trigger for `AdminCreateUser`
 *   (`PreSignUp_AdminCreateUser`), so the domain allowlist and the limits hold
 *   for invitations; here the platform's own pre-signup handler is invoked
 *   with that event first;
 * - Cognito e-mails the temporary password; cognito-local sends no e-mail, so
 *   the password is handed to `announce` (the platform prints it, as it prints
 *   confirmation codes).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CognitoUserInvitations,
  InvitationRefusedError,
  type InvitedUser,
  type UserInvitation,
  type UserInvitations,
} from '@openclaw-tenancy/lambdas';
import { type InvocableHandler, localLambdaContext } from '@openclaw-tenancy/lambdas/testing';

export interface LocalUserInvitationsOptions {
  readonly pool: CognitoUserInvitations;
  readonly userPoolId: string;
  readonly appClientId: string;
  readonly region: string;
  /** The platform's PreSignUp handler (the trigger cognito-local runs for a sign-up). */
  readonly preSignUp: InvocableHandler;
  /** Where the temporary password goes instead of an e-mail. */
  readonly announce: (email: string, temporaryPassword: string) => void;
}

/** A temporary password the pool's policy accepts: upper and lower case, digits, 12+ characters. */
export function temporaryPassword(): string {
  return `Tmp-${randomBytes(9).toString('base64url')}-7a`;
}

export class LocalUserInvitations implements UserInvitations {
  constructor(private readonly options: LocalUserInvitationsOptions) {}

  async invite(invitation: UserInvitation): Promise<InvitedUser> {
    const event = {
      version: '1',
      region: this.options.region,
      userPoolId: this.options.userPoolId,
      userName: randomUUID(),
      triggerSource: 'PreSignUp_AdminCreateUser',
      callerContext: { awsSdkVersion: 'local', clientId: this.options.appClientId },
      request: { userAttributes: { email: invitation.email } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    };
    try {
      await this.options.preSignUp(event, localLambdaContext('pre-signup'));
    } catch (e) {
      throw new InvitationRefusedError(`PreSignUp failed with error ${(e as Error).message}`);
    }
    const password = temporaryPassword();
    const user = await this.options.pool.invite({ ...invitation, sendEmail: false, temporaryPassword: password });
    this.options.announce(user.email, password);
    return user;
  }
}
