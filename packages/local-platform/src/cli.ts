/**
 * `npm run local` (root) / `npm start -w @openclaw-tenancy/local-platform`:
 * starts the whole platform on this machine and runs until Ctrl-C.
 * `npm run local:invite -- <email>` / `npm run local:offboard -- <tenant-id>` /
 * `npm run local:upgrade -- --image <build>`: invites a user to / offboards a
 * tenant of / rolls an image out on the running platform (see `--help`).
 *
 * Stops on Ctrl-C (SIGINT, also when the terminal sends it to the whole
 * process group), SIGTERM (to this process or to the npm that launched it),
 * SIGHUP (the terminal closed), and when the npm wrapper that launched it
 * goes away; every stop ends every process the platform started.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ROLLOUT_WAVES, DEFAULT_WAVE_TIMEOUT_SECONDS, ROLLBACK_WAVES } from '@openclaw-tenancy/lambdas';
import { idleTimeoutProblem } from '@openclaw-tenancy/shared';
import { launcherChain, watchLaunchers } from './host/launcher-watch';
import { OperatorRequestError } from './operator/operator-socket';
import { runInviteCommand } from './operator/invite-command';
import { runOffboardCommand } from './operator/offboard-command';
import { ROLLOUT_EXIT_CODES, UpgradeInterruptedError, runUpgradeCommand } from './operator/upgrade-command';
import { DEFAULT_STATE_DIR, stateLayout } from './state-layout';
import { RunningPlatform, StartAbortedError, startLocalPlatform } from './platform';

const USAGE = `usage: local-platform start [--state-dir DIR] [--subnet 10.203] [--name-prefix ocl]
  [--loopback-port 8080] [--edge-port 8080] [--identity-port 9229] [--secrets-port 4584] [--git-port 9418]
  [--model-port 4600] [--allowed-domain example.com ...] [--idle-timeout SECONDS] [--json]

Starts the whole platform on this machine (as root) and runs until Ctrl-C, then stops everything it started.

  --state-dir DIR       everything the platform keeps (default: <repo>/.local-platform)
  --subnet A.B          the /16 of the pod network (default 10.203)
  --name-prefix P       prefix of the bridge, namespaces and interfaces (default ocl)
  --loopback-port N     the URL to open: http://127.0.0.1:N/ (default 8080); from another machine:
                        ssh -L N:127.0.0.1:N -L 9229:127.0.0.1:9229 <this machine>
  --edge-port N         the edge inside its own namespace (default 8080)
  --identity-port N     the user pool endpoint, on the bridge and on loopback (default 9229)
  --secrets-port N      the local Secrets Manager on the bridge (default 4584)
  --git-port N          the local GitOps remote on loopback (default 9418)
  --model-port N        the local model stand-in on the bridge (default 4600)
  --allowed-domain D    e-mail domain allowed to sign up, repeatable (default example.com)
  --idle-timeout S      stop a tenant's gateway after S seconds without a request or open connection, for every
                        tier (10-86400, 0 = never; default: each tier's idle.timeoutSeconds of the example config);
                        the next signed-in visit wakes it
  --json                one JSON object per line: {"time","message"} for progress, {"event":"up","url",…} when up,
                        {"event":"stopped"} at the end
  --help                this text

usage: local-platform invite <email> [--name NAME] [--state-dir DIR] [--json]

Invites a user to the platform running on DIR, as \`npm run admin -- invite\` does in AWS: creates the user (the
platform's PreSignUp rules first; the temporary password is printed in the platform's output, where Cognito would
e-mail it), claims and provisions the workspace, and waits until it is provisioned. At first sign-in the user chooses
a password. Exit codes: 0 provisioned, 1 not finished in 120 s or no platform running, 2 bad input, 3 refused (the
address has an account, a domain or limit the sign-up rules refuse).

  --name NAME           the person's name

usage: local-platform offboard <tenant-id> [--reason REASON] [--state-dir DIR] [--json]

Offboards a tenant of the platform running on DIR, as \`npm run admin -- offboard\` does in AWS: sends the job to the
offboarding queue (through the running platform's operator socket, DIR/operator.sock) and waits until the offboarder
has disabled the owner, committed the tombstone (the folder keeps the data only) and removed the tenant's access.
Exit codes: 0 offboarded, 1 not finished in 120 s or no platform running, 2 bad input, 3 refused (unknown tenant,
already offboarded).

  --reason REASON       recorded with the tombstone (default offboarded)

usage: local-platform upgrade (--image BUILD | --rollback) [--waves 1,10%,100%] [--wave-timeout SECONDS]
  [--state-dir DIR] [--json]

Rolls a build of the tenant image out on the platform running on DIR, as \`npm run admin -- upgrade\` does in AWS: one
GitOps commit per wave setting the build on its tenants' registry records; the next wave starts when every gateway of
the last one runs it and is ready. BUILD is <tag>, <tag>@<digest> or <digest>; this machine has one build, printed at
start ("tenant image on this machine"). --rollback returns every moved tenant to the platform image. Ctrl-C stops it
at its next check; the same command resumes. Exit codes: 0 done, 1 failed or no platform running, 2 bad input,
3 refused (another rollout unfinished), 4 stopped (a wave failed its health gate, Ctrl-C).

  --waves W             cumulative wave sizes, counts or shares (default ${DEFAULT_ROLLOUT_WAVES}; --rollback: ${ROLLBACK_WAVES})
  --wave-timeout S      how long a wave may take to become healthy (default ${DEFAULT_WAVE_TIMEOUT_SECONDS})

  --json                one JSON object at the end: {"invitation","tenant"} (invite), {"job","tenant"} (offboard),
                        {"result"} (upgrade), or {"error"} (upgrade: with "outcome", "stoppedBy", "rollout")

See packages/local-platform/README.md.`;

let json = false;

function log(line: string): void {
  const now = new Date().toISOString();
  if (json) {
    process.stdout.write(`${JSON.stringify({ time: now, message: line })}\n`);
    return;
  }
  const time = now.slice(11, 19);
  process.stdout.write(
    `${line
      .split('\n')
      .map((l, i) => (i === 0 ? `[${time}] ${l}` : `           ${l}`))
      .join('\n')}\n`,
  );
}

function event(fields: Record<string, unknown>): void {
  if (json) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}

function port(value: string | undefined, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    process.stderr.write(`local-platform: ${option} must be a port number, got ${JSON.stringify(value)}\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

function idleTimeout(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  const problem = Number.isNaN(n) ? `${JSON.stringify(value)} is not a whole number of seconds` : idleTimeoutProblem(n);
  if (problem) {
    process.stderr.write(`local-platform: --idle-timeout: ${problem}\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

/** The exit code of an operator command's failure: 2 bad input, 3 refused, 1 anything else. */
function operatorExitCode(e: unknown): number {
  if (e instanceof OperatorRequestError) return e.status === 400 ? 2 : e.status === 404 || e.status === 409 ? 3 : 1;
  return 1;
}

