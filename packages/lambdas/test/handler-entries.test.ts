import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM_FUNCTIONS } from '@openclaw-tenancy/shared';
import { LAMBDAS_PACKAGE_ROOT, assertEntriesExist, bundlingOptions, handlerEntries } from '../src';

describe('handler entries', () => {
  it('name an existing handler file exporting handler for every platform function', async () => {
    const entries = handlerEntries();
    expect(Object.keys(entries).sort()).toEqual([...PLATFORM_FUNCTIONS].sort());
    assertEntriesExist(entries);
    for (const fn of PLATFORM_FUNCTIONS) {
      expect(entries[fn].startsWith(path.join(LAMBDAS_PACKAGE_ROOT, 'src'))).toBe(true);
      expect(fs.readFileSync(entries[fn], 'utf8')).toMatch(/export (const|async function|function) handler\b/);
    }
  });

  it('fails naming every missing handler file', () => {
    const entries = { ...handlerEntries(), provisioner: '/nowhere/provisioner.ts', offboarder: '/nowhere/offboarder.ts' };
    expect(() => assertEntriesExist(entries)).toThrow(
      /missing Lambda handler file\(s\): \/nowhere\/provisioner\.ts, \/nowhere\/offboarder\.ts; /,
    );
  });

  it('bundling options are bundling.json', () => {
    expect(bundlingOptions()).toEqual(JSON.parse(fs.readFileSync(path.join(LAMBDAS_PACKAGE_ROOT, 'bundling.json'), 'utf8')));
  });
});
