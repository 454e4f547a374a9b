/**
 * The controls that keep tenant data tenant data (ADRs 0110-0114), in the
 * cdk-nag style: each control has a checker over a synthesized template, the
 * platform passes it, and a weakened fixture fails it, so a later change
 * that drops the control fails here rather than in an incident.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DEFAULT_RUNTIME_TIER, PLATFORM_FUNCTIONS, TENANT_SECRET_ID_ROOT, containerOutputLogGroupName } from '@openclaw-tenancy/shared';
import { AWS_PARTITION_REGIONS, SECRET_READ_EVENT_NAMES, sampleQueries } from '../src/constructs/audit-query';
import { AuditTrail } from '../src/constructs/audit-trail';
import { AuditStack } from '../src/stacks/audit-stack';
import { ContainerInsightsAgentPolicy } from '../src/constructs/container-insights-agent-policy';
import { FileSystemBackup } from '../src/constructs/file-system-backup';
import {
  KEY_DESTRUCTION_ACTIONS,
  KEY_DESTRUCTION_DENY_SID,
  KeyDestructionGuard,
  breakGlassRoleArn,
} from '../src/constructs/key-destruction-guard';
import { PodIdentityRole } from '../src/constructs/pod-identity-role';
import { TAMPER_SIGNALS, TamperAlarms } from '../src/constructs/tamper-alarms';
import { TenantJobQueue } from '../src/constructs/tenant-job-queue';
import { TENANT_OUTPUT_DECRYPT_DENY_SID, TenantOutputLogs } from '../src/constructs/tenant-output-logs';
import { TenantUserPool } from '../src/constructs/tenant-user-pool';
import { UserPoolWebAcl } from '../src/constructs/user-pool-web-acl';
import { matchesEventPattern } from './support/event-pattern';
import { SynthesizedPlatform, asArray, configWith, resourcesOf, synthesizePlatform, testApp } from './support/platform';

const env = { account: '111111111111', region: 'eu-west-1' };
const BREAK_GLASS = 'arn:aws:iam::111111111111:role/openclaw-break-glass';
/** A stack of its own with the app context `cdk synth` uses (feature flags, partition). */
const fixtureStack = () => new Stack(testApp(), 'Fixture', { env });

// ---- checkers: each returns the findings of one control (empty = compliant) ----

/** Keys whose policy lets anyone but the break-glass role delete, disable or re-police them. */
function keyDestructionFindings(template: Template, breakGlass: string): string[] {
  return resourcesOf(template, 'AWS::KMS::Key')
    .filter(([, key]) => {
      // Only unconditional denies (but for the break-glass exception) count: an extra condition could exempt callers.
      const denied = new Set(
        key.Properties.KeyPolicy.Statement.filter(
          (s: any) =>
            s.Effect === 'Deny' &&
            s.Principal?.AWS === '*' &&
            Object.keys(s.Condition ?? {}).length === 1 &&
            s.Condition?.ArnNotEquals?.['aws:PrincipalArn'] === breakGlass,
        ).flatMap((s: any) => asArray(s.Action)),
      );
      return !KEY_DESTRUCTION_ACTIONS.every((a) => denied.has(a));
    })
    .map(([id]) => id);
}

/** Log groups named `name` that a principal other than the break-glass role could read, or that keep unmasked data. */
function tenantOutputFindings(template: Template, name: string, breakGlass: string): string[] {
  const findings: string[] = [];
  const groups = resourcesOf(template, 'AWS::Logs::LogGroup').filter(([, g]) => g.Properties.LogGroupName === name);
  if (groups.length === 0) findings.push(`no log group ${name}`);
  for (const [id, group] of groups) {
    const keyId = group.Properties.KmsKeyId?.['Fn::GetAtt']?.[0];
    const key = keyId ? template.toJSON().Resources[keyId] : undefined;
    const deny = key?.Properties.KeyPolicy.Statement.find((s: any) => s.Effect === 'Deny' && asArray(s.Action).includes('kms:Decrypt'));
    if (!key) findings.push(`${id}: not encrypted with a key of this stack`);
    else if (asArray(deny?.Condition?.ArnNotEquals?.['aws:PrincipalArn'] ?? [])[0] !== breakGlass || deny.Principal?.AWS !== '*')
      findings.push(`${id}: decryption not limited to the break-glass role`);
    const statements = group.Properties.DataProtectionPolicy?.Statement ?? [];
    if (!statements.some((s: any) => s.Operation?.Deidentify)) findings.push(`${id}: no data-protection masking`);
    if (typeof group.Properties.RetentionInDays !== 'number') findings.push(`${id}: kept for ever`);
  }
  return findings;
}

/**
 * Log actions the Container Insights agent must never have (it may use the tenant output key while ingesting,
 * so it must not read either), and whether it still has the AWS-managed policy.
 */
const AGENT_FORBIDDEN_LOG_ACTIONS = [
  'logs:CreateLogGroup',
  'logs:PutRetentionPolicy',
  'logs:DeleteRetentionPolicy',
  'logs:DeleteLogGroup',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'logs:StartQuery',
  'logs:StartLiveTail',
  'logs:Get*',
  'logs:*',
  '*',
];
function agentPolicyFindings(template: Template, roleLogicalId: string, clusterName: string): string[] {
  const role = template.toJSON().Resources[roleLogicalId];
  const findings: string[] = [];
  for (const arn of role.Properties.ManagedPolicyArns ?? []) {
    const ref = arn.Ref as string | undefined;
    if (!ref) {
      findings.push(`AWS-managed policy ${JSON.stringify(arn)}`);
      continue;
    }
    for (const s of template.toJSON().Resources[ref].Properties.PolicyDocument.Statement) {
      for (const action of asArray(s.Action)) if (AGENT_FORBIDDEN_LOG_ACTIONS.includes(action as string)) findings.push(`allows ${action}`);
      if (asArray(s.Action).some((a) => (a as string).startsWith('logs:Put') || (a as string) === 'logs:CreateLogStream')) {
        for (const r of asArray(s.Resource))
          if (!JSON.stringify(r).includes(`/aws/containerinsights/${clusterName}/`)) findings.push(`writes logs to ${JSON.stringify(r)}`);
      }
    }
  }
  return findings;
}

