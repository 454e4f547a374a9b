import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListRecoveryPointsByResourceCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { EXAMPLE_PLATFORM_CONFIG, loadPlatformConfigFile } from '@openclaw-tenancy/tenant-manifests';
import { runLifecycleCommand } from '../../src/cli/lifecycle-cli';
import { LifecycleRefusal, EXIT_CODES } from '../../src/lifecycle/lifecycle-refusal';
import { AwsTenantBackups } from '../../src/restore/aws-tenant-backups';
import { executeRestorePlan } from '../../src/restore/restore-executor';
import { buildRestorePlan, restoreMetadataFor } from '../../src/restore/restore-plan';
import type { BackupTarget, RecoveryPoint } from '../../src/restore/restore-ports';
import { AdminFixture, captureIo, resetAwsMocks, startAdminFixture, tenant } from '../support/lifecycle-fixture';

jest.setTimeout(120_000);

const config = loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG);
const FS_ARN = 'arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-0123456789abcdef0';
const TARGET: BackupTarget = {
  fileSystemArn: FS_ARN,
  fileSystemId: 'fs-0123456789abcdef0',
  vaultName: 'openclaw-data-vault',
  backupRoleArn: 'arn:aws:iam::111111111111:role/openclaw-data-backup',
};
const RESTORE_ROLE = 'arn:aws:iam::111111111111:role/openclaw-restore';
const point = (id: string, createdAt: string, status = 'COMPLETED'): RecoveryPoint => ({
  arn: `arn:aws:backup:eu-west-1:111111111111:recovery-point:${id}`,
  vaultName: TARGET.vaultName,
  createdAt: new Date(createdAt),
  status,
});
const POINTS = [
  point('rp-17', '2026-11-17T03:00:00Z'),
  point('rp-18', '2026-11-18T03:00:00Z'),
  point('rp-19', '2026-11-19T03:00:00Z', 'PARTIAL'),
  point('rp-20', '2026-11-20T03:00:00Z'),
];
const NOW = new Date('2026-11-20T10:00:00Z');
const active = tenant('jane', 'owner-jane-0001');

describe('buildRestorePlan', () => {
  const plan = (over: Partial<Parameters<typeof buildRestorePlan>[0]> = {}) =>
    buildRestorePlan({ config, tenantId: 'jane', now: NOW, record: active, target: TARGET, recoveryPoints: POINTS, ...over });

  it('takes the newest completed recovery point at or before --at and orders the steps', () => {
    const p = plan({ at: '2026-11-19T18:00:00Z' });
    // rp-19 is PARTIAL: never restored from.
    expect(p.recoveryPoint).toEqual({ arn: POINTS[1]?.arn, createdAt: '2026-11-18T03:00:00Z', vaultName: TARGET.vaultName });
    expect(p.steps.map((s) => s.kind)).toEqual(['suspend', 'confirm-stopped', 'rollback-backup', 'restore-items', 'swap', 'resume']);
    expect(p.steps.find((s) => s.kind === 'restore-items')).toEqual({
      kind: 'restore-items',
      recoveryPointArn: POINTS[1]?.arn,
      itemsToRestore: ['/tenants/openclaw-jane'],
    });
    expect(p.steps.find((s) => s.kind === 'rollback-backup')).toEqual({
      kind: 'rollback-backup',
      vaultName: TARGET.vaultName,
      resourceArn: FS_ARN,
      iamRoleArn: TARGET.backupRoleArn,
    });
    expect(plan().recoveryPoint.createdAt).toBe('2026-11-20T03:00:00Z');
  });

  it('a tenant suspended for another reason is neither suspended again nor resumed afterwards', () => {
    const p = plan({ record: { ...active, status: 'suspended', suspendedAt: '2026-11-19T00:00:00Z', statusReason: 'budget' } });
    expect(p.steps.map((s) => s.kind)).toEqual(['confirm-stopped', 'rollback-backup', 'restore-items', 'swap']);
  });

  it('a tenant an interrupted restore suspended is resumed afterwards', () => {
    const p = plan({ record: { ...active, status: 'suspended', suspendedAt: '2026-11-19T00:00:00Z', statusReason: 'restore' } });
    expect(p.steps.map((s) => s.kind)).toEqual(['confirm-stopped', 'rollback-backup', 'restore-items', 'swap', 'resume']);
  });

  it.each([
    [
      '--at before the oldest point',
      { at: '2026-11-16T00:00:00Z' },
      /no completed recovery point of fs-0123456789abcdef0 at or before 2026-11-16T00:00:00Z; the oldest is 2026-11-17T03:00:00Z/,
    ],
    ['no recovery point yet', { recoveryPoints: [] }, /there is none yet/],
    ['an unknown tenant', { record: undefined }, /no tenant "jane" in the registry/],
    ['an offboarded tenant', { record: { ...active, status: 'deleted' as const, deletedAt: '2026-11-19T00:00:00Z' } }, /offboarded/],
    ['no backup plan', { target: undefined }, /no backup plan openclaw-tenant-data/],
  ])('fails if %s (refused)', (_name, over, message) => {
    expect(() => plan(over)).toThrow(LifecycleRefusal);
    expect(() => plan(over)).toThrow(message);
  });

  it.each([
    ['2026-11-21T00:00:00Z', /in the future/],
    ['yesterday', /ISO 8601 time with a zone/],
    ['2026-11-19T18:00:00', /ISO 8601 time with a zone/],
  ])('fails if --at is %s', (at, message) => {
    expect(() => plan({ at })).toThrow(message);
  });
});

