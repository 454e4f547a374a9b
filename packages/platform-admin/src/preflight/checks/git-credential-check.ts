import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PlatformConfig, gitCredentialProblem } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass, unreachable } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const ID = 'git-credential';
const TITLE = 'Git credential secret (gitops.credentialsSecretName)';

/**
 * What is wrong with the secret's string value, or undefined when it has the
 * shape the platform reads (`gitCredentialProblem` in shared). Never includes the value.
 */
export function gitCredentialShapeProblem(secretString: string | undefined): string | undefined {
  if (secretString === undefined) return 'the secret has no string value (binary secrets are not read)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    return 'the value is not JSON';
  }
  return gitCredentialProblem(parsed);
}

/** The provisioner's credential and, when it is a separate secret, Argo CD's read credential. */
export async function checkGitCredential(
  config: PlatformConfig,
  clients: Pick<PreflightClients, 'secretsManager'>,
): Promise<CheckResult[]> {
  const results = [await checkOneCredential(config, clients, config.gitops.credentialsSecretName, ID, TITLE)];
  const argoCd = config.gitops.argoCdCredentialsSecretName;
  if (argoCd && argoCd !== config.gitops.credentialsSecretName) {
    results.push(
      await checkOneCredential(
        config,
        clients,
        argoCd,
        `${ID}:argocd`,
        "Argo CD's Git credential secret (gitops.argoCdCredentialsSecretName)",
      ),
    );
  }
  return results;
}

async function checkOneCredential(
  config: PlatformConfig,
  clients: Pick<PreflightClients, 'secretsManager'>,
  name: string,
  id: string,
  title: string,
): Promise<CheckResult> {
  const create = `write {"username": "<bot user>", "password": "<token>"} to a file and run: aws secretsmanager create-secret --region ${config.aws.region} --name ${name} --secret-string file://<file> (then delete the file)`;
  try {
    const described = await clients.secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
    if (described.DeletedDate)
      return fail(
        id,
        title,
        `${name} is scheduled for deletion`,
        `aws secretsmanager restore-secret --region ${config.aws.region} --secret-id ${name}`,
      );
  } catch (e) {
    if (awsErrorName(e) === 'ResourceNotFoundException') return fail(id, title, `${name} does not exist in ${config.aws.region}`, create);
    return unreachable(id, title, 'secretsmanager:DescribeSecret', e);
  }
  try {
    const value = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: name }));
    const problem = gitCredentialShapeProblem(value.SecretString);
    return problem
      ? fail(
          id,
          title,
          `${name}: ${problem}`,
          `put a value of the shape {"username": "...", "password": "..."}: aws secretsmanager put-secret-value --region ${config.aws.region} --secret-id ${name} --secret-string file://<file>`,
        )
      : pass(id, title, `${name} exists and holds a username and a password`);
  } catch (e) {
    return unreachable(id, title, 'secretsmanager:GetSecretValue', e);
  }
}
