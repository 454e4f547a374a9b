/**
 * `local-platform upgrade`: rolls a build of the tenant image out on the
 * running local platform, as `npm run admin -- upgrade` does in AWS — the
 * platform's `rollOutImage` on its GitOps remote, each wave gated on the
 * tenant pods — and prints the rollout's progress as it streams in. Ctrl-C
 * closes the connection, which stops the rollout at its next check; the
 * committed waves stay and the same command resumes.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { OperatorRequestError, type RolloutEnd, type RolloutOutcome } from './operator-socket';

export interface UpgradeCommandOptions {
  readonly socketPath: string;
  /** A build of the platform image (`<tag>`, `<tag>@<digest>`, `<digest>`); absent with `rollback`. */
  readonly image?: string;
  readonly rollback: boolean;
  /** @default - the platform's default waves */
  readonly waves?: string;
  /** @default - the platform's default wave timeout */
  readonly waveTimeoutSeconds?: number;
  readonly progress: (line: string) => void;
  /** Aborting (Ctrl-C) stops the rollout at its next check. */
  readonly signal?: AbortSignal;
}

/** The exit code of each way a rollout ends (the same as `platform-admin upgrade`'s). */
export const ROLLOUT_EXIT_CODES: Readonly<Record<RolloutOutcome, number>> = { done: 0, failed: 1, usage: 2, refused: 3, stopped: 4 };

export class UpgradeInterruptedError extends Error {
  constructor() {
    super('stopped: the rollout stops at its next check; the committed waves stay, and the same command resumes');
    this.name = 'UpgradeInterruptedError';
  }
}

export async function runUpgradeCommand(options: UpgradeCommandOptions): Promise<RolloutEnd> {
  if (!fs.existsSync(options.socketPath))
    throw new OperatorRequestError(
      0,
      `no local platform is running on this state folder (${options.socketPath} is missing); start it with \`npm run local\``,
    );
  const body = JSON.stringify({
    ...(options.image !== undefined ? { image: options.image } : {}),
    ...(options.rollback ? { rollback: true } : {}),
    ...(options.waves !== undefined ? { waves: options.waves } : {}),
    ...(options.waveTimeoutSeconds !== undefined ? { waveTimeoutSeconds: options.waveTimeoutSeconds } : {}),
  });
  return new Promise<RolloutEnd>((resolve, reject) => {
    const req = http.request(
      { socketPath: options.socketPath, method: 'POST', path: '/upgrade', headers: { 'content-type': 'application/json' } },
      (res) => {
        let buffered = '';
        let end: RolloutEnd | undefined;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
            const line = JSON.parse(buffered.slice(0, newline)) as { progress?: string } & Partial<RolloutEnd>;
            buffered = buffered.slice(newline + 1);
            if (res.statusCode !== 200) continue;
            if (typeof line.progress === 'string') options.progress(line.progress);
            else end = line as RolloutEnd;
          }
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            const refusal = JSON.parse(buffered || '{}') as { error?: string };
            reject(new OperatorRequestError(res.statusCode ?? 500, refusal.error ?? `HTTP ${res.statusCode}`));
          } else if (end) resolve(end);
          else reject(new Error('the platform closed the rollout stream without its result (see its log)'));
        });
      },
    );
    options.signal?.addEventListener('abort', () => {
      req.destroy();
      reject(new UpgradeInterruptedError());
    });
    req.on('error', (e) => {
      if (!options.signal?.aborted)
        reject(new OperatorRequestError(0, `the local platform did not answer on ${options.socketPath}: ${e.message}`));
    });
    req.end(body);
  });
}
