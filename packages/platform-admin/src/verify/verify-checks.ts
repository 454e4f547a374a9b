/**
 * `platform-admin verify`: the health of a deployed platform on one screen,
 * read-only, each failing item with a fix. Checks: every platform function
 * active, Cognito's sign-up triggers wired to the platform's functions, no
 * job in a dead-letter queue, no platform alarm firing, the GitOps registry
 * readable, and the edge answering (the auth UI, and a tenant path refused
 * without a token as the edge contract requires).
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readRegistry, type GitOpsRepository, type ManifestRenderer } from '@openclaw-tenancy/lambdas';
import { PLATFORM_FUNCTIONS, PlatformConfig, platformFunctionName, publicOrigin, tenantNames } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass } from '../preflight/check-result';
import type { PlatformDeployment } from '../lifecycle/platform-deployment';

export interface VerifyPorts {
  readonly config: PlatformConfig;
  readonly deployment: PlatformDeployment;
  readonly lambda: LambdaClient;
  readonly sqs: SQSClient;
  readonly cloudWatch: CloudWatchClient;
  readonly cognito: CognitoIdentityProviderClient;
  readonly repository: GitOpsRepository;
  readonly renderer: ManifestRenderer;
  /** HTTP GET without credentials or redirects; resolves to the status code. */
  readonly httpStatus: (url: string) => Promise<number>;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly results: readonly CheckResult[];
}

/** An id no tenant can have (ids never end in a hyphen): the edge must refuse it like any tenant path without a token. */
const PROBE_TENANT_ID = 'verify-probe';

type Check = (ports: VerifyPorts) => Promise<CheckResult[]>;

function failedCall(id: string, title: string, call: string, error: unknown): CheckResult {
  const message = error instanceof Error ? error.message : String(error);
  return fail(
    id,
    title,
    `${call} failed: ${awsErrorName(error)}: ${message}`,
    `allow ${call} for the operator's role (verify only reads), check the AWS credentials and region, then run verify again`,
  );
}

const functionsCheck: Check = async ({ config, lambda }) =>
  Promise.all(
    PLATFORM_FUNCTIONS.map(async (fn): Promise<CheckResult> => {
      const name = platformFunctionName(config.platformName, fn);
      const id = `function:${fn}`;
      const title = `function ${name}`;
      try {
        const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
        if (c.State !== 'Active' || c.LastUpdateStatus === 'Failed') {
          return fail(
            id,
            title,
            `state ${c.State ?? '?'}, last update ${c.LastUpdateStatus ?? '?'}${c.StateReason ? ` (${c.StateReason})` : ''}`,
            `deploy the ${config.platformName}-control-plane stack again; its events name the failing update`,
          );
        }
        return pass(id, title, 'active');
      } catch (e) {
        if (awsErrorName(e) === 'ResourceNotFoundException')
          return fail(id, title, 'not deployed', `deploy the ${config.platformName}-control-plane stack (docs/operations/README.md)`);
        return failedCall(id, title, 'lambda:GetFunctionConfiguration', e);
      }
    }),
  );

const signUpTriggersCheck: Check = async ({ config, cognito }) => {
  const id = 'sign-up-triggers';
  const title = 'Cognito sign-up triggers';
  const poolId = config.identity?.userPoolId;
  if (!poolId)
    return [
      fail(
        id,
        title,
        'identity.userPoolId is not set in the config',
        'set identity.userPoolId to the control-plane stack output UserPoolId',
      ),
    ];
  try {
    const pool = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    const lambdaConfig = pool.UserPool?.LambdaConfig ?? {};
    const wrong = (
      [
        ['PreSignUp', lambdaConfig.PreSignUp, 'pre-signup'],
        ['PostConfirmation', lambdaConfig.PostConfirmation, 'post-confirmation'],
      ] as const
    ).filter(([, arn, fn]) => !arn?.endsWith(`:function:${platformFunctionName(config.platformName, fn)}`));
    if (wrong.length > 0) {
      return [
        fail(
          id,
          title,
          `${wrong.map(([trigger, arn]) => `${trigger} is ${arn ?? 'not set'}`).join('; ')}`,
          `deploy the ${config.platformName}-control-plane stack again: it wires both triggers; a trigger changed by hand is drift`,
        ),
      ];
    }
    return [pass(id, title, `PreSignUp and PostConfirmation of ${poolId} call the platform's functions`)];
  } catch (e) {
    return [failedCall(id, title, 'cognito-idp:DescribeUserPool', e)];
  }
};