describe('restoreMetadataFor', () => {
  const recorded = {
    'file-system-id': 'fs-0123456789abcdef0',
    Encrypted: 'true',
    KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    PerformanceMode: 'generalPurpose',
    newFileSystem: 'false',
  };

  it("restores the tenant's directory only, into a new file system, with the recovery point's key", () => {
    expect(restoreMetadataFor('jane', ['/tenants/openclaw-jane'], recorded, 'restore-jane-1')).toEqual({
      'file-system-id': 'fs-0123456789abcdef0',
      Encrypted: 'true',
      KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k',
      PerformanceMode: 'generalPurpose',
      newFileSystem: 'true',
      CreationToken: 'restore-jane-1',
      ItemsToRestore: '["/tenants/openclaw-jane"]',
    });
  });

  it.each([
    [['/tenants/openclaw-jane-2'], "another tenant's directory"],
    [['/tenants'], 'every tenant'],
    [['/'], 'the whole file system'],
    [['/tenants/openclaw-jane/../openclaw-bob'], 'a path leaving the directory'],
    [['/tenants/openclaw-jane', '/tenants/openclaw-bob'], 'a second item'],
    [[], 'nothing'],
  ])('fails if asked for %j (%s)', (items) => {
    expect(() => restoreMetadataFor('jane', items, recorded, 't')).toThrow(/restores exactly \/tenants\/openclaw-jane; refused/);
  });
});

