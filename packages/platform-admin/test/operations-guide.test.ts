import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';
import { PLATFORM_ADMIN_SUBCOMMANDS } from '../src/cli/subcommands';
import {
  commandReferences,
  configKeyExists,
  configKeyReferences,
  missingCommand,
  repositoryCommands,
} from '../src/operations-guide/guide-references';

const GUIDE_DIR = path.join(REPOSITORY_ROOT, 'docs', 'operations');
const pages = fs
  .readdirSync(GUIDE_DIR)
  .filter((f) => f.endsWith('.md'))
  .map((file) => ({ file, text: fs.readFileSync(path.join(GUIDE_DIR, file), 'utf8') }));
const available = repositoryCommands(REPOSITORY_ROOT);

describe('the operator guide (docs/operations)', () => {
  it('has the procedure, recovery and cost pages, and the root README links it', () => {
    expect(pages.map((p) => p.file).sort()).toEqual(expect.arrayContaining(['README.md', 'cost.md', 'recovery.md']));
    const readme = fs.readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/## Deploy to AWS[\s\S]*\(docs\/operations\/?\)/);
  });

  it('names only config keys that exist in the platform config schema', () => {
    const keys = pages.flatMap((p) => configKeyReferences(p.file, p.text));
    // The guide walks through the config: a guide that names no key would pass vacuously.
    expect(keys.length).toBeGreaterThan(30);
    const stale = keys.filter((k) => !configKeyExists(k.text)).map((k) => `${k.file}:${k.line} ${k.text}`);
    expect(stale).toEqual([]);
  });

  it('shows only commands that exist in the repository', () => {
    const commands = pages.flatMap((p) => commandReferences(p.file, p.text));
    expect(commands.map((c) => c.kind)).toEqual(expect.arrayContaining(['npm-script', 'nx-target']));
    const missing = commands.flatMap((c) => {
      const problem = missingCommand(c, available, PLATFORM_ADMIN_SUBCOMMANDS);
      return problem ? [`${c.file}:${c.line} ${c.text}: ${problem}`] : [];
    });
    expect(missing).toEqual([]);
  });
});

describe('guide reference checks', () => {
  it('fails if a page names a config key the schema does not have', () => {
    // GIVEN a page naming a key that was renamed away
    const refs = configKeyReferences('stale.md', 'Set `signup.confirmationsPerDomainPerDay` and `<aws.regoin>`; `versions.ts` is no key.');
    // THEN both keys are found and both are unknown
    expect(refs.map((r) => r.text)).toEqual(['signup.confirmationsPerDomainPerDay', 'aws.regoin']);
    expect(refs.filter((r) => configKeyExists(r.text))).toEqual([]);
  });

  it('resolves keys inside objects and array items', () => {
    expect(configKeyExists('signup.emailSender.fromAddress')).toBe(true);
    expect(configKeyExists('models.catalog.pricing.inputUsdPerMillionTokens')).toBe(true);
    expect(configKeyExists('models.catalog.price')).toBe(false);
    expect(configKeyExists('signup.maxTenants.value')).toBe(false);
  });

  it('fails if a page shows a script, target or subcommand that does not exist', () => {
    const commands = commandReferences(
      'stale.md',
      '```bash\nnpm run deploy-all\nnpx nx run aws-infra:deploy\nnpx nx run nowhere:synth\nplatform-admin frobnicate\n```',
    );
    const problems = commands.map((c) => missingCommand(c, available, PLATFORM_ADMIN_SUBCOMMANDS));
    expect(problems).toEqual([
      'the root package.json has no script "deploy-all"',
      'project "aws-infra" has no target "deploy"',
      'there is no Nx project "nowhere"',
      expect.stringContaining('platform-admin has no subcommand "frobnicate"'),
    ]);
  });
});
