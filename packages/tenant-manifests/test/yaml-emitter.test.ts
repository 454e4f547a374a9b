import { parse } from 'yaml';
import { synthesizePlatformObjects } from '../src';
import { emitYamlDocument } from '../src/synthesis/yaml-emitter';
import { exampleConfig, objectsOf, tenant } from './fixtures';

const roundTrip = (value: unknown) => expect(parse(emitYamlDocument(value), { version: '1.1' })).toEqual(value);

describe('emitYamlDocument', () => {
  it('round-trips every synthesized object exactly (YAML 1.1 and 1.2 readers)', () => {
    for (const o of [...objectsOf(tenant('a1', 'large', 'gvisor')), ...synthesizePlatformObjects(exampleConfig)]) {
      roundTrip(o);
      expect(parse(emitYamlDocument(o), { version: '1.2' })).toEqual(o);
    }
  });

  it.each([
    'yes',
    'No',
    'on',
    'OFF',
    'y',
    'true',
    'null',
    '~',
    '',
    ' ',
    'a ',
    ' a',
    '4',
    '-1',
    '1e3',
    '0x1F',
    '0755',
    '1_000',
    '.inf',
    '12:30',
    '2026-11-25',
    '2026-11-25T10:00:00Z',
    'key: value',
    'a #comment',
    '#x',
    '*alias',
    '&anchor',
    '!tag',
    '%d',
    '@x',
    '`x`',
    '|',
    '>',
    "'q'",
    '"q"',
    '{}',
    '[]',
    '?',
    '-',
    '- x',
    '--flag',
    'a,b',
    'openclaw-*',
    'ünïcode',
    'tab\there',
    'line\nbreak',
    'trailing\n',
    '  indented\nblock\n',
    'two\n\n',
    'cr\r\nlf',
    'trailing space \nline',
    '\ttab start\nx',
    '10.40.0.0/16',
    'v1.33',
    '2026.9.6',
    'x:y',
    'x:',
  ])('quotes or blocks %j so it stays that string', (s) => {
    roundTrip({ value: s, list: [s], [s || 'empty']: 1 });
  });

  it('keeps numbers, booleans, null, empty collections and nesting', () => {
    roundTrip({ a: 1, b: 1.5, c: true, d: false, e: null, f: [], g: {}, h: [[1, 2], [{ x: [] }]], i: [{ a: 1, b: { c: [1] } }] });
  });

  it('writes multi-line strings as literal blocks for review', () => {
    expect(emitYamlDocument({ data: { 'openclaw.json': '{\n  "a": 1\n}\n' } })).toBe(
      'data:\n  openclaw.json: |\n    {\n      "a": 1\n    }\n',
    );
  });

  it('refuses values a manifest cannot hold', () => {
    expect(() => emitYamlDocument([1])).toThrow(/must be a mapping/);
    expect(() => emitYamlDocument({ x: Number.NaN })).toThrow(/non-finite/);
  });
});