const deadLetterCheck: Check = async ({ deployment, sqs }) =>
  Promise.all(
    (
      [
        ['provisioning', deployment.provisioningQueueUrl],
        ['offboarding', deployment.offboardingQueueUrl],
      ] as const
    ).map(async ([queue, url]): Promise<CheckResult> => {
      const id = `dead-letter:${queue}`;
      const title = `${queue} dead-letter queue`;
      try {
        const source = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }));
        const dlqArn = (JSON.parse(source.Attributes?.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string }).deadLetterTargetArn;
        if (!dlqArn)
          return fail(
            id,
            title,
            `${url} has no redrive policy`,
            `deploy the control-plane stack again: every job queue has a dead-letter queue`,
          );
        const [, , , , account, name] = dlqArn.split(':');
        const dlq = await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
        const attributes = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        const count = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? '0');
        if (count > 0) {
          return fail(
            id,
            title,
            `${count} failed ${queue} job(s) in ${name}`,
            `read them (aws sqs receive-message --queue-url ${dlq.QueueUrl ?? name} --max-number-of-messages 10), fix the cause from the function's log group, then move them back (aws sqs start-message-move-task --source-arn ${dlqArn})`,
          );
        }
        return pass(id, title, `empty (${name})`);
      } catch (e) {
        return failedCall(id, title, 'sqs:GetQueueAttributes', e);
      }
    }),
  );

const alarmsCheck: Check = async ({ config, cloudWatch }) => {
  const id = 'alarms';
  const title = 'platform alarms';
  try {
    const firing: string[] = [];
    let nextToken: string | undefined;
    do {
      // Every stack of the platform is named `<platformName>-<layer>`, and so are the alarms CloudFormation names.
      const page = await cloudWatch.send(
        new DescribeAlarmsCommand({
          StateValue: 'ALARM',
          AlarmNamePrefix: `${config.platformName}-`,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) if (a.AlarmName) firing.push(a.AlarmName);
      nextToken = page.NextToken;
    } while (nextToken);
    if (firing.length > 0)
      return [
        fail(
          id,
          title,
          `${firing.length} in ALARM: ${firing.sort().join(', ')}`,
          "each alarm's description names what to look at (aws cloudwatch describe-alarms --state-value ALARM); the alerts topic has the notifications",
        ),
      ];
    return [pass(id, title, 'none in ALARM')];
  } catch (e) {
    return [failedCall(id, title, 'cloudwatch:DescribeAlarms', e)];
  }
};

const registryCheck: Check = async ({ config, repository, renderer }) => {
  const id = 'gitops-registry';
  const title = 'GitOps registry';
  try {
    const records = await repository.read((snapshot) => readRegistry(snapshot, renderer));
    const by = (status: string) => records.filter((r) => r.status === status).length;
    return [
      pass(
        id,
        title,
        `${records.length} tenants at the tip of ${config.gitops.branch}: ${by('active')} active, ${by('suspended')} suspended, ${by('deleted')} offboarded`,
      ),
    ];
  } catch (e) {
    return [
      fail(
        id,
        title,
        `reading ${config.gitops.repoUrl} (${config.gitops.branch}) failed: ${e instanceof Error ? e.message : String(e)}`,
        `check gitops.repoUrl and gitops.branch, and that the secret gitops.credentialsSecretName holds a working {"username","password"}; every registry file must parse`,
      ),
    ];
  }
};

const edgeCheck: Check = async ({ config, httpStatus }) => {
  const origin = publicOrigin(config);
  const probe = `${origin}${tenantNames(PROBE_TENANT_ID).routePath}/`;
  const results: CheckResult[] = [];
  const site = await httpStatus(`${origin}/`).catch((e: unknown) => e);
  results.push(
    site === 200
      ? pass('edge:site', 'edge: sign-up site', `${origin}/ answers 200`)
      : fail(
          'edge:site',
          'edge: sign-up site',
          `${origin}/ answers ${typeof site === 'number' ? site : String(site)}`,
          'see docs/operations/recovery.md for the CloudFront, DNS and certificate items; the edge stack outputs DistributionDomainName',
        ),
  );
  const tenant = await httpStatus(probe).catch((e: unknown) => e);
  results.push(
    tenant === 401
      ? pass('edge:tenant-refusal', 'edge: tenant path without a token', `${probe} is refused with 401`)
      : fail(
          'edge:tenant-refusal',
          'edge: tenant path without a token',
          `${probe} answers ${typeof tenant === 'number' ? tenant : String(tenant)}, not 401`,
          'a tenant path must be refused without a token (docs/edge-contract.md): check the Envoy Gateway SecurityPolicies (kubectl get securitypolicies -A) and that the platform Application is synced in Argo CD',
        ),
  );
  return results;
};

export const VERIFY_CHECKS: ReadonlyArray<{ readonly name: string; readonly run: Check }> = [
  { name: 'platform functions', run: functionsCheck },
  { name: 'sign-up triggers', run: signUpTriggersCheck },
  { name: 'dead-letter queues', run: deadLetterCheck },
  { name: 'alarms', run: alarmsCheck },
  { name: 'GitOps registry', run: registryCheck },
  { name: 'edge', run: edgeCheck },
];

export async function runVerify(
  ports: VerifyPorts,
  onChecked: (name: string, results: readonly CheckResult[]) => void = () => undefined,
): Promise<VerifyReport> {
  const results: CheckResult[] = [];
  for (const check of VERIFY_CHECKS) {
    const r = await check.run(ports);
    onChecked(check.name, r);
    results.push(...r);
  }
  return { ok: results.every((r) => r.status !== 'fail'), results };
}

/** GET without credentials, redirects or body; the status code. */
export async function httpStatusOf(url: string): Promise<number> {
  const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  await response.body?.cancel();
  return response.status;
}
