/**
 * The two pattern languages Argo CD matches AppProject fields with, ported so
 * that tests judge our AppProjects by Argo CD's rules rather than ours:
 *
 * - destinations and source repositories: `github.com/gobwas/glob` v0.2.3
 *   (through Argo CD's `util/glob`): `*` any run of non-separator characters,
 *   `**` any run, `?` one non-separator character, `[a-z]` / `[!a-z]`
 *   classes, `{a,b}` alternatives, `\` escapes. A pattern that does not
 *   compile matches nothing.
 * - resource whitelists: Go's `filepath.Match`: `*`, `?`, `[a-z]` / `[^a-z]`,
 *   `\` escapes, `/` as the separator. A malformed pattern matches nothing.
 */

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;
const escapeRegex = (text: string): string => text.replace(REGEX_SPECIAL, '\\$&');

class PatternSyntaxError extends Error {}

/** A character class body up to its closing `]`; returns the regex class and the index after `]`. */
function readClass(pattern: string, start: number, negation: string): { source: string; end: number } {
  let i = start;
  let negated = false;
  if (pattern[i] === negation) {
    negated = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < pattern.length && (pattern[i] !== ']' || first)) {
    let ch = pattern[i] as string;
    if (ch === '\\') {
      i++;
      if (i >= pattern.length) throw new PatternSyntaxError('dangling escape in class');
      ch = pattern[i] as string;
    }
    if (ch === ']' && first) throw new PatternSyntaxError('empty class');
    first = false;
    if (pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']') {
      let hi = pattern[i + 2] as string;
      let skip = 3;
      if (hi === '\\') {
        hi = pattern[i + 3] ?? '';
        skip = 4;
        if (!hi) throw new PatternSyntaxError('dangling escape in range');
      }
      if (hi < ch) throw new PatternSyntaxError('inverted range');
      body += `${escapeRegex(ch)}-${escapeRegex(hi)}`;
      i += skip;
      continue;
    }
    body += escapeRegex(ch);
    i++;
  }
  if (pattern[i] !== ']') throw new PatternSyntaxError('unterminated class');
  if (body === '') throw new PatternSyntaxError('empty class');
  return { source: `[${negated ? '^' : ''}${body}]`, end: i + 1 };
}

function gobwasToRegex(pattern: string, separators: readonly string[]): string {
  const notSep = separators.length === 0 ? '[\\s\\S]' : `[^${separators.map(escapeRegex).join('')}]`;
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      if (i + 1 >= pattern.length) throw new PatternSyntaxError('dangling escape');
      out += escapeRegex(pattern[i + 1] as string);
      i += 2;
    } else if (ch === '*') {
      if (pattern[i + 1] === '*') {
        out += '[\\s\\S]*';
        i += 2;
      } else {
        out += `${notSep}*`;
        i++;
      }
    } else if (ch === '?') {
      out += notSep;
      i++;
    } else if (ch === '[') {
      const cls = readClass(pattern, i + 1, '!');
      out += cls.source;
      i = cls.end;
    } else if (ch === '{') {
      depth++;
      out += '(?:';
      i++;
    } else if (ch === ',' && depth > 0) {
      out += '|';
      i++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      out += ')';
      i++;
    } else {
      out += escapeRegex(ch);
      i++;
    }
  }
  if (depth !== 0) throw new PatternSyntaxError('unterminated alternatives');
  return out;
}

/** `glob.Match(pattern, text, separators...)` as Argo CD calls it: false for a pattern that does not compile. */
export function gobwasGlobMatch(pattern: string, text: string, separators: readonly string[] = []): boolean {
  try {
    return new RegExp(`^${gobwasToRegex(pattern, separators)}$`).test(text);
  } catch (e) {
    if (e instanceof PatternSyntaxError || e instanceof SyntaxError) return false;
    throw e;
  }
}

/** Go's `filepath.Match(pattern, name)` on Linux; a malformed pattern (Go's ErrBadPattern) matches nothing. */
export function goFilepathMatch(pattern: string, name: string): boolean {
  let source = '';
  try {
    for (let i = 0; i < pattern.length;) {
      const ch = pattern[i] as string;
      if (ch === '\\') {
        if (i + 1 >= pattern.length) throw new PatternSyntaxError('dangling escape');
        source += escapeRegex(pattern[i + 1] as string);
        i += 2;
      } else if (ch === '*') {
        source += '[^/]*';
        i++;
      } else if (ch === '?') {
        source += '[^/]';
        i++;
      } else if (ch === '[') {
        const cls = readClass(pattern, i + 1, '^');
        source += cls.source;
        i = cls.end;
      } else {
        source += escapeRegex(ch);
        i++;
      }
    }
    return new RegExp(`^${source}$`).test(name);
  } catch (e) {
    if (e instanceof PatternSyntaxError || e instanceof SyntaxError) return false;
    throw e;
  }
}
