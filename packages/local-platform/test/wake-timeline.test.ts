import { gatewayStartPhases } from './support/wake-timeline';

const t0 = Date.parse('2026-12-04T20:00:00.000Z');
const line = (offsetMs: number, message: string) => ({ at: t0 + offsetMs, message });

describe('the start breakdown read from a gateway log', () => {
  it('splits module loading from bootstrap with the startup trace, and times the rest from messages', () => {
    const log = [
      // logged late, but its total places the step 2.9 s after the process started at t0 + 500 ms
      line(4000, '[gateway] startup trace: cli.main.gateway-run-pre-bootstrap 26.8ms total=2900.0ms start=2873.2ms'),
      line(9000, '[gateway] startup trace: cli.main.gateway-run-bootstrap 5000.0ms total=8000.0ms start=3000.0ms'),
      line(10000, '[gateway] startup trace: process.bootstrap 9000.0ms total=9500.0ms start=500.0ms'),
      line(14000, 'http server listening (14 plugins: …)'),
      line(16000, 'gateway ready'),
      line(20000, '[gateway] startup trace: sidecars.control-ui-assets 4000.0ms total=19500.0ms start=15500.0ms'),
    ];
    expect(gatewayStartPhases(log, t0)).toEqual([
      ["platform: sandbox and node start before OpenClaw's clock", 500],
      ['modules loaded, CLI ready to bootstrap', 2900],
      ['bootstrap: state migrations, config, plugin plan', 5100],
      ['server modules, state, workers', 1500],
      ['HTTP server listening (plugins loaded)', 4000],
      ['gateway ready (channels and sidecars)', 2000],
      ['Control UI assets verified (after ready; the first page load waits for them)', 4000],
    ]);
  });

  it('falls back to the messages when the log has no trace', () => {
    expect(gatewayStartPhases([line(14000, 'http server listening'), line(16000, 'gateway ready')], t0)).toEqual([
      ['HTTP server listening (plugins loaded)', 14000],
      ['gateway ready (channels and sidecars)', 2000],
    ]);
  });
});
