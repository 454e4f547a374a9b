/**
 * The real local parts the lifecycle commands run against: dynalite with the
 * platform's table schemas (the lambdas' test support), a bare GitOps
 * repository served by the real `git http-backend` and written through the
 * lambdas' own Git adapter, and the lambdas' adapters for everything else,
 * whose AWS SDK clients are mocked at the SDK boundary.
 */
import './aws-test-env';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { IsomorphicGitRepository, tenantFilesChange, tenantManifestsRenderer } from '@openclaw-tenancy/lambdas';
import { LocalDynamoDb, startGitHttpServer, startLocalDynamoDb, testGit, type GitHttpServer } from '@openclaw-tenancy/lambdas/testing';
import { newTenantRecord, type PlatformConfig, type TenantRecord } from '@openclaw-tenancy/shared';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { lifecyclePortsFor } from '../../src/lifecycle/aws-lifecycle-ports';
import type { LifecyclePorts } from '../../src/lifecycle/lifecycle-ports';
import type { PlatformDeployment } from '../../src/lifecycle/platform-deployment';

export const DEPLOYMENT: PlatformDeployment = {
  tenantTable: 'tenants',
  signupGuardTable: 'signup-guard',
  provisioningQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-provisioning',
  offboardingQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/openclaw-offboarding',
};

const GIT_CREDENTIALS = { username: 'operator', password: 'test-only-password' };
const GIT = testGit('seed');

export const git = (cwd: string, ...args: string[]): string => GIT.run(cwd, ...args);

export const sqs = mockClient(SQSClient);
export const cognito = mockClient(CognitoIdentityProviderClient);
export const cloudWatch = mockClient(CloudWatchClient);
export const secretsManager = mockClient(SecretsManagerClient);
export const eks = mockClient(EKSClient);
export const bedrock = mockClient(BedrockClient);

export function resetAwsMocks(): void {
  for (const m of [sqs, cognito, cloudWatch, secretsManager, eks, bedrock]) m.reset();
  cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  bedrock.on(ListInferenceProfilesCommand).resolves({ inferenceProfileSummaries: [] });
}

/**
 * Answers GetMetricData as CloudWatch does: `AWS/Bedrock` per `ModelId` dimension value and metric,
 * Container Insights running pods per `Namespace` (hourly averages); other queries get no data.
 */
export function bedrockTokens(
  tokens: Readonly<Record<string, { InputTokenCount?: number; OutputTokenCount?: number }>>,
  runningPodsByNamespace: Readonly<Record<string, readonly number[]>> = {},
): void {
  cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const metric = q.MetricStat?.Metric;
      const dims = Object.fromEntries((metric?.Dimensions ?? []).map((d) => [d.Name, d.Value]));
      if (metric?.Namespace === 'ContainerInsights') return { Id: q.Id, Values: [...(runningPodsByNamespace[dims.Namespace ?? ''] ?? [])] };
      const value = tokens[dims.ModelId ?? '']?.[metric?.MetricName as 'InputTokenCount' | 'OutputTokenCount'];
      return { Id: q.Id, Values: value === undefined ? [] : [value] };
    }),
  }));
}

export interface AdminFixture {
  readonly config: PlatformConfig;
  readonly ports: LifecyclePorts;
  readonly dynamo: LocalDynamoDb;
  readonly dynamoClient: DynamoDBClient;
  /** The GitOps remote through the lambdas' Git adapter (what the platform functions use). */
  readonly repository: IsomorphicGitRepository;
  readonly bareDir: string;
  /** Commits on main, newest first (subjects). */
  log(): string[];
  /** A file at the tip of main, or undefined. */
  show(filePath: string): string | undefined;
  /** Writes tenants exactly as the provisioner does (registry file + synthesized folder), one commit. */
  seed(records: readonly TenantRecord[]): Promise<void>;
  setNow(at: Date): void;
  close(): Promise<void>;
}

export interface AdminFixtureOptions {
  /** A user pool to use instead of the SDK mock (cognito-local): its client and pool id. */
  readonly cognito?: { readonly client: CognitoIdentityProviderClient; readonly userPoolId: string };
}

export async function startAdminFixture(options: AdminFixtureOptions = {}): Promise<AdminFixture> {
  const example = loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG);
  const config: PlatformConfig = options.cognito
    ? { ...example, identity: { userPoolId: options.cognito.userPoolId, appClientId: example.identity?.appClientId ?? 'client' } }
    : example;
  const dynamo = await startLocalDynamoDb();
  await dynamo.createPlatformTables({
    tenantTable: DEPLOYMENT.tenantTable,
    signupGuardTable: DEPLOYMENT.signupGuardTable,
    idempotencyTable: 'idempotency',
  });
  const dynamoClient = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-admin-gitops-'));
  const bareDir = path.join(root, 'gitops.git');
  git(root, 'init', '--bare', '--initial-branch=main', bareDir);
  const seedDir = path.join(root, 'seed');
  git(root, 'clone', '--quiet', bareDir, seedDir);
  fs.mkdirSync(path.join(seedDir, 'tenants'));
  fs.writeFileSync(path.join(seedDir, 'tenants', 'README.md'), 'One file per tenant.\n');
  git(seedDir, 'add', '-A');
  git(seedDir, 'commit', '--quiet', '-m', 'Seed the GitOps repository');
  git(seedDir, 'push', '--quiet', 'origin', 'HEAD:main');
  const server: GitHttpServer = await startGitHttpServer({ projectRoot: root, credentials: GIT_CREDENTIALS });
  const repository = new IsomorphicGitRepository({
    url: server.repoUrl('gitops.git'),
    branch: 'main',
    author: { name: 'operator', email: 'operator@example.com' },
    credentials: async () => GIT_CREDENTIALS,
  });

  let now = new Date('2026-11-20T10:00:00Z');
  // The production wiring, on the local table and Git remote; its other SDK clients meet the mocks above.
  const ports: LifecyclePorts = {
    ...lifecyclePortsFor(config, DEPLOYMENT, {
      repository,
      dynamoDb: dynamoClient,
      ...(options.cognito ? { cognito: options.cognito.client } : {}),
    }),
    now: () => now,
  };
  return {
    config,
    ports,
    dynamo,
    dynamoClient,
    repository,
    bareDir,
    log: () => git(bareDir, 'log', '--format=%s', 'main').split('\n').filter(Boolean),
    show: (filePath) => GIT.show(bareDir, 'main', filePath),
    async seed(records) {
      const changes = await Promise.all(records.map((r) => tenantFilesChange(r, config, tenantManifestsRenderer)));
      await repository.commit(`Seed tenants ${records.map((r) => r.id).join(', ')}`, async () => ({
        writes: changes.flatMap((c) => c.writes),
        removeDirectories: changes.flatMap((c) => c.removeDirectories),
      }));
    },
    setNow(at) {
      now = at;
    },
    async close() {
      dynamoClient.destroy();
      await server.close();
      await dynamo.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export function tenant(id: string, owner: string, extra: Partial<TenantRecord> = {}): TenantRecord {
  return { ...newTenantRecord({ id, owner, tier: 'standard', runtime: 'gvisor', createdAt: new Date('2026-11-01T09:00:00Z') }), ...extra };
}

/** Captures a CLI run's output. */
export function captureIo(): { stdout: (t: string) => void; stderr: (t: string) => void; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), out: () => out, err: () => err };
}
