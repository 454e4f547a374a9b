import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import {
  checkGuardDutyFeatures,
  enableFeaturesCommand,
  missingGuardDutyFeatures,
} from '../../src/preflight/checks/guard-duty-features-check';
import { PREFLIGHT_CHECKS } from '../../src/preflight/run-preflight';
import { awsError, exampleConfig, sdkClients } from './preflight-fixtures';

const guardDuty = mockClient(GuardDutyClient);
beforeEach(() => guardDuty.reset());

const off = exampleConfig((c) => ({ ...c, security: { ...c.security, guardDutyRuntimeMonitoring: false } }));
const on = exampleConfig((c) => ({ ...c, security: { ...c.security, guardDutyRuntimeMonitoring: true } }));
const clients = sdkClients(off);

const AUDIT_LOGS = { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' };
const RUNTIME = {
  Name: 'RUNTIME_MONITORING',
  Status: 'ENABLED',
  AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
};

describe('preflight: EKS runtime monitoring in an existing GuardDuty detector', () => {
  it('is registered after the detector check', () => {
    const names = PREFLIGHT_CHECKS.map((c) => c.name);
    expect(names.indexOf('GuardDuty EKS runtime monitoring')).toBe(names.indexOf('GuardDuty detector') + 1);
  });

  it('passes when the existing detector has EKS audit logs and runtime monitoring with the managed agent', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    guardDuty.on(GetDetectorCommand, { DetectorId: 'd1' }).resolves({ Features: [AUDIT_LOGS, RUNTIME] as never });
    expect(await checkGuardDutyFeatures(off, clients)).toEqual([
      expect.objectContaining({
        id: 'guardduty-eks-runtime-monitoring',
        status: 'pass',
        detail: expect.stringContaining('detector d1 in eu-west-1'),
      }),
    ]);
  });

  it('accepts the former feature name of EKS runtime monitoring', () => {
    expect(missingGuardDutyFeatures([AUDIT_LOGS, { ...RUNTIME, Name: 'EKS_RUNTIME_MONITORING' }])).toEqual([]);
  });

  it.each([
    ['runtime monitoring disabled', [AUDIT_LOGS, { ...RUNTIME, Status: 'DISABLED' }], 'RUNTIME_MONITORING'],
    [
      'the EKS agent not managed by GuardDuty',
      [AUDIT_LOGS, { ...RUNTIME, AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' }] }],
      'RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT',
    ],
    ['no EKS audit logs', [RUNTIME], 'EKS_AUDIT_LOGS'],
    ['no features reported', [], 'EKS_AUDIT_LOGS, RUNTIME_MONITORING'],
  ])('fails with %s, naming what is missing and printing the command that enables it', async (_case, features, missing) => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    guardDuty.on(GetDetectorCommand).resolves({ Features: features as never });
    const [result] = await checkGuardDutyFeatures(off, clients);
    expect(result).toMatchObject({ status: 'fail', detail: expect.stringContaining(`lacks ${missing}:`) });
    expect(result!.fix).toContain(enableFeaturesCommand('eu-west-1', 'd1'));
  });

  it('the fix command turns on exactly the features the audit stack would', () => {
    const command = enableFeaturesCommand('eu-west-1', 'd1');
    const features = JSON.parse(/--features '(.*)'$/.exec(command)![1]!) as unknown[];
    expect(missingGuardDutyFeatures(features as never)).toEqual([]);
    expect(command.startsWith('aws guardduty update-detector --region eu-west-1 --detector-id d1 --features ')).toBe(true);
  });

  it('says nothing when the platform creates the detector itself, or when there is no detector (the detector check reports those)', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    expect(await checkGuardDutyFeatures(on, clients)).toEqual([]);
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    expect(await checkGuardDutyFeatures(off, clients)).toEqual([]);
    expect(guardDuty.commandCalls(GetDetectorCommand)).toHaveLength(0);
  });

  it('fails naming the call when GuardDuty cannot be read', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    guardDuty.on(GetDetectorCommand).rejects(awsError('AccessDeniedException'));
    expect(await checkGuardDutyFeatures(off, clients)).toEqual([
      expect.objectContaining({
        status: 'fail',
        detail: expect.stringContaining('guardduty:GetDetector failed: AccessDeniedException'),
        fix: expect.stringContaining('allow guardduty:GetDetector'),
      }),
    ]);
  });
});
