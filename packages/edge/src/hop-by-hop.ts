/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and must not
 * be relayed, plus any header the `Connection` header names.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

export function withoutHopByHop(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Record<string, string | string[]> {
  const listed = String(headers['connection'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.includes(lower) || listed.includes(lower)) continue;
    out[lower] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}
