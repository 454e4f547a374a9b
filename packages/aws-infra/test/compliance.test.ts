import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { SynthesizedPlatform, synthesizePlatform } from './support/platform';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
        out.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
    }
  }
  return out;
}

/** Runs a pack and records which acknowledgement (construct path + rule id) suppressed each finding. */
function runRecordingUse(pack: NagPack, root: IConstruct): { violations: { ruleName: string; resources: string[] }[]; used: Set<string> } {
  const used = new Set<string>();
  const recorder = pack as unknown as { isAcknowledged(resource: CfnResource, ruleId: string): boolean };
  recorder.isAcknowledged = (resource, ruleId) => {
    for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
      for (const entry of current.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        if (Object.keys(entry.data).some((k) => k.replace(/^annotation::/i, '') === ruleId)) {
          used.add(`${current.node.path}|${ruleId}`);
          return true;
        }
      }
    }
    return false;
  };
  const report = pack.validateScope(root);
  return {
    violations: report.violations.map((v) => ({ ruleName: v.ruleName, resources: v.violatingResources.map((r) => r.constructPath ?? '') })),
    used,
  };
}

describe('cdk-nag', () => {
  let platform: SynthesizedPlatform;
  beforeAll(() => {
    platform = synthesizePlatform();
    // Synthesis adds resources of its own (cross-stack outputs); the packs must see the final tree.
    platform.app.synth();
  });

  test('AWS Solutions: no unacknowledged finding in any stack', () => {
    const { violations } = runRecordingUse(new AwsSolutionsChecks(), platform.app);
    expect(violations).toEqual([]);
  });

  test('every acknowledgement suppresses a real finding (none is stale)', () => {
    const { used } = runRecordingUse(new AwsSolutionsChecks(), platform.app);
    const nagAcks = acknowledgements(platform.app).filter((a) => a.id.startsWith('AwsSolutions-'));
    const stale = nagAcks.filter((a) => !used.has(`${a.path}|${a.id}`)).map((a) => `${a.path} ${a.id}`);
    expect(stale).toEqual([]);
  });

  test('every acknowledgement names a rule and gives a specific reason', () => {
    // aws-cdk-lib acknowledges some built-in template checks itself (e.g. VPC flow logs); those are not ours.
    const acks = acknowledgements(platform.app).filter((a) => a.id.startsWith('AwsSolutions-') || a.path.startsWith('Cluster/Cluster'));
    expect(acks.length).toBeGreaterThan(20);
    for (const a of acks) {
      expect(a.id).toMatch(/^(AwsSolutions-[A-Z0-9]+(\[.+\])?|CloudFormation-Validate::W\d+)$/);
      expect(a.reason.length).toBeGreaterThanOrEqual(60);
    }
  });

  test("the README's table names exactly the acknowledged rules", () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## cdk-nag'), readme.indexOf('### NIST'));
    const listed = new Set([...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
    const acknowledged = new Set(
      acknowledgements(platform.app)
        .filter((a) => a.id.startsWith('AwsSolutions-') || a.path.startsWith('Cluster/Cluster'))
        .map((a) => a.id),
    );
    // A long rule id may be abbreviated in the table with '…'.
    const matches = (row: string, id: string) =>
      new RegExp(
        `^${row
          .split('…')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ).test(id);
    expect({
      listedNotAcknowledged: [...listed].filter((row) => ![...acknowledged].some((id) => matches(row!, id))),
      acknowledgedNotListed: [...acknowledged].filter((id) => ![...listed].some((row) => matches(row!, id))),
    }).toEqual({
      listedNotAcknowledged: [],
      acknowledgedNotListed: [],
    });
  });

  test('every wildcard (IAM5) acknowledgement is granular, never a blanket rule id', () => {
    for (const a of acknowledgements(platform.app).filter((x) => x.id.startsWith('AwsSolutions-IAM')))
      expect(a.id).toMatch(/\[(Resource|Action|Policy)::.+\]$/);
  });

  test('NIST 800-53 rev 5: findings are listed (informational, not blocking)', () => {
    const { violations } = runRecordingUse(new NIST80053R5Checks(), platform.app);
    const summary = violations
      .map((v) => `${v.ruleName} (${v.resources.length}): ${[...new Set(v.resources.map((r) => r.split('/')[0]))].join(', ')}`)
      .sort();
    const out = process.env.NIST_REPORT;
    if (out) fs.writeFileSync(path.resolve(out), `${summary.join('\n')}\n`);
    expect(summary.length).toBeGreaterThan(0);
    for (const line of summary) expect(line).toMatch(/^NIST\.800\.53\.R5-[A-Za-z0-9]+ \(\d+\): /);
  });
});
