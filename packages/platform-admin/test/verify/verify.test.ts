import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { PLATFORM_FUNCTIONS } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG } from '@openclaw-tenancy/tenant-manifests';
import { runLifecycleCommand } from '../../src/cli/lifecycle-cli';
import { httpStatusOf, type VerifyPorts } from '../../src/verify/verify-checks';
import {
  AdminFixture,
  DEPLOYMENT,
  captureIo,
  cloudWatch,
  cognito,
  resetAwsMocks,
  sqs,
  startAdminFixture,
  tenant,
} from '../support/lifecycle-fixture';

jest.setTimeout(120_000);

const lambda = mockClient(LambdaClient);
const DLQ = (queue: string) => `arn:aws:sqs:eu-west-1:111111111111:openclaw-${queue}-dlq`;
const fnArn = (fn: string) => `arn:aws:lambda:eu-west-1:111111111111:function:openclaw-${fn}`;

/** A stand-in for the public edge on loopback: `/` is the sign-up site, `/t/…` answers `tenantStatus`. */
async function startEdge(tenantStatus: number): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url?.startsWith('/t/') ? tenantStatus : req.url === '/' ? 200 : 404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function healthyAccount(): void {
  resetAwsMocks();
  lambda.reset();
  lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Active', LastUpdateStatus: 'Successful' });
  cognito
    .on(DescribeUserPoolCommand)
    .resolves({ UserPool: { LambdaConfig: { PreSignUp: fnArn('pre-signup'), PostConfirmation: fnArn('post-confirmation') } } });
  sqs
    .on(GetQueueAttributesCommand, { QueueUrl: DEPLOYMENT.provisioningQueueUrl })
    .resolves({ Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ('provisioning'), maxReceiveCount: 3 }) } });
  sqs
    .on(GetQueueAttributesCommand, { QueueUrl: DEPLOYMENT.offboardingQueueUrl })
    .resolves({ Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ('offboarding'), maxReceiveCount: 3 }) } });
  for (const q of ['provisioning', 'offboarding']) {
    const url = `https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-${q}-dlq`;
    sqs.on(GetQueueUrlCommand, { QueueName: `openclaw-${q}-dlq`, QueueOwnerAWSAccountId: '111111111111' }).resolves({ QueueUrl: url });
    sqs.on(GetQueueAttributesCommand, { QueueUrl: url }).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
  }
  cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
}

