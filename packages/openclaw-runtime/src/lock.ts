import { spawn } from 'node:child_process';

/**
 * Runs `fn` while holding an exclusive flock(2) on `lockFile`.
 *
 * The lock is held by a `flock … cat` child whose stdin is our pipe: when we
 * release (or crash, or are killed) the pipe closes, `cat` ends and the kernel
 * drops the lock. So unlike a mkdir/pid-file lock there is never a stale lock to
 * detect or steal.
 */
export async function withFileLock<T>(lockFile: string, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  const holder = spawn('flock', ['--exclusive', lockFile, '-c', 'echo locked && exec cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const waitNotice = setTimeout(onWait, 1000);
  try {
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      holder.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      holder.stdout.once('data', () => resolve());
      holder.once('error', reject);
      holder.once('exit', (code) => reject(new Error(`flock on ${lockFile} exited with code ${code} before locking: ${stderr.trim()}`)));
    });
  } finally {
    clearTimeout(waitNotice);
  }
  try {
    return await fn();
  } finally {
    holder.stdin.end();
  }
}
