import { failureSummary } from '../src/pods/container-log';
import { parseValidation } from '../src/reconciler/tenant-pod';

describe("reading OpenClaw's output", () => {
  it('takes the verdict and issues of `openclaw config validate --json` (captured from openclaw 2026.9.6)', () => {
    expect(parseValidation('{"valid":true,"path":"/etc/openclaw/openclaw.json","warnings":[]}\n')).toEqual({ valid: true, issues: [] });
    const invalid = JSON.stringify({
      ok: false,
      error: { type: 'cli_error', message: 'OpenClaw config is invalid: /etc/openclaw/openclaw.json' },
      valid: false,
      path: '/etc/openclaw/openclaw.json',
      issues: [
        {
          path: 'gateway.bind',
          message: 'Invalid input (allowed: "auto", "lan", "loopback", "custom", "tailnet")',
          allowedValues: ['auto', 'lan', 'loopback', 'custom', 'tailnet'],
        },
        { path: 'gateway.controlUi', message: 'Unrecognized key: "basepath"' },
      ],
    });
    expect(parseValidation(invalid)).toEqual({
      valid: false,
      issues: [
        'gateway.bind: Invalid input (allowed: "auto", "lan", "loopback", "custom", "tailnet")',
        'gateway.controlUi: Unrecognized key: "basepath"',
      ],
    });
    expect(parseValidation('{"ok":false,"error":{"type":"cli_error","message":"file not found"},"valid":false}')).toEqual({
      valid: false,
      issues: ['file not found'],
    });
    expect(parseValidation('Segmentation fault')).toBeUndefined();
  });

  it('names the first errors of a failed start, not the triage chatter after them', () => {
    const log = [
      '│',
      '◇  Doctor warnings ──────╮',
      '{"time":"2026-11-25T12:57:20.000+00:00","level":"info","subsystem":"gateway","message":"starting..."}',
      '{"time":"2026-11-25T12:57:26.575+00:00","level":"error","message":"Gateway failed to start: Startup failed: required secrets are unavailable.. Run openclaw gateway status --deep for diagnostics."}',
      '{"time":"2026-11-25T12:57:26.631+00:00","level":"error","message":"Automatic triage is preparing the installed CLI; diagnostics will follow.\\n"}',
      '{"time":"2026-11-25T12:57:47.548+00:00","level":"error","message":"Automatic triage could not complete"}',
    ].join('\n');
    expect(failureSummary(log)).toEqual([
      'Gateway failed to start: Startup failed: required secrets are unavailable.. Run openclaw gateway status --deep for diagnostics.',
      'Automatic triage is preparing the installed CLI; diagnostics will follow.',
    ]);
    expect(failureSummary('\u001b[31mError: Cannot find module /app/dist/index.js\u001b[39m\n    at node:internal\n')).toEqual([
      'Error: Cannot find module /app/dist/index.js',
      'at node:internal',
    ]);
  });
});