describe('platform-admin verify', () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await startAdminFixture();
    await fx.seed([
      tenant('alice', 'owner-alice-0001'),
      tenant('bob', 'owner-bob-00001', { status: 'suspended', suspendedAt: '2026-11-10T00:00:00Z', statusReason: 'budget' }),
    ]);
  });
  afterAll(async () => fx.close());

  async function verify(edgeOrigin: string, ...args: string[]) {
    const config = { ...fx.config, domain: { ...fx.config.domain, publicOrigin: edgeOrigin } };
    const ports: VerifyPorts = {
      config,
      deployment: DEPLOYMENT,
      lambda: new LambdaClient({}),
      sqs: new SQSClient({}),
      cloudWatch: new CloudWatchClient({}),
      cognito: new CognitoIdentityProviderClient({}),
      repository: fx.repository,
      renderer: fx.ports.renderer,
      httpStatus: httpStatusOf,
    };
    const io = captureIo();
    const code = await runLifecycleCommand('verify', [...args, '--config', EXAMPLE_PLATFORM_CONFIG], {
      baseDir: process.cwd(),
      stdout: io.stdout,
      stderr: io.stderr,
      verifyPortsFor: async () => ports,
    });
    return { code, out: io.out(), err: io.err() };
  }

  it('a healthy platform: every item passes, exit 0', async () => {
    healthyAccount();
    const edge = await startEdge(401);
    try {
      const r = await verify(edge.origin, '--json');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.out) as { ok: boolean; results: Array<{ id: string; status: string; detail: string }> };
      expect(report.ok).toBe(true);
      expect(report.results.map((x) => x.id)).toEqual([
        ...PLATFORM_FUNCTIONS.map((fn) => `function:${fn}`),
        'sign-up-triggers',
        'dead-letter:provisioning',
        'dead-letter:offboarding',
        'alarms',
        'gitops-registry',
        'edge:site',
        'edge:tenant-refusal',
      ]);
      expect(report.results.every((x) => x.status === 'pass')).toBe(true);
      expect(report.results.find((x) => x.id === 'gitops-registry')?.detail).toBe(
        '2 tenants at the tip of main: 1 active, 1 suspended, 0 offboarded',
      );
      expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
        StateValue: 'ALARM',
        AlarmNamePrefix: 'openclaw-',
      });
      expect(r.err).toMatch(/checked dead-letter queues/);
    } finally {
      await edge.close();
    }
  });

  it('each problem fails its item with a fix; exit 1', async () => {
    healthyAccount();
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: 'openclaw-offboarder' })
      .resolves({ State: 'Active', LastUpdateStatus: 'Failed' });
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: 'openclaw-cost-enforcer' })
      .rejects(Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException' }));
    cognito.on(DescribeUserPoolCommand).resolves({
      UserPool: {
        LambdaConfig: {
          PreSignUp: 'arn:aws:lambda:eu-west-1:111111111111:function:someone-elses',
          PostConfirmation: fnArn('post-confirmation'),
        },
      },
    });
    sqs
      .on(GetQueueAttributesCommand, { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-provisioning-dlq' })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '3' } });
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'openclaw-control-plane-ProvisionerErrorAlarm-1' }] });
    // An edge that lets a tenant path through without a token.
    const edge = await startEdge(200);
    try {
      const r = await verify(edge.origin);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(
        /\[FAIL\] function openclaw-offboarder: state Active, last update Failed\n {7}fix: deploy the openclaw-control-plane stack again/,
      );
      expect(r.out).toMatch(/\[FAIL\] function openclaw-cost-enforcer: not deployed/);
      expect(r.out).toMatch(/\[FAIL\] Cognito sign-up triggers: PreSignUp is arn:aws:lambda:eu-west-1:111111111111:function:someone-elses/);
      expect(r.out).toMatch(
        /\[FAIL\] provisioning dead-letter queue: 3 failed provisioning job\(s\) in openclaw-provisioning-dlq\n {7}fix: read them .*start-message-move-task --source-arn arn:aws:sqs:eu-west-1:111111111111:openclaw-provisioning-dlq/,
      );
      expect(r.out).toMatch(/\[PASS\] offboarding dead-letter queue: empty/);
      expect(r.out).toMatch(/\[FAIL\] platform alarms: 1 in ALARM: openclaw-control-plane-ProvisionerErrorAlarm-1/);
      expect(r.out).toMatch(
        /\[FAIL\] edge: tenant path without a token: .*\/t\/verify-probe\/ answers 200, not 401\n {7}fix: a tenant path must be refused/,
      );
      expect(r.out).toMatch(/\[PASS\] edge: sign-up site/);
      expect(r.out).toMatch(/\d+ passed, 0 warnings, 6 failed: fix every FAIL above/);
    } finally {
      await edge.close();
    }
  });

  it('a call AWS refuses fails its item (never a silent pass), and an unreachable edge fails too', async () => {
    healthyAccount();
    cloudWatch.on(DescribeAlarmsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const r = await verify('http://127.0.0.1:9', '--json');
    expect(r.code).toBe(1);
    const results = (JSON.parse(r.out) as { results: Array<{ id: string; status: string; detail: string; fix?: string }> }).results;
    expect(results.find((x) => x.id === 'alarms')).toMatchObject({
      status: 'fail',
      detail: 'cloudwatch:DescribeAlarms failed: AccessDenied: not authorized',
      fix: expect.stringMatching(/allow cloudwatch:DescribeAlarms/),
    });
    expect(results.find((x) => x.id === 'edge:site')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/recovery\.md/) });
  });
});
