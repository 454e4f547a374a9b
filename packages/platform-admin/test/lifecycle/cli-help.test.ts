import * as fs from 'node:fs';
import * as path from 'node:path';
import { USAGE } from '../../src/cli/main';
import { LIFECYCLE_COMMANDS, LIFECYCLE_COMMAND_NAMES } from '../../src/cli/lifecycle-cli';
import { PLATFORM_ADMIN_SUBCOMMANDS } from '../../src/cli/subcommands';
import { EXIT_CODES } from '../../src/lifecycle/lifecycle-refusal';

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** `npm run admin -- <command> …` lines in the README's code blocks. */
function documentedCommands(): string[] {
  const blocks = [...README.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((b) => [...b.matchAll(/npm run admin -- ([a-z-]+)/g)].map((m) => m[1] ?? ''));
}

describe('platform-admin --help and README', () => {
  it('every lifecycle command is a subcommand and --help shows its synopsis', () => {
    for (const name of LIFECYCLE_COMMAND_NAMES) {
      expect(PLATFORM_ADMIN_SUBCOMMANDS).toContain(name);
      expect(USAGE).toContain(`  ${LIFECYCLE_COMMANDS[name].synopsis}`);
    }
  });

  it('--help states every exit code', () => {
    for (const code of Object.values(EXIT_CODES)) expect(USAGE).toMatch(new RegExp(`\\b${code} [a-z]`));
  });

  it('every command the README documents exists, and every lifecycle command is documented', () => {
    const documented = documentedCommands();
    expect(documented.length).toBeGreaterThan(0);
    for (const name of documented) expect(PLATFORM_ADMIN_SUBCOMMANDS).toContain(name);
    for (const name of LIFECYCLE_COMMAND_NAMES) expect(documented).toContain(name);
  });

  it('every option the README shows for a lifecycle command is one the command accepts', () => {
    for (const block of [...README.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')) {
      for (const line of block.split('\n')) {
        const m = /npm run admin -- ([a-z-]+)(.*)$/.exec(line.replace(/#.*$/, ''));
        if (!m || !((m[1] as string) in LIFECYCLE_COMMANDS)) continue;
        const spec = LIFECYCLE_COMMANDS[m[1] as keyof typeof LIFECYCLE_COMMANDS];
        for (const option of [...(m[2] ?? '').matchAll(/--([a-z-]+)/g)].map((o) => o[1] ?? '')) {
          expect([...spec.options, ...spec.switches, 'json', 'config']).toContain(option);
        }
      }
    }
  });
});
