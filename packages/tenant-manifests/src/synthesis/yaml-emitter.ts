/**
 * A small, deterministic YAML emitter for JSON-shaped Kubernetes objects.
 *
 * The committed manifests are a contract: a dependency upgrade of a general
 * YAML library must not re-format 10,000 tenant files. This emitter pins the
 * format in our own code (block style, two-space indent, sequences indented
 * under their key, multi-line strings as literal blocks) and is several times
 * faster than a general-purpose serializer. Strings that a YAML 1.1 or 1.2
 * parser (go-yaml in Argo CD and kubectl included) could read as anything
 * other than the same string are double-quoted. Tests check that parsing the
 * output gives back exactly the input.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SAFE_PLAIN = /^[A-Za-z0-9_./-][A-Za-z0-9_./:@+=, -]*$/;
const YAML_KEYWORD = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;
const NUMBER_LIKE = /^[-+]?(?:(?:\d[\d_]*)?(?:\.[\d_]*)?(?:[eE][-+]?\d+)?|0[xob][0-9a-fA-F_]+|\.inf|\.nan|\d+(?::[0-5]?\d)+(?:\.\d*)?)$/i;
const DATE_LIKE = /^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/;

function isPlain(s: string): boolean {
  return (
    s.length > 0 &&
    SAFE_PLAIN.test(s) &&
    !s.endsWith(' ') &&
    !s.endsWith(':') &&
    !s.includes(': ') &&
    !s.includes(' #') &&
    !(s.startsWith('-') && (s.length === 1 || s[1] === ' ')) &&
    !YAML_KEYWORD.test(s) &&
    !NUMBER_LIKE.test(s) &&
    !DATE_LIKE.test(s)
  );
}

function scalar(value: null | boolean | number | string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot emit non-finite number ${value}`);
    return String(value);
  }
  return isPlain(value) ? value : JSON.stringify(value);
}

/** Literal block for multi-line strings: readable in review, exact on parse. */
function literalBlock(value: string, indent: string): string | undefined {
  // Carriage returns, tabs at line starts and trailing spaces are not representable
  // faithfully in every parser's literal mode; such strings are quoted instead.
  if (/[\r\u0085\u2028\u2029]|[^\n]*[ \t]\n|^\t|\n\t/.test(value) || /[^\x09\x0a\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]/.test(value))
    return undefined;
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  if (body.endsWith('\n')) return undefined; // "keep" chomping needs `|+`; not worth the ambiguity
  const chomp = value.endsWith('\n') ? '' : '-';
  const indicator = body.startsWith(' ') ? '2' : '';
  const lines = body.split('\n').map((l) => (l.length > 0 ? `${indent}${l}` : ''));
  return `|${indicator}${chomp}\n${lines.join('\n')}`;
}

function emitValue(value: Json, indent: string): { inline: string } | { block: string } {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && value.includes('\n')) {
      const block = literalBlock(value, `${indent}  `);
      if (block !== undefined) return { inline: block };
    }
    return { inline: scalar(value) };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { inline: '[]' };
    return { block: value.map((item) => sequenceItem(item, `${indent}  `)).join('') };
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return { inline: '{}' };
  return { block: emitMapping(value, `${indent}  `) };
}

function sequenceItem(item: Json, indent: string): string {
  if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length > 0) {
    // `- first: x` then the remaining keys aligned under `first`.
    const mapping = emitMapping(item, `${indent}  `);
    return `${indent}- ${mapping.slice(indent.length + 2)}`;
  }
  const v = emitValue(item, indent);
  return 'inline' in v ? `${indent}- ${v.inline}\n` : `${indent}-\n${v.block}`;
}

function emitMapping(obj: { [key: string]: Json }, indent: string): string {
  let out = '';
  for (const key of Object.keys(obj)) {
    const value = obj[key] as Json;
    const k = scalar(key);
    const v = emitValue(value, indent);
    out += 'inline' in v ? `${indent}${k}: ${v.inline}\n` : `${indent}${k}:\n${v.block}`;
  }
  return out;
}

/** One YAML document (without the `---` marker) for a JSON-shaped value. */
export function emitYamlDocument(value: unknown): string {
  const json = value as Json;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('a manifest document must be a mapping');
  return emitMapping(json, '');
}
