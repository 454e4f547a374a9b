/**
 * EventBridge pattern matching for the subset the platform's rules use:
 * literal lists, `anything-but` lists, `prefix`, `numeric` comparisons and nested
 * objects. As in EventBridge, a field the pattern names must be present in
 * the event (also under `anything-but`), and a list matches if any of its
 * entries matches. Used to run sample CloudTrail events through the synthesized rules.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function matchesEventPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (actual === undefined) return false;
    if (Array.isArray(expected)) return expected.some((entry) => matchesEntry(entry as Json, actual as Json));
    if (expected !== null && typeof expected === 'object') {
      return (
        actual !== null &&
        typeof actual === 'object' &&
        !Array.isArray(actual) &&
        matchesEventPattern(expected as Record<string, unknown>, actual as Record<string, unknown>)
      );
    }
    throw new Error(`pattern field ${key} must be a list or an object, got ${JSON.stringify(expected)}`);
  });
}

function matchesEntry(entry: Json, actual: Json): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    if ('anything-but' in entry) {
      const excluded = entry['anything-but'];
      const list = Array.isArray(excluded) ? excluded : [excluded];
      return values.every((v) => !list.includes(v));
    }
    if ('prefix' in entry) {
      const prefix = entry.prefix as string;
      return values.some((v) => typeof v === 'string' && v.startsWith(prefix));
    }
    if ('numeric' in entry) {
      const [op, bound] = entry.numeric as [string, number];
      return values.some((v) => typeof v === 'number' && compare(op, v, bound));
    }
    throw new Error(`unsupported pattern entry ${JSON.stringify(entry)}`);
  }
  return values.includes(entry);
}

function compare(op: string, v: number, bound: number): boolean {
  switch (op) {
    case '>=':
      return v >= bound;
    case '>':
      return v > bound;
    case '<=':
      return v <= bound;
    case '<':
      return v < bound;
    case '=':
      return v === bound;
    default:
      throw new Error(`unsupported numeric operator ${op}`);
  }
}
