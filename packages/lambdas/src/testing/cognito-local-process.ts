/**
 * Runs cognito-local (npm `cognito-local`, a devDependency: install it where
 * this is used) as a child process in its own working directory, with its
 * triggers pointed at a Lambda Invoke endpoint. cognito-local reads
 * `.cognito/config.json` from its working directory and keeps its users in
 * `.cognito/db/<poolId>.json`, where tests find confirmation codes.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freeLoopbackPort } from './free-port';

export interface CognitoLocalOptions {
  /** Directory for `.cognito/` (config and database); created if absent. */
  readonly workDir: string;
  /** Endpoint of a Lambda Invoke API (see lambda-invoke-server.ts). */
  readonly lambdaEndpoint: string;
  /** Trigger → function name, e.g. `{ PreSignUp: 'pre-signup', PostConfirmation: 'post-confirmation' }`. */
  readonly triggers: Readonly<Record<string, string>>;
  /** @default a free loopback port */
  readonly port?: number;
  /** @default 20000 */
  readonly startTimeoutMs?: number;
}

export interface CognitoLocal {
  readonly endpoint: string;
  /** The confirmation code cognito-local generated for a user (by username or sub). */
  confirmationCode(userPoolId: string, userName: string): string;
  stop(): Promise<void>;
}

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const port = options.port ?? (await freeLoopbackPort());
  const configDir = path.join(options.workDir, '.cognito');
  fs.mkdirSync(configDir, { recursive: true });
  fs.writeFileSync(
    path.join(configDir, 'config.json'),
    JSON.stringify(
      {
        LambdaClient: {
          endpoint: options.lambdaEndpoint,
          region: 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        },
        TriggerFunctions: options.triggers,
        UserPoolDefaults: { UsernameAttributes: ['email'] },
      },
      null,
      2,
    ),
  );
  const entry = require.resolve('cognito-local/lib/bin/start.js');
  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd: options.workDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 20000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`cognito-local exited (${child.signalCode ?? child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${endpoint}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`cognito-local did not start on ${endpoint}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    confirmationCode(userPoolId, userName) {
      const db = JSON.parse(fs.readFileSync(path.join(configDir, 'db', `${userPoolId}.json`), 'utf8')) as {
        Users?: Record<string, { Username?: string; ConfirmationCode?: string; Attributes?: Array<{ Name: string; Value: string }> }>;
      };
      const user = Object.values(db.Users ?? {}).find(
        (u) => u.Username === userName || u.Attributes?.some((a) => (a.Name === 'email' || a.Name === 'sub') && a.Value === userName),
      );
      if (!user?.ConfirmationCode) throw new Error(`no confirmation code for ${userName} in pool ${userPoolId}`);
      return user.ConfirmationCode;
    },
    async stop() {
      // Exited already (with a code, or by a signal such as a terminal's Ctrl-C to the whole group): 'exit' will not fire again.
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}
