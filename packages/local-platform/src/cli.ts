/**
 * `npm run local` (root) / `npm start -w @openclaw-tenancy/local-platform`:
 * starts the whole platform on this machine and runs until Ctrl-C.
 *
 *   tsx src/cli.ts start [--state-dir DIR] [--subnet 10.203] [--name-prefix ocl]
 *                        [--edge-port 8080] [--identity-port 9229] [--secrets-port 4584]
 *                        [--allowed-domain example.com]...
 */
import { parseArgs } from 'node:util';
import { DEFAULT_STATE_DIR } from './state-layout';
import { RunningPlatform, startLocalPlatform } from './platform';

const USAGE = `usage: local-platform start [--state-dir DIR] [--subnet 10.203] [--name-prefix ocl]
  [--edge-port 8080] [--identity-port 9229] [--secrets-port 4584] [--git-port 9418] [--allowed-domain example.com ...]

Starts the whole platform on this machine (as root) and runs until Ctrl-C; see packages/local-platform/README.md.`;

function log(line: string): void {
  const time = new Date().toISOString().slice(11, 19);
  process.stdout.write(`${line.split('\n').map((l, i) => (i === 0 ? `[${time}] ${l}` : `           ${l}`)).join('\n')}\n`);
}

function port(value: string | undefined, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    process.stderr.write(`local-platform: ${option} must be a port number, got ${JSON.stringify(value)}\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'state-dir': { type: 'string', default: DEFAULT_STATE_DIR },
      subnet: { type: 'string', default: '10.203' },
      'name-prefix': { type: 'string', default: 'ocl' },
      'edge-port': { type: 'string', default: '8080' },
      'identity-port': { type: 'string', default: '9229' },
      'secrets-port': { type: 'string', default: '4584' },
      'git-port': { type: 'string', default: '9418' },
      'allowed-domain': { type: 'string', multiple: true, default: ['example.com'] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals[0] !== 'start') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const startedAt = Date.now();
  // The functions log JSON through Powertools; warnings and errors are enough on a console.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const starting: Promise<RunningPlatform> = startLocalPlatform({
    stateDir: values['state-dir'] as string,
    network: { namePrefix: values['name-prefix'] as string, subnet: values.subnet as string },
    edgePort: port(values['edge-port'], '--edge-port'),
    identityPort: port(values['identity-port'], '--identity-port'),
    secretsPort: port(values['secrets-port'], '--secrets-port'),
    gitPort: port(values['git-port'], '--git-port'),
    allowedEmailDomains: values['allowed-domain'] as string[],
    progress: log,
  });
  let stopping: number | undefined;
  const stop = (signal: string) => {
    if (stopping !== undefined) {
      // Ctrl-C reaches this process twice when it runs under tsx (the terminal's signal, and tsx relaying it).
      if (Date.now() - stopping < 2000) return;
      log(`${signal} again: exiting without waiting (the next start cleans up what is left)`);
      process.exit(130);
    }
    stopping = Date.now();
    log(`${signal}: stopping everything (state stays in ${values['state-dir']})…`);
    // A platform still starting is stopped as soon as it is up; a failed start has already cleaned up.
    void starting
      .then((platform) => platform.stop())
      .then(
        () => {
          log('stopped');
          process.exit(0);
        },
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const platform = await starting;
  if (stopping !== undefined) return;
  const domains = (values['allowed-domain'] as string[]).map((d) => `@${d}`).join(', ');
  log(`local platform up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  log(`open ${platform.url} and sign up with an ${domains} address (the confirmation code is printed here). Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-platform: ${(error as Error).message}\n`);
  process.exit(1);
});
