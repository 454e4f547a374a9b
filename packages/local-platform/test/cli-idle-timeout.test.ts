import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = path.resolve(__dirname, '..', 'src', 'cli.ts');

function runCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('local-platform start --idle-timeout', () => {
  it.each([
    ['5', '--idle-timeout: 5 is not an idle timeout: use 0 (never idle) or whole seconds from 10 to 86400'],
    ['100000', '--idle-timeout: 100000 is not an idle timeout'],
    ['15m', '--idle-timeout: "15m" is not a whole number of seconds'],
    ['-1', '--idle-timeout: "-1" is not a whole number of seconds'],
  ])('fails if it is %p, naming the option and the range, and starts nothing', (value, message) => {
    const stateDir = path.join(os.tmpdir(), `local-platform-cli-idle-${process.pid}-${value.replace(/\W/g, '')}`);
    // `--idle-timeout=<value>`: a separate "-1" would be read as an option.
    const result = runCli('start', '--state-dir', stateDir, `--idle-timeout=${value}`);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: local-platform start');
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  it('is documented in --help', () => {
    const result = runCli('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--idle-timeout S\s+stop a tenant's gateway after S seconds/);
  });
});
