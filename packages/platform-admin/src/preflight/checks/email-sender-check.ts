import { GetAccountCommand, GetEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass, unreachable, warn } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const IDENTITY = { id: 'ses-identity', title: 'SES identity of the sign-up e-mails (signup.emailSender)' } as const;
const SANDBOX = { id: 'ses-production-access', title: 'SES production access (out of the sandbox)' } as const;

export async function checkEmailSender(config: PlatformConfig, clients: Pick<PreflightClients, 'ses'>): Promise<CheckResult[]> {
  const sender = config.signup.emailSender;
  if (!sender) {
    return [
      warn(
        IDENTITY.id,
        IDENTITY.title,
        "Cognito's own sender is used: about 50 e-mails a day for the whole company",
        'verify a domain in SES, get production access, and set signup.emailSender.fromAddress (and signup.emailSender.sesVerifiedDomain)',
      ),
    ];
  }
  const region = sender.sesRegion ?? config.aws.region;
  const identity = sender.sesVerifiedDomain ?? sender.fromAddress;
  const results: CheckResult[] = [];
  try {
    const found = await clients.ses.send(new GetEmailIdentityCommand({ EmailIdentity: identity }));
    results.push(
      found.VerifiedForSendingStatus
        ? pass(IDENTITY.id, IDENTITY.title, `${identity} is verified for sending in ${region}`)
        : fail(
            IDENTITY.id,
            IDENTITY.title,
            `${identity} exists in ${region} but is not verified for sending`,
            `publish the DKIM records SES shows for ${identity} and wait for verification`,
          ),
    );
  } catch (e) {
    results.push(
      awsErrorName(e) === 'NotFoundException'
        ? fail(
            IDENTITY.id,
            IDENTITY.title,
            `${identity} is not an SES identity in ${region}`,
            `aws sesv2 create-email-identity --region ${region} --email-identity ${identity}, then publish its DKIM records`,
          )
        : unreachable(IDENTITY.id, IDENTITY.title, 'ses:GetEmailIdentity', e),
    );
  }
  try {
    const account = await clients.ses.send(new GetAccountCommand({}));
    if (!account.ProductionAccessEnabled) {
      results.push(
        fail(
          SANDBOX.id,
          SANDBOX.title,
          `the SES account in ${region} is in the sandbox: codes reach only verified addresses`,
          `request production access: SES console in ${region} → Account dashboard → Request production access`,
        ),
      );
    } else if (account.SendingEnabled === false) {
      results.push(
        fail(
          SANDBOX.id,
          SANDBOX.title,
          `sending is paused for the SES account in ${region}`,
          'read the SES account dashboard for the reason and resume sending (aws sesv2 put-account-sending-attributes --sending-enabled)',
        ),
      );
    } else {
      results.push(pass(SANDBOX.id, SANDBOX.title, `production access in ${region}`));
    }
  } catch (e) {
    results.push(unreachable(SANDBOX.id, SANDBOX.title, 'ses:GetAccount', e));
  }
  return results;
}