describe('restore at the AWS Backup boundary', () => {
  const backup = mockClient(BackupClient);
  let fx: AdminFixture;
  /** Every AWS Backup command and probe, in the order they happened. */
  let calls: string[];

  beforeAll(async () => {
    fx = await startAdminFixture();
    await fx.seed([tenant('jane', 'owner-jane-0001'), tenant('bob', 'owner-bob-00001')]);
  });
  afterAll(async () => fx.close());
  beforeEach(() => {
    resetAwsMocks();
    backup.reset();
    calls = [];
    const record = (name: string, output: object) => () => (calls.push(name), output);
    backup.on(ListBackupPlansCommand).callsFake(
      record('ListBackupPlans', {
        BackupPlansList: [
          { BackupPlanName: 'other-plan', BackupPlanId: 'p0' },
          { BackupPlanName: 'openclaw-tenant-data', BackupPlanId: 'p1' },
        ],
      }),
    );
    backup.on(GetBackupPlanCommand, { BackupPlanId: 'p1' }).callsFake(
      record('GetBackupPlan', {
        BackupPlan: { BackupPlanName: 'openclaw-tenant-data', Rules: [{ RuleName: 'daily', TargetBackupVaultName: TARGET.vaultName }] },
      }),
    );
    backup
      .on(ListBackupSelectionsCommand, { BackupPlanId: 'p1' })
      .callsFake(record('ListBackupSelections', { BackupSelectionsList: [{ SelectionId: 's1' }] }));
    backup.on(GetBackupSelectionCommand, { BackupPlanId: 'p1', SelectionId: 's1' }).callsFake(
      record('GetBackupSelection', {
        BackupSelection: { SelectionName: 'TenantFileSystem', IamRoleArn: TARGET.backupRoleArn, Resources: [FS_ARN] },
      }),
    );
    backup.on(ListRecoveryPointsByResourceCommand, { ResourceArn: FS_ARN }).callsFake(
      record('ListRecoveryPointsByResource', {
        RecoveryPoints: POINTS.map((p) => ({
          RecoveryPointArn: p.arn,
          BackupVaultName: p.vaultName,
          CreationDate: p.createdAt,
          Status: p.status,
        })),
      }),
    );
    backup.on(StartBackupJobCommand).callsFake(record('StartBackupJob', { BackupJobId: 'bj-1' }));
    let backupPolls = 0;
    backup
      .on(DescribeBackupJobCommand)
      .callsFake(
        () => (
          calls.push('DescribeBackupJob'),
          ++backupPolls < 2
            ? { State: 'RUNNING' }
            : { State: 'COMPLETED', RecoveryPointArn: 'arn:aws:backup:eu-west-1:111111111111:recovery-point:rollback-1' }
        ),
      );
    backup.on(GetRecoveryPointRestoreMetadataCommand).callsFake(
      record('GetRecoveryPointRestoreMetadata', {
        RestoreMetadata: {
          'file-system-id': 'fs-0123456789abcdef0',
          Encrypted: 'true',
          KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k',
          newFileSystem: 'false',
        },
      }),
    );
    backup.on(StartRestoreJobCommand).callsFake(record('StartRestoreJob', { RestoreJobId: 'rj-1' }));
    backup.on(DescribeRestoreJobCommand).callsFake(
      record('DescribeRestoreJob', {
        Status: 'COMPLETED',
        CreatedResourceArn: 'arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-0restored000000',
      }),
    );
  });

  async function plannedFor(id: string) {
    const backups = new AwsTenantBackups(new BackupClient({}));
    const target = await backups.findTarget('openclaw-tenant-data');
    const record = await fx.ports.repository.read(async (s) => {
      const text = await s.readFile(`tenants/${id}.yaml`);
      return text === undefined ? undefined : fx.ports.renderer.parseTenantRecord(text, `tenants/${id}.yaml`);
    });
    return {
      backups,
      plan: buildRestorePlan({
        config,
        tenantId: id,
        at: '2026-11-19T18:00:00Z',
        now: NOW,
        record,
        target,
        recoveryPoints: target ? await backups.recoveryPoints(target.fileSystemArn) : [],
      }),
    };
  }

  it('suspends through Git, confirms the workload stopped, backs up for rollback, then restores only the tenant directory', async () => {
    const { backups, plan } = await plannedFor('jane');
    calls = [];
    const commitsBefore = fx.log().length;
    const result = await executeRestorePlan(plan, {
      lifecycle: fx.ports,
      backups,
      restoreRoleArn: RESTORE_ROLE,
      sleep: async () => undefined,
      workload: {
        runningPods: async () => {
          // The probe runs after the suspension is in Git.
          calls.push(`probe:${/status: suspended/.test(fx.show('tenants/jane.yaml') ?? '') ? 'suspended' : 'active'}`);
          return 0;
        },
      },
    });
    expect(calls).toEqual([
      'probe:suspended',
      'StartBackupJob',
      'DescribeBackupJob',
      'DescribeBackupJob',
      'GetRecoveryPointRestoreMetadata',
      'StartRestoreJob',
      'DescribeRestoreJob',
    ]);
    expect(fx.log().length).toBe(commitsBefore + 1);
    expect(fx.show('tenants/jane.yaml')).toMatch(/statusReason: restore/);
    expect(fx.show('tenants/bob.yaml')).toMatch(/status: active/);
    expect(backup.commandCalls(StartBackupJobCommand)[0]?.args[0].input).toEqual({
      BackupVaultName: TARGET.vaultName,
      ResourceArn: FS_ARN,
      IamRoleArn: TARGET.backupRoleArn,
      IdempotencyToken: 'restore-jane-20261119180000-rollback',
    });
    expect(backup.commandCalls(StartRestoreJobCommand)[0]?.args[0].input).toEqual({
      RecoveryPointArn: POINTS[1]?.arn,
      IamRoleArn: RESTORE_ROLE,
      ResourceType: 'EFS',
      IdempotencyToken: 'restore-jane-20261119180000-restore',
      Metadata: {
        'file-system-id': 'fs-0123456789abcdef0',
        Encrypted: 'true',
        KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k',
        newFileSystem: 'true',
        CreationToken: 'restore-jane-20261119180000',
        ItemsToRestore: '["/tenants/openclaw-jane"]',
      },
    });
    expect(result).toMatchObject({
      rollbackRecoveryPointArn: 'arn:aws:backup:eu-west-1:111111111111:recovery-point:rollback-1',
      restoredFileSystemArn: 'arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-0restored000000',
      remaining: [{ kind: 'swap' }, { kind: 'resume' }],
    });
  });

  it('refuses a running workload: no backup, no restore, the tenant stays suspended', async () => {
    const { backups, plan } = await plannedFor('bob');
    calls = [];
    let probes = 0;
    const run = executeRestorePlan(plan, {
      lifecycle: fx.ports,
      backups,
      restoreRoleArn: RESTORE_ROLE,
      sleep: async () => undefined,
      maxPolls: 3,
      workload: { runningPods: async () => (++probes, 1) },
    });
    await expect(run).rejects.toThrow(/1 pod\(s\) still run in openclaw-bob; the workspace is not restored under a running workload/);
    expect(probes).toBe(3);
    expect(calls).toEqual([]);
    expect(fx.show('tenants/bob.yaml')).toMatch(/status: suspended/);
  });

  it('refuses a plan tampered to restore another tenant: nothing is started', async () => {
    const { backups, plan } = await plannedFor('jane');
    calls = [];
    const tampered = {
      ...plan,
      steps: plan.steps
        .filter((s) => s.kind !== 'suspend')
        .map((s) => (s.kind === 'restore-items' ? { ...s, itemsToRestore: ['/tenants/openclaw-bob'] } : s)),
    };
    await expect(
      executeRestorePlan(tampered, {
        lifecycle: fx.ports,
        backups,
        restoreRoleArn: RESTORE_ROLE,
        sleep: async () => undefined,
        workload: { runningPods: async () => 0 },
      }),
    ).rejects.toThrow(/restores exactly \/tenants\/openclaw-jane; refused: \["\/tenants\/openclaw-bob"\]/);
    expect(calls).toEqual([]);
  });

  describe('platform-admin restore', () => {
    async function restore(...args: string[]) {
      const io = captureIo();
      const code = await runLifecycleCommand('restore', [...args, '--config', EXAMPLE_PLATFORM_CONFIG], {
        baseDir: process.cwd(),
        stdout: io.stdout,
        stderr: io.stderr,
        portsFor: async () => fx.ports,
        backupsFor: () => new AwsTenantBackups(new BackupClient({})),
        sleep: async () => undefined,
        pollIntervalMs: 0,
      });
      return { code, out: io.out(), err: io.err() };
    }

    it('--dry-run prints the plan and changes nothing', async () => {
      await fx.seed([tenant('erin', 'owner-erin-0001')]);
      const before = fx.log().length;
      const r = await restore('erin', '--at', '2026-11-18T12:00:00Z', '--dry-run');
      expect(r.code).toBe(EXIT_CODES.ok);
      expect(r.out).toMatch(
        /^restore erin as of 2026-11-18T12:00:00Z from recovery point .*rp-18 \(2026-11-18T03:00:00Z\)\n  1\. suspend the tenant/,
      );
      expect(r.out).toMatch(/4\. item-level restore of \/tenants\/openclaw-erin from .*rp-18 into a new file system/);
      expect(fx.log().length).toBe(before);
      expect(backup.commandCalls(StartBackupJobCommand)).toEqual([]);
      expect(backup.commandCalls(StartRestoreJobCommand)).toEqual([]);
    });

    it.each([
      [['erin'], EXIT_CODES.usage, /needs --restore-role-arn/],
      [['erin', '--restore-role-arn', 'not-an-arn'], EXIT_CODES.usage, /is not an IAM role ARN/],
      [['erin', '--dry-run', '--at', 'tomorrow'], EXIT_CODES.usage, /ISO 8601/],
      [['nobody', '--dry-run'], EXIT_CODES.refused, /no tenant "nobody"/],
    ])('%j exits %i and changes nothing', async (args, code, message) => {
      const before = fx.log().length;
      const r = await restore(...args);
      expect(r.code).toBe(code);
      expect(r.err).toMatch(message);
      expect(fx.log().length).toBe(before);
      expect(backup.commandCalls(StartBackupJobCommand)).toEqual([]);
    });

    it('without --workload-stopped it suspends, then stops before any backup (exit 3); with it, it restores', async () => {
      const first = await restore('erin', '--restore-role-arn', RESTORE_ROLE);
      expect(first.code).toBe(EXIT_CODES.refused);
      expect(first.err).toMatch(/check `kubectl get pods -n openclaw-erin` shows none, then run the restore again with --workload-stopped/);
      expect(fx.show('tenants/erin.yaml')).toMatch(/status: suspended/);
      expect(backup.commandCalls(StartBackupJobCommand)).toEqual([]);

      const second = await restore('erin', '--restore-role-arn', RESTORE_ROLE, '--workload-stopped', '--json');
      expect(second.code).toBe(EXIT_CODES.ok);
      const out = JSON.parse(second.out);
      expect(out.plan.steps.map((s: { kind: string }) => s.kind)).toEqual([
        'confirm-stopped',
        'rollback-backup',
        'restore-items',
        'swap',
        'resume',
      ]);
      expect(out.result.restoredFileSystemArn).toMatch(/fs-0restored/);
      expect(JSON.parse(backup.commandCalls(StartRestoreJobCommand)[0]?.args[0].input.Metadata?.ItemsToRestore ?? '[]')).toEqual([
        '/tenants/openclaw-erin',
      ]);
    });
  });
});
