/**
 * One platform per state folder, and one per network name prefix: two would
 * fight over the same database snapshot and GitOps repository, or remove each
 * other's namespaces as "leftovers". A lock file holds the owner's pid; a lock
 * whose process is gone (a crash, a kill -9) is taken over.
 */
import * as fs from 'node:fs';

export class PlatformLockedError extends Error {
  constructor(what: string, pid: number, hint: string) {
    super(`another local platform (pid ${pid}) is using ${what}; ${hint}`);
    this.name = 'PlatformLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StateLock {
  release(): void;
}

/** Takes `lockFile` for this process; `what` and `hint` phrase the refusal when another live platform holds it. */
export function takeLock(lockFile: string, what: string, hint: string): StateLock {
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => fs.rmSync(lockFile, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) throw new PlatformLockedError(what, owner, hint);
    fs.rmSync(lockFile, { force: true });
  }
}
