import { GitConcurrencyError, IsomorphicGitRepository } from '../src/adapters/git/isomorphic-git-repository';
import { GIT_CREDENTIALS, GitOpsRemote, startGitOpsRemote } from './support/gitops-remote';

// Real servers (Git, dynalite) on a shared 2-core machine: generous, not a performance assertion.
jest.setTimeout(30000);

function repository(remote: GitOpsRemote, overrides: Partial<ConstructorParameters<typeof IsomorphicGitRepository>[0]> = {}) {
  return new IsomorphicGitRepository({
    url: remote.url,
    branch: 'main',
    author: { name: 'openclaw-provisioner', email: 'provisioner@example.com' },
    credentials: async () => GIT_CREDENTIALS,
    backoffBaseMs: 5,
    ...overrides,
  });
}

describe('IsomorphicGitRepository against a real bare repository over HTTP', () => {
  let remote: GitOpsRemote;
  afterEach(() => remote?.close());

  it('reads files and lists a directory at the tip', async () => {
    remote = await startGitOpsRemote();
    const seen = await repository(remote).read(async (s) => ({
      readme: await s.readFile('tenants/README.md'),
      list: await s.listFiles('tenants'),
      missing: await s.readFile('nope.txt'),
    }));
    expect(seen).toEqual({ readme: 'One file per tenant.\n', list: ['tenants/README.md'], missing: undefined });
  });

  it('writes files and removes a directory in exactly one commit, and a replay makes no commit', async () => {
    remote = await startGitOpsRemote();
    remote.pushFromAnotherClient('deploy/tenants/old/stale.yaml', 'stale\n', 'Add stale file');
    const before = remote.countCommits();
    const change = {
      writes: [
        { path: 'deploy/tenants/old/new.yaml', content: 'new\n' },
        { path: 'tenants/old.yaml', content: 'id: old\n' },
      ],
      removeDirectories: ['deploy/tenants/old'],
    };
    const first = await repository(remote).commit('Provision tenant old', async () => change);
    expect(first.changed).toBe(true);
    expect(remote.countCommits()).toBe(before + 1);
    expect(remote.log()[0]).toBe('Provision tenant old');
    expect(remote.files('deploy/tenants/old')).toEqual(['deploy/tenants/old/new.yaml']);
    expect(remote.show('tenants/old.yaml')).toBe('id: old\n');

    const replay = await repository(remote).commit('Provision tenant old', async () => change);
    expect(replay).toEqual({ commit: first.commit, changed: false });
    expect(remote.countCommits()).toBe(before + 1);
  });

  it('rebuilds the commit on the new tip when another client pushed between clone and push', async () => {
    let pushedConcurrently = false;
    remote = await startGitOpsRemote(({ service, method }) => {
      // The first time our client starts a push, another writer gets there first.
      if (service === 'git-receive-pack' && method === 'GET' && !pushedConcurrently) {
        pushedConcurrently = true;
        remote.pushFromAnotherClient('tenants/other.yaml', 'id: other\n', 'Another writer');
      }
    });
    const plans: string[] = [];
    const result = await repository(remote).commit('Provision tenant mine', async (snapshot) => {
      plans.push(snapshot.commit);
      return { writes: [{ path: 'tenants/mine.yaml', content: 'id: mine\n' }], removeDirectories: [] };
    });
    expect(result.changed).toBe(true);
    expect(plans).toHaveLength(2);
    expect(remote.log().slice(0, 2)).toEqual(['Provision tenant mine', 'Another writer']);
    expect(remote.show('tenants/other.yaml')).toBe('id: other\n');
    expect(remote.show('tenants/mine.yaml')).toBe('id: mine\n');
  });

  it('lands every one of several commits pushed at the same moment (a lost compare-and-swap on the server is re-planned)', async () => {
    remote = await startGitOpsRemote();
    const before = remote.countCommits();
    const writers = ['a', 'b', 'c'];
    const results = await Promise.all(
      writers.map((w) =>
        repository(remote, { maxAttempts: 8 }).commit(`Provision tenant ${w}`, async () => ({
          writes: [{ path: `tenants/${w}.yaml`, content: `id: ${w}\n` }],
          removeDirectories: [],
        })),
      ),
    );
    expect(results.every((r) => r.changed)).toBe(true);
    expect(remote.countCommits()).toBe(before + writers.length);
    expect(remote.log().slice(0, 3).sort()).toEqual(['Provision tenant a', 'Provision tenant b', 'Provision tenant c']);
    for (const w of writers) expect(remote.show(`tenants/${w}.yaml`)).toBe(`id: ${w}\n`);
  });

  it('gives up with GitConcurrencyError when another writer wins every attempt, having re-planned each time', async () => {
    let competing = 0;
    remote = await startGitOpsRemote(({ service, method }) => {
      if (service === 'git-receive-pack' && method === 'GET')
        remote.pushFromAnotherClient(`tenants/other-${++competing}.yaml`, 'id: other\n', `Another writer ${competing}`);
    });
    let plans = 0;
    await expect(
      repository(remote, { maxAttempts: 3 }).commit('Provision tenant mine', async () => {
        plans += 1;
        return { writes: [{ path: 'tenants/mine.yaml', content: 'id: mine\n' }], removeDirectories: [] };
      }),
    ).rejects.toBeInstanceOf(GitConcurrencyError);
    expect(plans).toBe(3);
    expect(remote.show('tenants/mine.yaml')).toBeUndefined();
  });

  it('fails at once, without a retry, if the remote refuses the push for another reason, leaving it untouched', async () => {
    let pushes = 0;
    remote = await startGitOpsRemote(({ service, method }) => {
      if (service === 'git-receive-pack' && method === 'POST') {
        pushes += 1;
        return 503;
      }
      return undefined;
    });
    const before = remote.countCommits();
    await expect(
      repository(remote).commit('x', async () => ({ writes: [{ path: 'a.txt', content: 'a' }], removeDirectories: [] })),
    ).rejects.toThrow(/503/);
    expect(pushes).toBe(1);
    expect(remote.countCommits()).toBe(before);
  });

  it('fails if the remote is down', async () => {
    remote = await startGitOpsRemote();
    const url = remote.url;
    await remote.server.close();
    await expect(repository(remote, { url }).read(async (s) => s.commit)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails if the credential is wrong, without retrying it', async () => {
    remote = await startGitOpsRemote();
    await expect(
      repository(remote, { credentials: async () => ({ username: 'x', password: 'wrong' }) }).read(async (s) => s.commit),
    ).rejects.toThrow();
  });
});
