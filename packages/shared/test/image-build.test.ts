import { ValidationError, imageBuildText, imageReference, parseImageBuild, sameImageBuild, tenantImageBuild } from '../src';

const digest = `sha256:${'a'.repeat(64)}`;

describe('image builds of the platform repository', () => {
  it('parses a tag, a tag with its digest, and a digest alone, and writes them back the same way', () => {
    for (const [text, build] of [
      ['2026.10.1', { tag: '2026.10.1' }],
      [`2026.10.1@${digest}`, { tag: '2026.10.1', digest }],
      [digest, { digest }],
    ] as const) {
      expect(parseImageBuild(text)).toEqual(build);
      expect(imageBuildText(parseImageBuild(text))).toBe(text);
    }
  });

  it.each([
    ['latest', 'moving tags'],
    ['ghcr.io/openclaw/openclaw:2026.10.1', 'not a repository'],
    ['2026.10.1@sha256:abc', 'not an image digest'],
    ['-bad', 'not a valid image tag'],
    ['', 'not a valid image tag'],
  ])('refuses %j with a reason naming it (%s)', (text, reason) => {
    expect(() => parseImageBuild(text)).toThrow(ValidationError);
    expect(() => parseImageBuild(text)).toThrow(reason);
  });

  it('names a reference in the platform repository in each form', () => {
    const repo = 'ghcr.io/openclaw/openclaw';
    expect(imageReference(repo, { tag: 't1' })).toBe(`${repo}:t1`);
    expect(imageReference(repo, { tag: 't1', digest })).toBe(`${repo}:t1@${digest}`);
    expect(imageReference(repo, { digest })).toBe(`${repo}@${digest}`);
    expect(() => imageReference(repo, {})).toThrow('needs a tag or a digest');
  });

  it("a tenant runs its record's build, else the platform image; a record build never inherits the platform digest", () => {
    const platform = { repository: 'r/x', tag: '1.0', digest };
    expect(tenantImageBuild({}, platform)).toEqual({ tag: '1.0', digest });
    expect(tenantImageBuild({ image: { tag: '2.0', pinned: true } }, platform)).toEqual({ tag: '2.0' });
    expect(sameImageBuild({ tag: '2.0' }, { tag: '2.0', digest })).toBe(false);
    expect(sameImageBuild({ tag: '2.0', digest }, { digest, tag: '2.0' })).toBe(true);
  });
});