/** Backup plan rules whose recovery points are not copied to a vault one admin cannot empty. */
function backupCopyFindings(template: Template): string[] {
  const vaults = template.toJSON().Resources;
  const findings: string[] = [];
  for (const [id, plan] of resourcesOf(template, 'AWS::Backup::BackupPlan')) {
    for (const rule of plan.Properties.BackupPlan.BackupPlanRule) {
      const copies = rule.CopyActions ?? [];
      const safe = copies.some((c: any) => {
        const target = c.DestinationBackupVaultArn;
        if (typeof target === 'string') return true; // a vault of another account, named by ARN
        const vault = vaults[target?.['Fn::GetAtt']?.[0]];
        return vault?.Properties.LockConfiguration?.ChangeableForDays !== undefined; // compliance mode
      });
      if (!safe) findings.push(`${id}/${rule.RuleName}`);
    }
  }
  return findings;
}

/** CloudTrail events (one per tampering call) that reach no rule targeting `topicArn`, or reach one although they should not. */
function tamperFindings(
  template: Template,
  events: readonly { name: string; event: Record<string, unknown>; alarms: boolean }[],
): string[] {
  const rules = resourcesOf(template, 'AWS::Events::Rule').map(([, r]) => r.Properties);
  return events
    .filter(({ event, alarms }) => rules.some((r) => r.Targets?.length > 0 && matchesEventPattern(r.EventPattern, event)) !== alarms)
    .map(({ name, alarms }) => `${name} ${alarms ? 'raises no alarm' : 'alarms although the platform made it'}`);
}

const ADMIN_ROLE = 'arn:aws:iam::111111111111:role/platform-admins';
function cloudTrailEvent(source: string, eventName: string, issuerArn?: string): Record<string, unknown> {
  return {
    source: [source][0],
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventSource: `${source.slice(4)}.amazonaws.com`,
      eventName,
      userIdentity: issuerArn
        ? { type: 'AssumedRole', arn: `${issuerArn}/session`, sessionContext: { sessionIssuer: { type: 'Role', arn: issuerArn } } }
        : { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/someone' },
    },
  };
}
/** CloudTrail's event name for a call: Lambda appends its API version. */
const recordedName = (source: string, name: string) => (source === 'aws.lambda' ? `${name}20150331v2` : name);
const everyTamperCall = () =>
  TAMPER_SIGNALS.flatMap((s) =>
    s.eventNames
      .map((n) => recordedName(s.source, n))
      .flatMap((n) => [
        { name: `${n} by an admin role`, event: cloudTrailEvent(s.source, n, ADMIN_ROLE), alarms: true },
        { name: `${n} by an IAM user`, event: cloudTrailEvent(s.source, n), alarms: true },
      ]),
  );

/** The trail's data-event coverage: which resource types have a selector. */
function dataEventTypes(template: Template): string[] {
  const [, trail] = resourcesOf(template, 'AWS::CloudTrail::Trail')[0]!;
  return trail.Properties.AdvancedEventSelectors.flatMap((s: any) =>
    s.FieldSelectors.filter((f: any) => f.Field === 'resources.type').flatMap((f: any) => f.Equals),
  );
}

/** Queues whose policy lets any account principal send to them (no deny naming the allowed senders). */
function openQueueFindings(template: Template): string[] {
  return resourcesOf(template, 'AWS::SQS::QueuePolicy')
    .filter(
      ([, p]) =>
        !p.Properties.PolicyDocument.Statement.some(
          (s: any) =>
            s.Effect === 'Deny' && asArray(s.Action).includes('sqs:SendMessage') && s.Condition?.ArnNotEquals?.['aws:PrincipalArn'],
        ),
    )
    .map(([id]) => id);
}

/** Pod Identity roles whose trust admits any namespace or service account of the cluster. */
function unpinnedPodRoleFindings(template: Template): string[] {
  return resourcesOf(template, 'AWS::IAM::Role')
    .filter(([, r]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('pods.eks.amazonaws.com'))
    .filter(([, r]) => {
      const like = r.Properties.AssumeRolePolicyDocument.Statement[0].Condition?.StringLike ?? {};
      return !like['aws:RequestTag/kubernetes-namespace'] || !like['aws:RequestTag/kubernetes-service-account'];
    })
    .map(([id]) => id);
}

/** Buckets of the template holding CloudTrail files without a compliance-mode Object Lock of at least `days`. */
function trailBucketLockFindings(template: Template, days: number): string[] {
  const trailBuckets = new Set(
    resourcesOf(template, 'AWS::S3::BucketPolicy')
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('cloudtrail.amazonaws.com'))
      .map(([, p]) => p.Properties.Bucket.Ref),
  );
  return [...trailBuckets].filter((id) => {
    const lock = template.toJSON().Resources[id]?.Properties.ObjectLockConfiguration?.Rule?.DefaultRetention;
    return lock?.Mode !== 'COMPLIANCE' || !(lock.Days >= days);
  });
}

/** What a secret-access query misses of the ways a secret is read (empty = covers them all). */
function secretQueryFindings(sql: string): string[] {
  const findings: string[] = [];
  for (const eventName of ['GetSecretValue', 'BatchGetSecretValue'])
    if (!sql.includes(`'${eventName}'`)) findings.push(`misses ${eventName}`);
  // A full ARN (…:secret:<name>-<suffix>) and a batch list are matched by a substring search, never by a name prefix alone.
  if (!/strpos\(e\.requestparameters, t\.root\) > 0/.test(sql))
    findings.push('matches the secret id as a prefix only (misses full ARNs and batch lists)');
  if (!sql.includes('any_match(e.resources')) findings.push("ignores the event's resources");
  if (/awsregion\s*(=|IN)/i.test(sql)) findings.push('limited to some regions');
  return findings;
}

