/**
 * cognito-local (npm `cognito-local`) as a child process on loopback, with
 * its data in the state folder so users survive a restart. The lambdas
 * package has a launcher for tests, but it fixes the issuer to the process's
 * own URL and keeps no state; the local platform needs the issuer to be the
 * public identity front's URL (`TokenConfig.IssuerDomain`), which the edge
 * and the browser use.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stopChildProcess } from '../host/child-process-stop';
import type { SystemCommands } from '../host/system-commands';

export interface CognitoLocalProcessOptions {
  /** Working directory: `.cognito/config.json` and `.cognito/db/` live here. */
  readonly workDir: string;
  readonly port: number;
  /** Lambda Invoke endpoint of the trigger functions. */
  readonly lambdaEndpoint: string;
  /** Trigger → function name. */
  readonly triggers: Readonly<Record<string, string>>;
  /** Origin that appears in tokens as the issuer (`<origin>/<poolId>`). */
  readonly issuerDomain: string;
  readonly logFile: string;
  /** Called with each code cognito-local "delivers" (it sends no e-mail; it prints the message). */
  readonly onCodeDelivery?: (destination: string, code: string) => void;
  /** @default 30000 */
  readonly startTimeoutMs?: number;
}

export interface CognitoLocalProcess {
  /** `http://127.0.0.1:<port>`: the admin endpoint, for the platform's own calls. */
  readonly endpoint: string;
  /** The code cognito-local generated for a user's sign-up confirmation (or password reset), from its database. */
  confirmationCode(userPoolId: string, email: string): string | undefined;
  stop(): Promise<void>;
}

/** How long cognito-local gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5000;

export async function startCognitoLocalProcess(
  options: CognitoLocalProcessOptions,
  commands: SystemCommands,
): Promise<CognitoLocalProcess> {
  const configDir = path.join(options.workDir, '.cognito');
  fs.mkdirSync(configDir, { recursive: true });
  fs.writeFileSync(
    path.join(configDir, 'config.json'),
    `${JSON.stringify(
      {
        LambdaClient: {
          endpoint: options.lambdaEndpoint,
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        },
        TriggerFunctions: options.triggers,
        TokenConfig: { IssuerDomain: options.issuerDomain },
        UserPoolDefaults: { UsernameAttributes: ['email'] },
      },
      null,
      2,
    )}\n`,
  );
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  // setpriv --pdeathsig: cognito-local ends with the platform, even when the platform is killed. Its own process
  // group: a terminal's Ctrl-C reaches only the platform, which stops its parts in order.
  const child: ChildProcess = spawn(
    commands.setpriv,
    ['--pdeathsig=SIGTERM', '--', process.execPath, require.resolve('cognito-local/lib/bin/start.js')],
    {
      cwd: options.workDir,
      // AWS SDK v2 inside cognito-local: its end-of-support notice is nothing a user of the platform can act on.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOST: '127.0.0.1',
        PORT: String(options.port),
        DEBUG: '',
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let recent = '';
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    recent = (recent + chunk.toString('utf8')).slice(-8000);
    // The delivery box (possibly inside a JSON log line, with escaped newlines) names the address and the code.
    const delivery = /Destination:\s+([^\s\\│"]+)[\s\S]*?Code:\s+(\d+)/.exec(recent);
    if (delivery) {
      recent = recent.slice((delivery.index ?? 0) + delivery[0].length);
      options.onCodeDelivery?.(delivery[1] ?? '', delivery[2] ?? '');
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  child.once('exit', () => log.end());
  const endpoint = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`cognito-local exited (${child.signalCode ?? `code ${child.exitCode}`}) during start; see ${options.logFile}`);
    try {
      if ((await fetch(`${endpoint}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `cognito-local did not answer on ${endpoint} within ${(options.startTimeoutMs ?? 30000) / 1000} s; see ${options.logFile}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    confirmationCode(userPoolId, email) {
      const file = path.join(configDir, 'db', `${userPoolId}.json`);
      if (!fs.existsSync(file)) return undefined;
      const db = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        Users?: Record<string, { ConfirmationCode?: string; Attributes?: Array<{ Name: string; Value: string }> }>;
      };
      const user = Object.values(db.Users ?? {}).find((u) => u.Attributes?.some((a) => a.Name === 'email' && a.Value === email));
      return user?.ConfirmationCode;
    },
    async stop() {
      await stopChildProcess(child, exited, STOP_GRACE_MS);
    },
  };
}