function reportOperatorFailure(command: string, e: unknown): number {
  const message = (e as Error).message;
  if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  else process.stderr.write(`local-platform ${command}: ${message}\n`);
  return operatorExitCode(e);
}

async function invite(email: string | undefined, name: string | undefined, socketPath: string): Promise<number> {
  if (email === undefined) {
    process.stderr.write(`local-platform invite: name the e-mail address\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await runInviteCommand({ socketPath, email, ...(name ? { name } : {}), progress: (line) => json || log(line) });
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (e) {
    return reportOperatorFailure('invite', e);
  }
}

async function offboard(tenantId: string | undefined, reason: string, socketPath: string): Promise<number> {
  if (tenantId === undefined) {
    process.stderr.write(`local-platform offboard: name the tenant id\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await runOffboardCommand({ socketPath, tenantId, reason, progress: (line) => json || log(line) });
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else log(`tenant ${result.job.tenantId} is offboarded; its workspace data stays in the state folder`);
    return 0;
  } catch (e) {
    return reportOperatorFailure('offboard', e);
  }
}

async function upgrade(values: Record<string, unknown>, socketPath: string): Promise<number> {
  const timeout = values['wave-timeout'] as string | undefined;
  if (timeout !== undefined && !/^[1-9]\d{0,4}$/.test(timeout)) {
    process.stderr.write(`local-platform upgrade: --wave-timeout ${JSON.stringify(timeout)} is not a number of seconds\n`);
    return 2;
  }
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  try {
    const end = await runUpgradeCommand({
      socketPath,
      rollback: values.rollback === true,
      ...(typeof values.image === 'string' ? { image: values.image } : {}),
      ...(typeof values.waves === 'string' ? { waves: values.waves } : {}),
      ...(timeout !== undefined ? { waveTimeoutSeconds: Number(timeout) } : {}),
      progress: (line) => json || log(line),
      signal: interrupt.signal,
    });
    if (json) process.stdout.write(`${JSON.stringify(end)}\n`);
    if ('result' in end) {
      if (!json) log(`${end.result.image}: ${end.result.done} of ${end.result.total} tenants${end.result.complete ? ' (every one)' : ''}`);
      return ROLLOUT_EXIT_CODES.done;
    }
    if (!json) process.stderr.write(`local-platform upgrade: ${end.error}\n`);
    return ROLLOUT_EXIT_CODES[end.outcome];
  } catch (e) {
    if (e instanceof UpgradeInterruptedError) {
      if (json) process.stdout.write(`${JSON.stringify({ error: e.message, outcome: 'stopped' })}\n`);
      else process.stderr.write(`local-platform upgrade: ${e.message}\n`);
      return ROLLOUT_EXIT_CODES.stopped;
    }
    return reportOperatorFailure('upgrade', e);
  }
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
      'loopback-port': { type: 'string', default: '8080' },
      'model-port': { type: 'string', default: '4600' },
      json: { type: 'boolean', default: false },
      'allowed-domain': { type: 'string', multiple: true, default: ['example.com'] },
      'idle-timeout': { type: 'string' },
      reason: { type: 'string', default: 'offboarded' },
      name: { type: 'string' },
      image: { type: 'string' },
      rollback: { type: 'boolean', default: false },
      waves: { type: 'string' },
      'wave-timeout': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  json = values.json === true;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals[0] === 'invite') {
    process.exit(
      await invite(positionals[1], values.name as string | undefined, stateLayout(values['state-dir'] as string).operatorSocket),
    );
  }
  if (positionals[0] === 'offboard') {
    process.exit(await offboard(positionals[1], values.reason as string, stateLayout(values['state-dir'] as string).operatorSocket));
  }
  if (positionals[0] === 'upgrade') {
    process.exit(await upgrade(values, stateLayout(values['state-dir'] as string).operatorSocket));
  }
  if (positionals[0] !== 'start') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const startedAt = Date.now();
  // The functions log JSON through Powertools; warnings and errors are enough on a console.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const abort = new AbortController();
  // Before the start: a signal that arrives while no handler is installed would end the process at once,
  // leaving what the start had begun. The handlers run on the event loop, after `starting` is assigned.
  process.on('SIGINT', () => stop('SIGINT (Ctrl-C)'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP (the terminal closed)'));
  const endWatch = watchLaunchers(launcherChain(), (launcher) =>
    stop(`the process that launched the platform (pid ${launcher.pid}, ${launcher.argv.join(' ').slice(0, 60)}) exited`),
  );
  const starting: Promise<RunningPlatform> = startLocalPlatform({
    signal: abort.signal,
    stateDir: values['state-dir'] as string,
    network: { namePrefix: values['name-prefix'] as string, subnet: values.subnet as string },
    edgePort: port(values['edge-port'], '--edge-port'),
    identityPort: port(values['identity-port'], '--identity-port'),
    secretsPort: port(values['secrets-port'], '--secrets-port'),
    gitPort: port(values['git-port'], '--git-port'),
    loopbackPort: port(values['loopback-port'], '--loopback-port'),
    modelPort: port(values['model-port'], '--model-port'),
    allowedEmailDomains: values['allowed-domain'] as string[],
    ...(values['idle-timeout'] === undefined ? {} : { idleTimeoutSeconds: idleTimeout(values['idle-timeout']) }),
    progress: log,
  });
  let stopping: number | undefined;
  const stop = (reason: string) => {
    if (stopping !== undefined) {
      // One Ctrl-C can arrive twice (the terminal's signal to the group, and a wrapper such as tsx relaying it).
      if (Date.now() - stopping < 2000) return;
      log(`${reason} again: exiting without waiting (the next start cleans up what is left)`);
      process.exit(130);
    }
    stopping = Date.now();
    endWatch();
    log(`${reason}: stopping everything (state stays in ${values['state-dir']})…`);
    // A platform still starting ends at its next phase, stopping what it started; a failed start has already cleaned up.
    abort.abort();
    void starting
      .then(
        (platform) => platform.stop(),
        (e: unknown) => {
          if (!(e instanceof StartAbortedError)) throw e;
        },
      )
      .then(
        () => {
          log(`stopped in ${((Date.now() - (stopping ?? Date.now())) / 1000).toFixed(1)} s; nothing of it is running`);
          event({ event: 'stopped' });
          process.exit(0);
        },
        () => process.exit(1),
      );
  };

  // An aborted start is the stop handler's to report.
  const platform = await starting.catch((e: unknown) => {
    if (e instanceof StartAbortedError) return undefined;
    throw e;
  });
  if (platform === undefined || stopping !== undefined) return;
  const domains = (values['allowed-domain'] as string[]).map((d) => `@${d}`).join(', ');
  const loopbackPort = values['loopback-port'] as string;
  log(`local platform up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  log(`open ${platform.url} and sign up with an ${domains} address (the confirmation code is printed here). Ctrl-C stops everything.`);
  log(
    `  on another machine: ssh -L ${loopbackPort}:127.0.0.1:${loopbackPort} -L ${values['identity-port']}:127.0.0.1:${values['identity-port']} <this machine>, then open ${platform.url} there`,
  );
  log(`  the agent's model is the local stand-in at ${platform.modelEndpoint}: scripted replies that say so, no real model`);
  event({
    event: 'up',
    url: platform.url,
    identityEndpoint: platform.identityEndpoint,
    modelEndpoint: platform.modelEndpoint,
    userPoolId: platform.userPoolId,
    appClientId: platform.appClientId,
  });
}

main().catch((error: unknown) => {
  event({ event: 'failed', message: (error as Error).message });
  process.stderr.write(`local-platform: ${(error as Error).message}\n`);
  process.exit(1);
});