/** Service trust statements of roles without aws:SourceArn or aws:SourceAccount, for the given services. */
function confusedDeputyFindings(template: Template, services: readonly string[]): string[] {
  return resourcesOf(template, 'AWS::IAM::Role')
    .filter(([, r]) =>
      r.Properties.AssumeRolePolicyDocument.Statement.some(
        (st: any) => services.includes(st.Principal?.Service) && !JSON.stringify(st.Condition ?? {}).match(/aws:Source(Arn|Account)/),
      ),
    )
    .map(([id]) => id);
}

/** User pools without a regional web ACL associated. */
function unguardedUserPoolFindings(template: Template): string[] {
  const associated = new Set(
    resourcesOf(template, 'AWS::WAFv2::WebACLAssociation').map(([, a]) => a.Properties.ResourceArn['Fn::GetAtt']?.[0]),
  );
  return resourcesOf(template, 'AWS::Cognito::UserPool')
    .filter(([id]) => !associated.has(id))
    .map(([id]) => id);
}

describe('security controls of the platform', () => {
  let platform: SynthesizedPlatform;
  beforeAll(() => {
    platform = synthesizePlatform();
  });
  const t = (name: keyof SynthesizedPlatform['stacks']) => platform.template(platform.stacks[name]);

  describe('two-person destruction (ADR 0112)', () => {
    test('every KMS key of every stack denies deletion, disabling and policy changes to all but the break-glass role', () => {
      let keys = 0;
      for (const name of Object.keys(platform.stacks) as (keyof SynthesizedPlatform['stacks'])[]) {
        keys += resourcesOf(t(name), 'AWS::KMS::Key').length;
        expect(keyDestructionFindings(t(name), BREAK_GLASS)).toEqual([]);
      }
      expect(keys).toBeGreaterThanOrEqual(8);
      for (const [, key] of resourcesOf(t('data'), 'AWS::KMS::Key')) {
        expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Sid: KEY_DESTRUCTION_DENY_SID }));
        expect(key.Properties.BypassPolicyLockoutSafetyCheck).toBe(true);
      }
    });

    test('fails if a key has no guard, or a guard that leaves an action out', () => {
      const stack = fixtureStack();
      new kms.Key(stack, 'Plain');
      const partial = new kms.Key(stack, 'Partial');
      partial.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:ScheduleKeyDeletion'],
          resources: ['*'],
          conditions: { ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS } },
        }),
      );
      expect(keyDestructionFindings(Template.fromStack(stack), BREAK_GLASS).sort()).toEqual([
        expect.stringMatching(/^Partial/),
        expect.stringMatching(/^Plain/),
      ]);
    });

    test('the break-glass role defaults to <platformName>-break-glass and must be a role of the platform account', () => {
      expect(breakGlassRoleArn(platform.config)).toBe(BREAK_GLASS);
      expect(
        breakGlassRoleArn(configWith((raw) => (raw.security = { breakGlassRoleArn: 'arn:aws:iam::111111111111:role/ops/glass' }))),
      ).toBe('arn:aws:iam::111111111111:role/ops/glass');
      expect(() =>
        breakGlassRoleArn(configWith((raw) => (raw.security = { breakGlassRoleArn: 'arn:aws:iam::222222222222:role/glass' }))),
      ).toThrow(
        'security.breakGlassRoleArn arn:aws:iam::222222222222:role/glass must be an IAM role of account 111111111111 (aws.account)',
      );
      expect(() => configWith((raw) => (raw.security = { breakGlassRoleArn: 'arn:aws:iam::111111111111:user/glass' }))).toThrow(
        /security\.breakGlassRoleArn.*not an IAM role ARN/s,
      );
      expect(() => new KeyDestructionGuard('glass')).toThrow('breakGlassRoleArn glass is not an IAM role ARN');
    });

    test('every recovery point is copied to a compliance-mode vault that outlives the retention', () => {
      expect(backupCopyFindings(t('data'))).toEqual([]);
      const locked = resourcesOf(t('data'), 'AWS::Backup::BackupVault').filter(
        ([, v]) => v.Properties.LockConfiguration?.ChangeableForDays !== undefined,
      );
      expect(locked).toHaveLength(1);
      expect(locked[0]![1].Properties.LockConfiguration).toEqual({ MinRetentionDays: 35, ChangeableForDays: 3 });
      expect(locked[0]![1].DeletionPolicy).toBe('Retain');
    });

    test('with backup.copyToVaultArn the copy goes to that vault (another account) instead', () => {
      const stack = fixtureStack();
      const fileSystem = efs.FileSystem.fromFileSystemAttributes(stack, 'Fs', {
        fileSystemId: 'fs-12345678',
        securityGroup: undefined as never,
      });
      const target = backup.BackupVault.fromBackupVaultArn(
        stack,
        'Target',
        'arn:aws:backup:eu-west-1:222222222222:backup-vault:openclaw-copy',
      );
      new FileSystemBackup(stack, 'Backup', { fileSystem, retentionDays: 35, copyToVault: target });
      const template = Template.fromStack(stack);
      expect(backupCopyFindings(template)).toEqual([]);
      expect(resourcesOf(template, 'AWS::Backup::BackupVault')).toHaveLength(1);
      const [, plan] = resourcesOf(template, 'AWS::Backup::BackupPlan')[0]!;
      expect(plan.Properties.BackupPlan.BackupPlanRule[0].CopyActions).toEqual([
        {
          DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:222222222222:backup-vault:openclaw-copy',
          Lifecycle: { DeleteAfterDays: 35 },
        },
      ]);
      expect(() => configWith((raw) => (raw.backup.copyToVaultArn = 'arn:aws:s3:::bucket'))).toThrow(
        /backup\.copyToVaultArn.*not a backup vault ARN/s,
      );
    });

    test('fails if a plan has no copy, or copies into a governance-mode vault an admin can unlock', () => {
      const stack = fixtureStack();
      const governance = new backup.BackupVault(stack, 'Governance', { lockConfiguration: { minRetention: Duration.days(35) } });
      const plan = new backup.BackupPlan(stack, 'Plan');
      plan.addRule(new backup.BackupPlanRule({ ruleName: 'nocopy', deleteAfter: Duration.days(35) }));
      plan.addRule(
        new backup.BackupPlanRule({
          ruleName: 'governance',
          deleteAfter: Duration.days(35),
          copyActions: [{ destinationBackupVault: governance, deleteAfter: Duration.days(35) }],
        }),
      );
      expect(backupCopyFindings(Template.fromStack(stack))).toEqual([
        expect.stringMatching(/\/nocopy$/),
        expect.stringMatching(/\/governance$/),
      ]);
    });

    test("fails if the compliance lock could be removed before AWS Backup's 3-day minimum grace time", () => {
      const stack = fixtureStack();
      const fileSystem = efs.FileSystem.fromFileSystemAttributes(stack, 'Fs', {
        fileSystemId: 'fs-12345678',
        securityGroup: undefined as never,
      });
      expect(() => new FileSystemBackup(stack, 'Backup', { fileSystem, retentionDays: 35, complianceLockGraceDays: 1 })).toThrow(
        'complianceLockGraceDays must be a whole number of days >= 3',
      );
    });

    test('fails if the trail bucket has no Object Lock, or only governance mode', () => {
      expect(trailBucketLockFindings(t('audit'), 365)).toEqual([]);
      const stack = fixtureStack();
      new AuditTrail(stack, 'Trail', { retentionDays: 30 });
      const template = Template.fromStack(stack);
      expect(trailBucketLockFindings(template, 30)).toEqual([]);
      const json = template.toJSON();
      const [bucketId] = resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id.startsWith('TrailTrailBucket'))!;
      json.Resources[bucketId].Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode = 'GOVERNANCE';
      expect(trailBucketLockFindings(Template.fromJSON(json), 30)).toEqual([bucketId]);
      delete json.Resources[bucketId].Properties.ObjectLockConfiguration;
      expect(trailBucketLockFindings(Template.fromJSON(json), 30)).toEqual([bucketId]);
    });

    test('the audit trail bucket has Object Lock in compliance mode for the audit retention', () => {
      const [, bucket] = resourcesOf(t('audit'), 'AWS::S3::Bucket').find(([id]) => id.startsWith('TrailTrailBucket'))!;
      expect(bucket.Properties.ObjectLockEnabled).toBe(true);
      expect(bucket.Properties.ObjectLockConfiguration).toEqual({
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      });
    });
  });

  describe('tenant output is tenant data (ADR 0110)', () => {
    const name = () => containerOutputLogGroupName(platform.config.cluster.name);

    test('tenant container output lands only in a log group whose key only the break-glass role can decrypt, masked, with the configured retention', () => {
      expect(tenantOutputFindings(t('cluster'), name(), BREAK_GLASS)).toEqual([]);
      const [, group] = resourcesOf(t('cluster'), 'AWS::Logs::LogGroup').find(([, g]) => g.Properties.LogGroupName === name())!;
      expect(group.Properties.RetentionInDays).toBe(90);
      const key = t('cluster').toJSON().Resources[group.Properties.KmsKeyId['Fn::GetAtt'][0]];
      const statements = key.Properties.KeyPolicy.Statement;
      const deny = statements.find((s: any) => s.Sid === TENANT_OUTPUT_DECRYPT_DENY_SID);
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
      });
      // Exempt: the break-glass role and the agent that writes (which has no Logs read permission, checked below).
      const exempt = deny.Condition.ArnNotEquals['aws:PrincipalArn'];
      expect(exempt).toHaveLength(2);
      expect(exempt[0]).toBe(BREAK_GLASS);
      expect(JSON.stringify(exempt[1])).toContain('AddonsCloudWatchAgentRole');
      // CloudWatch Logs may use the key for this log group only.
      const service = statements.find((s: any) => s.Principal?.Service === 'logs.eu-west-1.amazonaws.com');
      expect(service.Condition).toEqual({
        ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:eu-west-1:111111111111:log-group:${name()}` },
      });
      // The agent may use the key only through CloudWatch Logs, for this group, while ingesting.
      const writers = statements.find((s: any) => s.Sid === 'WritersIngestThroughCloudWatchLogs');
      expect(writers.Action.sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*']);
      expect(writers.Condition.StringEquals).toEqual({ 'kms:ViaService': 'logs.eu-west-1.amazonaws.com' });
      expect(JSON.stringify(writers.Principal)).toContain('AddonsCloudWatchAgentRole');
    });

    test("the agent that ships container output can write only into this cluster's Container Insights groups (so nowhere else)", () => {
      const [roleId] = resourcesOf(t('cluster'), 'AWS::IAM::Role').find(([id]) => id.startsWith('AddonsCloudWatchAgentRole'))!;
      expect(agentPolicyFindings(t('cluster'), roleId, platform.config.cluster.name)).toEqual([]);
    });

    test('fails if the output group has no key of its own, a key anyone may decrypt, or no masking', () => {
      const stack = fixtureStack();
      new logs.LogGroup(stack, 'Plain', { logGroupName: name(), retention: logs.RetentionDays.THREE_MONTHS });
      expect(tenantOutputFindings(Template.fromStack(stack), name(), BREAK_GLASS)).toEqual([
        expect.stringMatching(/not encrypted/),
        expect.stringMatching(/no data-protection masking/),
      ]);
      const keyed = fixtureStack();
      new logs.LogGroup(keyed, 'Keyed', {
        logGroupName: name(),
        encryptionKey: new kms.Key(keyed, 'OpenKey'),
        retention: logs.RetentionDays.THREE_MONTHS,
      });
      expect(tenantOutputFindings(Template.fromStack(keyed), name(), BREAK_GLASS)).toContainEqual(
        expect.stringMatching(/decryption not limited to the break-glass role/),
      );
      const protectedGroup = fixtureStack();
      new TenantOutputLogs(protectedGroup, 'Output', {
        logGroup: new logs.LogGroup(protectedGroup, 'Group', { logGroupName: name(), retention: logs.RetentionDays.THREE_MONTHS }),
        breakGlassRoleArn: BREAK_GLASS,
      });
      expect(tenantOutputFindings(Template.fromStack(protectedGroup), name(), BREAK_GLASS)).toEqual([]);
    });

    test('fails if the log group has no explicit name (the key policy could not name it)', () => {
      const stack = fixtureStack();
      expect(
        () => new TenantOutputLogs(stack, 'Output', { logGroup: new logs.LogGroup(stack, 'Group'), breakGlassRoleArn: BREAK_GLASS }),
      ).toThrow(/has no explicit name/);
    });

    test('fails if the agent keeps the AWS-managed policy or may change retention', () => {
      const stack = fixtureStack();
      const managed = new iam.Role(stack, 'Managed', {
        assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')],
      });
      const loose = new iam.ManagedPolicy(stack, 'Loose', {
        statements: [new iam.PolicyStatement({ actions: ['logs:PutLogEvents', 'logs:PutRetentionPolicy'], resources: ['*'] })],
      });
      const custom = new iam.Role(stack, 'Custom', {
        assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
        managedPolicies: [loose],
      });
      const own = new iam.Role(stack, 'Own', {
        assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
        managedPolicies: [new ContainerInsightsAgentPolicy(stack, 'AgentPolicy', { clusterName: 'openclaw' }).policy],
      });
      const template = Template.fromStack(stack);
      const id = (role: iam.Role) => stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
      expect(agentPolicyFindings(template, id(managed), 'openclaw')).toEqual([expect.stringMatching(/AWS-managed policy/)]);
      expect(agentPolicyFindings(template, id(custom), 'openclaw')).toEqual(['allows logs:PutRetentionPolicy', 'writes logs to "*"']);
      expect(agentPolicyFindings(template, id(own), 'openclaw')).toEqual([]);
    });

    test('the offboarder may delete log streams of the container output group and of nothing else', () => {
      const statements = resourcesOf(t('controlPlane'), 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const erasing = statements.filter((s: any) => asArray(s.Action).includes('logs:DeleteLogStream'));
      expect(erasing).toHaveLength(1);
      expect(erasing[0].Resource).toEqual([
        `arn:aws:logs:eu-west-1:111111111111:log-group:${name()}`,
        `arn:aws:logs:eu-west-1:111111111111:log-group:${name()}:log-stream:*`,
      ]);
      const offboarderRole = resourcesOf(t('controlPlane'), 'AWS::Lambda::Function').find(
        ([, f]) => f.Properties.FunctionName === 'openclaw-offboarder',
      )![1].Properties.Role['Fn::GetAtt'][0];
      const [, policy] = resourcesOf(t('controlPlane'), 'AWS::IAM::Policy').find(([, p]) =>
        p.Properties.PolicyDocument.Statement.includes(erasing[0]),
      )!;
      expect(policy.Properties.Roles).toEqual([{ Ref: offboarderRole }]);
    });
  });

  describe('node breakout containment (ADR 0111)', () => {
    test('gVisor is the default runtime of new tenants; runc is an explicit choice', () => {
      expect(DEFAULT_RUNTIME_TIER).toBe('gvisor');
      expect(platform.config.tenantDefaults.runtime).toBe('gvisor');
    });

    test('GuardDuty watches EKS audit logs and node runtime, with the agent managed by GuardDuty, when the config asks (the default)', () => {
      t('audit').hasResourceProperties('AWS::GuardDuty::Detector', {
        Enable: true,
        Features: [
          { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
          { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }] },
        ],
      });
      expect(platform.config.security.guardDutyRuntimeMonitoring).toBe(true);
    });

    test('with security.guardDutyRuntimeMonitoring false (an organisation runs GuardDuty) no detector is created', () => {
      const config = configWith((raw) => (raw.security = { guardDutyRuntimeMonitoring: false }));
      const stack = new AuditStack(testApp(), 'Audit', {
        env,
        config,
        alertsTopic: sns.Topic.fromTopicArn(fixtureStack(), 'Topic', 'arn:aws:sns:eu-west-1:111111111111:alerts'),
        dataEvents: { functionArns: [], queueArns: [], tableArns: [] },
        platformFunctionRoleArns: [],
      });
      expect(resourcesOf(Template.fromStack(stack), 'AWS::GuardDuty::Detector')).toHaveLength(0);
      expect(stack.guardDuty).toBeUndefined();
    });

    test('every Pod Identity role trusts one namespace (pattern) and service account only; the tenant role only tenant gateways', () => {
      expect(unpinnedPodRoleFindings(t('cluster'))).toEqual([]);
      const [, tenantRole] = resourcesOf(t('cluster'), 'AWS::IAM::Role').find(([id]) => id.startsWith('TenantRole'))!;
      expect(tenantRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringLike).toEqual({
        'aws:RequestTag/kubernetes-namespace': 'openclaw-*',
        'aws:RequestTag/kubernetes-service-account': 'openclaw-gateway',
      });
    });

    test('the node role carries no CNI permissions; the VPC CNI gets them through Pod Identity (aws-node only)', () => {
      const [, nodeRole] = resourcesOf(t('cluster'), 'AWS::IAM::Role').find(([id]) => id.startsWith('NodeGroupsNodeRole'))!;
      expect(JSON.stringify(nodeRole.Properties.ManagedPolicyArns)).not.toContain('AmazonEKS_CNI_Policy');
      const [, cni] = resourcesOf(t('cluster'), 'AWS::EKS::Addon').find(([, a]) => a.Properties.AddonName === 'vpc-cni')!;
      const [cniRoleId, cniRole] = resourcesOf(t('cluster'), 'AWS::IAM::Role').find(([id]) => id.startsWith('AddonsVpcCniRole'))!;
      expect(cni.Properties.PodIdentityAssociations).toEqual([
        { RoleArn: { 'Fn::GetAtt': [cniRoleId, 'Arn'] }, ServiceAccount: 'aws-node' },
      ]);
      expect(JSON.stringify(cniRole.Properties.ManagedPolicyArns)).toContain('AmazonEKS_CNI_Policy');
      expect(cniRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringLike).toEqual({
        'aws:RequestTag/kubernetes-namespace': 'kube-system',
        'aws:RequestTag/kubernetes-service-account': 'aws-node',
      });
    });

    test('fails if a Pod Identity role trusts every service account of the cluster', () => {
      const stack = fixtureStack();
      const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'openclaw' });
      new PodIdentityRole(stack, 'Open', { cluster, description: 'open' });
      new PodIdentityRole(stack, 'Pinned', {
        cluster,
        description: 'pinned',
        trustedServiceAccount: { namespace: 'kube-system', name: 'x' },
      });
      expect(unpinnedPodRoleFindings(Template.fromStack(stack))).toEqual([expect.stringMatching(/^Open/)]);
    });

    test("the provisioner may create only associations tagged as a tenant's", () => {
      const statements = resourcesOf(t('controlPlane'), 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const create = statements.filter((s: any) => asArray(s.Action).includes('eks:CreatePodIdentityAssociation'));
      expect(create).toHaveLength(1);
      expect(create[0].Condition).toEqual({
        StringLike: { 'aws:RequestTag/tenant-namespace': 'openclaw-*' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant', 'tenant-namespace'] },
        Null: { 'aws:RequestTag/tenant': 'false' },
      });
    });
  });

  describe('tampering raises an alarm (ADR 0113)', () => {
    const topicOutput = () => resourcesOf(t('audit'), 'AWS::Events::Rule')[0]![1].Properties.Targets[0].Arn;

    test('each tampering call, by an assumed admin role or an IAM user, reaches a rule that targets the alerts topic', () => {
      expect(tamperFindings(t('audit'), everyTamperCall())).toEqual([]);
      for (const [, rule] of resourcesOf(t('audit'), 'AWS::Events::Rule'))
        expect(rule.Properties.Targets).toEqual([{ Arn: topicOutput(), Id: 'Target0' }]);
      expect(JSON.stringify(topicOutput())).toContain('AlertsTopic');
    });

    test("the platform functions' own Pod Identity changes do not alarm; anyone else's do", () => {
      const eventsTemplate = Template.fromStack(platformFunctionsFixture());
      expect(
        tamperFindings(eventsTemplate, [
          {
            name: 'provisioner association',
            event: cloudTrailEvent('aws.eks', 'CreatePodIdentityAssociation', PROVISIONER),
            alarms: false,
          },
          { name: 'offboarder removal', event: cloudTrailEvent('aws.eks', 'DeletePodIdentityAssociation', OFFBOARDER), alarms: false },
          { name: 'admin association', event: cloudTrailEvent('aws.eks', 'CreatePodIdentityAssociation', ADMIN_ROLE), alarms: true },
          { name: 'user access entry', event: cloudTrailEvent('aws.eks', 'CreateAccessEntry'), alarms: true },
          {
            name: 'high GuardDuty finding',
            event: { source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding', detail: { severity: 8.0 } },
            alarms: true,
          },
          {
            name: 'low GuardDuty finding',
            event: { source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding', detail: { severity: 2.0 } },
            alarms: false,
          },
          { name: 'an ordinary call', event: cloudTrailEvent('aws.kms', 'Decrypt', ADMIN_ROLE), alarms: false },
        ]),
      ).toEqual([]);
      // In the platform, the exception names exactly the provisioner's and the offboarder's roles.
      const eks = resourcesOf(t('audit'), 'AWS::Events::Rule').find(
        ([id]) => id.startsWith('TamperAlarmsClusterAccessChanged') && !id.includes('ByUserOrRoot'),
      )!;
      const excepted = eks[1].Properties.EventPattern.detail.userIdentity.sessionContext.sessionIssuer.arn[0]['anything-but'];
      expect(excepted.map((a: any) => JSON.stringify(a))).toEqual([
        expect.stringContaining('Provisioner'),
        expect.stringContaining('Offboarder'),
      ]);
    });

    test('fails if a tampering signal loses its rule', () => {
      const stack = platformFunctionsFixture();
      const alarms = stack.node.findChild('Alarms');
      alarms.node.tryRemoveChild('KeyDestruction');
      alarms.node.tryRemoveChild('ClusterAccessChangedByUserOrRoot');
      const findings = tamperFindings(Template.fromStack(stack), everyTamperCall());
      expect(findings).toEqual(
        expect.arrayContaining([
          'ScheduleKeyDeletion by an admin role raises no alarm',
          'PutKeyPolicy by an IAM user raises no alarm',
          'CreateAccessEntry by an IAM user raises no alarm',
        ]),
      );
      expect(findings).not.toContainEqual(expect.stringMatching(/^StopLogging/));
    });

    test('fails on a GuardDuty severity outside 1-10', () => {
      const stack = fixtureStack();
      expect(
        () =>
          new TamperAlarms(stack, 'Alarms', {
            topic: new sns.Topic(stack, 'T'),
            platformFunctionRoleArns: [],
            guardDutyMinimumSeverity: 11,
          }),
      ).toThrow('guardDutyMinimumSeverity must be between 1 and 10');
    });
  });

  describe('audit covers what matters (ADR 0113)', () => {
    test('data events: the kubectl provider and platform functions, the four job queues, the tenant table, reads and deletions of trail files', () => {
      expect(dataEventTypes(t('audit'))).toEqual(
        expect.arrayContaining(['AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::S3::Object']),
      );
      const [, trail] = resourcesOf(t('audit'), 'AWS::CloudTrail::Trail')[0]!;
      const arnsOf = (type: string) =>
        trail.Properties.AdvancedEventSelectors.find((s: any) =>
          s.FieldSelectors.some((f: any) => f.Field === 'resources.type' && f.Equals[0] === type),
        ).FieldSelectors.find((f: any) => f.Field === 'resources.ARN');
      const lambdas = JSON.stringify(arnsOf('AWS::Lambda::Function').Equals);
      expect(lambdas).toContain('KubectlProviderHandler');
      // The kubectl provider's two functions and every platform function.
      expect(arnsOf('AWS::Lambda::Function').Equals).toHaveLength(2 + PLATFORM_FUNCTIONS.length);
      expect(arnsOf('AWS::SQS::Queue').Equals).toHaveLength(4);
      expect(JSON.stringify(arnsOf('AWS::DynamoDB::Table').Equals)).toContain('TenantTable');
      const s3 = trail.Properties.AdvancedEventSelectors.find((s: any) =>
        s.FieldSelectors.some((f: any) => f.Equals?.[0] === 'AWS::S3::Object'),
      );
      // CloudTrail's own deliveries are not logged into the bucket they describe (that would loop).
      expect(s3.FieldSelectors).toContainEqual({ Field: 'eventName', NotEquals: ['PutObject'] });
    });

    test('fails if the trail is built without the platform resources', () => {
      const stack = fixtureStack();
      new AuditTrail(stack, 'Trail', { retentionDays: 30 });
      expect(dataEventTypes(Template.fromStack(stack))).not.toEqual(expect.arrayContaining(['AWS::Lambda::Function']));
      expect(dataEventTypes(Template.fromStack(stack))).not.toContain('AWS::SQS::Queue');
    });

    test('job queues admit only the platform producers: sign-up and the provisioner for provisioning, operators for offboarding', () => {
      expect(openQueueFindings(t('controlPlane'))).toEqual([]);
      const policies = resourcesOf(t('controlPlane'), 'AWS::SQS::QueuePolicy').map(([, p]) => p.Properties.PolicyDocument.Statement);
      const senders = (statements: any[]) =>
        statements.find((s) => s.Sid?.startsWith('SendOnly')).Condition.ArnNotEquals['aws:PrincipalArn'];
      const all = policies.map((p) => JSON.stringify(senders(p)));
      expect(all.some((s) => s.includes('PostConfirmation') && s.includes('Provisioner') && s.includes(BREAK_GLASS))).toBe(true);
      expect(all.some((s) => !s.includes('Function') && s.includes(BREAK_GLASS) && s.includes(ADMIN_ROLE))).toBe(true);
    });

    test('fails if a queue admits any principal of the account, or admitOnly is given nobody', () => {
      const stack = fixtureStack();
      const open = new TenantJobQueue(stack, 'Open', { alarmTopic: new sns.Topic(stack, 'Topic') });
      const closed = new TenantJobQueue(stack, 'Closed', { alarmTopic: new sns.Topic(stack, 'Topic2') });
      closed.admitOnly({ producerArns: [ADMIN_ROLE], consumerArns: [ADMIN_ROLE], operatorArns: [BREAK_GLASS] });
      expect(openQueueFindings(Template.fromStack(stack)).sort()).toEqual([
        expect.stringMatching(/^OpenDeadLetterQueue/),
        expect.stringMatching(/^OpenQueue/),
      ]);
      expect(() => open.admitOnly({ producerArns: [], consumerArns: [ADMIN_ROLE], operatorArns: [] })).toThrow(
        'admitOnly: no producer or operator',
      );
      expect(() => open.admitOnly({ producerArns: [ADMIN_ROLE], consumerArns: [], operatorArns: [] })).toThrow(
        'admitOnly: no consumer or operator',
      );
    });

    test('fails if a secret-access query matches names by prefix only, or misses batch reads', () => {
      const prefixOnly = [
        "SELECT eventtime FROM t WHERE eventsource = 'secretsmanager.amazonaws.com'",
        "  AND json_extract_scalar(requestparameters, '$.secretId') LIKE concat('openclaw/tenants/', ?, '/%')",
        "  AND awsregion IN ('eu-west-1', 'us-east-1')",
      ].join('\n');
      expect(secretQueryFindings(prefixOnly)).toEqual([
        'misses GetSecretValue',
        'misses BatchGetSecretValue',
        'matches the secret id as a prefix only (misses full ARNs and batch lists)',
        "ignores the event's resources",
        'limited to some regions',
      ]);
    });

    test('the secret-access query catches reads by name, full ARN and batch, for every projected region', () => {
      const [, , sql] = sampleQueries('"db"."cloudtrail"').find(([name]) => name === 'tenant-secret-access')!;
      expect(secretQueryFindings(sql)).toEqual([]);
      for (const eventName of ['GetSecretValue', 'BatchGetSecretValue']) expect(SECRET_READ_EVENT_NAMES).toContain(eventName);
      expect(sql).toContain(`concat('${TENANT_SECRET_ID_ROOT}', ?, '/')`);
      expect(sql).toContain("any_match(e.resources, r -> strpos(r.arn, concat(':secret:', t.root)) > 0)");
      expect(sql).toContain("json_extract(e.requestparameters, '$.secretIdList')");
      expect(sql).not.toMatch(/awsregion\s*=|region\s*=/);
      const [, table] = resourcesOf(t('audit'), 'AWS::Glue::Table')[0]!;
      const regions = table.Properties.TableInput.Parameters['projection.region.values'].split(',');
      expect(regions).toEqual(
        expect.arrayContaining([...AWS_PARTITION_REGIONS, platform.config.aws.region, platform.config.models.bedrockRegion]),
      );
    });
  });

  describe('confused-deputy conditions on service principals', () => {
    const TRAIL = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/openclaw-audit';

    test('CloudTrail may use the trail bucket and its CloudWatch Logs role for this trail only', () => {
      const [, policy] = resourcesOf(t('audit'), 'AWS::S3::BucketPolicy').find(([, p]) =>
        JSON.stringify(p).includes('cloudtrail.amazonaws.com'),
      )!;
      const cloudTrail = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
      expect(cloudTrail.map((s: any) => s.Action).sort()).toEqual(['s3:GetBucketAcl', 's3:PutObject']);
      for (const s of cloudTrail) expect(s.Condition.StringEquals['aws:SourceArn']).toBe(TRAIL);
      expect(cloudTrail.find((s: any) => s.Action === 's3:PutObject').Condition.StringEquals['s3:x-amz-acl']).toBe(
        'bucket-owner-full-control',
      );
      const [, logsRole] = resourcesOf(t('audit'), 'AWS::IAM::Role').find(([id]) => id.startsWith('TrailLogsRole'))!;
      expect(logsRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceArn': TRAIL } },
        },
      ]);
    });

    test('fails if a CloudTrail or AWS Backup role trusts its service without a source condition', () => {
      const services = ['cloudtrail.amazonaws.com', 'backup.amazonaws.com'];
      expect(confusedDeputyFindings(t('audit'), services)).toEqual([]);
      expect(confusedDeputyFindings(t('data'), services)).toEqual([]);
      const stack = fixtureStack();
      new iam.Role(stack, 'Open', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
      new iam.Role(stack, 'Pinned', {
        assumedBy: new iam.ServicePrincipal('backup.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': '111111111111' },
        }),
      });
      expect(confusedDeputyFindings(Template.fromStack(stack), services)).toEqual([expect.stringMatching(/^Open/)]);
    });

    test('AWS Backup assumes its role for this account only; EventBridge and CloudWatch publish to the alerts topic for this account only', () => {
      const [, backupRole] = resourcesOf(t('data'), 'AWS::IAM::Role').find(([, r]) => JSON.stringify(r).includes('backup.amazonaws.com'))!;
      expect(backupRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': '111111111111' },
      });
      const services = [
        ...resourcesOf(t('alerts'), 'AWS::SNS::TopicPolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement),
        ...resourcesOf(t('alerts'), 'AWS::KMS::Key').flatMap(([, k]) => k.Properties.KeyPolicy.Statement),
      ].filter((s: any) => s.Principal?.Service);
      expect(services.map((s: any) => s.Principal.Service).sort()).toEqual([
        'cloudwatch.amazonaws.com',
        'cloudwatch.amazonaws.com',
        'events.amazonaws.com',
        'events.amazonaws.com',
      ]);
      for (const s of services) expect(s.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
    });
  });

  describe('sign-in protection (ADR 0114)', () => {
    test('the user pool has a regional web ACL: per-address rate rule at the configured limit, IP reputation, common and bad-input rules', () => {
      expect(unguardedUserPoolFindings(t('controlPlane'))).toEqual([]);
      const [, acl] = resourcesOf(t('controlPlane'), 'AWS::WAFv2::WebACL')[0]!;
      expect(acl.Properties.Scope).toBe('REGIONAL');
      expect(acl.Properties.Rules.map((r: any) => r.Name)).toEqual(Object.values(UserPoolWebAcl.RULE_NAMES));
      expect(acl.Properties.Rules[0].Statement.RateBasedStatement).toEqual({
        Limit: 500,
        EvaluationWindowSec: 300,
        AggregateKeyType: 'IP',
      });
      expect(acl.Properties.Rules[0].Action).toEqual({ Block: {} });
    });

    test('fails if a user pool has no web ACL, or the rate limit is below the WAF minimum', () => {
      const stack = fixtureStack();
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler=async()=>{}'),
      });
      new TenantUserPool(stack, 'Pool', { selfSignUpEnabled: true, mfa: 'optional', preSignUp: fn, postConfirmation: fn });
      expect(unguardedUserPoolFindings(Template.fromStack(stack))).toHaveLength(1);
      const other = fixtureStack();
      const pool = cognito.UserPool.fromUserPoolId(other, 'P', 'eu-west-1_abc');
      expect(
        () => new UserPoolWebAcl(other, 'Acl', { userPool: pool, rateLimitPer5Minutes: 5, logRetention: logs.RetentionDays.ONE_MONTH }),
      ).toThrow(/at least 10.*signInRateLimitPer5Minutes/);
    });

    const poolTemplate = (props: Partial<ConstructorParameters<typeof TenantUserPool>[2]>) => {
      const stack = fixtureStack();
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler=async()=>{}'),
      });
      const pool = new TenantUserPool(stack, 'Pool', {
        selfSignUpEnabled: true,
        mfa: 'optional',
        preSignUp: fn,
        postConfirmation: fn,
        ...props,
      });
      return { template: Template.fromStack(stack), pool, stack };
    };

    test('defaults are stated, not hidden: Essentials plan, optional MFA, no rotation, and synth warns that a phished password signs in', () => {
      const { template, stack } = poolTemplate({});
      template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS', MfaConfiguration: 'OPTIONAL' });
      const [, client] = resourcesOf(template, 'AWS::Cognito::UserPoolClient')[0]!;
      expect(client.Properties.RefreshTokenRotation).toBeUndefined();
      expect(Annotations.fromStack(stack).findWarning('/Fixture/Pool', Match.stringLikeRegexp('a phished password signs in'))).toHaveLength(
        1,
      );
      expect(
        Annotations.fromStack(poolTemplate({ mfa: 'required' }).stack).findWarning('*', Match.stringLikeRegexp('phished')),
      ).toHaveLength(0);
    });

    test('signup.mfa "required", threat protection and refresh-token rotation are config choices that reach Cognito', () => {
      const required = poolTemplate({ mfa: 'required' }).template;
      required.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
      const enforced = poolTemplate({ threatProtection: 'enforced' }).template;
      enforced.hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      });
      const audit = poolTemplate({ threatProtection: 'audit' }).template;
      audit.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } });
      const rotating = poolTemplate({ refreshTokenRotation: true }).template;
      rotating.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      });
      const parsed = configWith((raw) =>
        Object.assign(raw.signup, { mfa: 'required', threatProtection: 'enforced', refreshTokenRotation: true }),
      );
      expect(parsed.signup).toMatchObject({ mfa: 'required', threatProtection: 'enforced', refreshTokenRotation: true });
      expect(() => configWith((raw) => (raw.signup.threatProtection = 'max'))).toThrow(/signup\.threatProtection/);
    });
  });
});

const PROVISIONER = 'arn:aws:iam::111111111111:role/openclaw-provisioner';
const OFFBOARDER = 'arn:aws:iam::111111111111:role/openclaw-offboarder';

/** Tamper alarms with named platform roles and a GuardDuty threshold, in a stack of their own. */
function platformFunctionsFixture(): Stack {
  const stack = fixtureStack();
  new TamperAlarms(stack, 'Alarms', {
    topic: new sns.Topic(stack, 'Topic'),
    platformFunctionRoleArns: [PROVISIONER, OFFBOARDER],
    guardDutyMinimumSeverity: 7,
  });
  return stack;
}
