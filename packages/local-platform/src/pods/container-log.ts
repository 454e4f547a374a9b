/**
 * Reading a container's log after the fact: the part one run wrote (logs are
 * appended across restarts), and the few lines that explain a failure.
 * OpenClaw logs JSON lines (`logging.consoleStyle: json`) with `level` and
 * `message`; anything else is kept as plain text.
 */
import * as fs from 'node:fs';

/** Current size of the log, so a run's own output can be read from there later. */
export function logOffset(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function readLogSince(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.max(0, size - offset));
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * The first error lines of a run (at most `max`: the cause comes first, OpenClaw's
 * automatic triage chatter after it), or its last lines when it logged no error.
 */
export function failureSummary(output: string, max = 2): string[] {
  const lines = output
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const errors: string[] = [];
  const plain: string[] = [];
  for (const line of lines) {
    if (line.startsWith('{')) {
      try {
        const entry = JSON.parse(line) as { level?: string; message?: string };
        if ((entry.level === 'error' || entry.level === 'fatal') && entry.message) errors.push(entry.message.split('\n')[0] ?? '');
        continue;
      } catch {
        // not a JSON log line after all
      }
    }
    // Box-drawing frames of OpenClaw's console notices carry no information of their own.
    if (!/^[│◇├╮╯─\s]*$/.test(line)) plain.push(line.replace(/^[│◇├]\s*/, '').replace(/\s*[│╮╯]$/, ''));
  }
  return errors.length > 0 ? errors.slice(0, max) : plain.slice(-max);
}
