import { PLATFORM_NAMES, tenantNames } from '@openclaw-tenancy/shared';
import { KubeObject, REPOSITORY_ROOT, TenantRegistry, synthesizePlatformObjects, tenantProjectTemplateFiles } from '../src';
import { isDestinationMatched, isGroupKindNamePermitted, isSourcePermitted } from '../src/argocd/app-project-rules';
import { argoProjectRefusals } from '../src/argocd/application-set-model';
import { gobwasGlobMatch, goFilepathMatch } from '../src/argocd/glob-patterns';
import { ConfinementError, TenantArgoView, tenantApplicationRefusals, tenantArgoView } from '../src/argocd/tenant-confinement';
import { TENANT_FOLDER_POLL_SECONDS } from '../src/constructs/tenant-gitops';
import { clone, exampleConfig, objectsOf, tenant } from './fixtures';

const platform = synthesizePlatformObjects(exampleConfig) as unknown as Record<string, unknown>[];
const template = [tenantProjectTemplateFiles(exampleConfig.gitops.repoUrl).template] as unknown as Record<string, unknown>[];
const demoTenants = new TenantRegistry(REPOSITORY_ROOT).readAll().map((r) => r.id);

function viewOf(folder: string): TenantArgoView {
  const view = tenantArgoView(platform, template, folder);
  if (!view) throw new Error(`${folder} is not generated`);
  return view;
}

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject =>
  ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } }) as KubeObject;

/** Objects no tenant Application may apply: platform namespaces, other tenants, cluster-wide objects, foreign kinds. */
function forbiddenFor(id: string, other: string): KubeObject[] {
  const ns = tenantNames(id).namespace;
  return [
    obj('apps/v1', 'Deployment', 'x', PLATFORM_NAMES.argoCdNamespace),
    obj('apps/v1', 'Deployment', 'x', 'kube-system'),
    obj('apps/v1', 'Deployment', 'x', 'default'),
    obj('apps/v1', 'Deployment', 'x', PLATFORM_NAMES.edgeNamespace),
    obj('apps/v1', 'Deployment', 'x', PLATFORM_NAMES.envoyGatewayNamespace),
    obj('apps/v1', 'Deployment', 'x', tenantNames(other).namespace),
    obj('gateway.networking.k8s.io/v1', 'HTTPRoute', 'steal', tenantNames(other).namespace),
    obj('v1', 'Namespace', 'kube-system'),
    obj('v1', 'Namespace', PLATFORM_NAMES.argoCdNamespace),
    obj('v1', 'Namespace', tenantNames(other).namespace),
    obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'own-the-cluster'),
    obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'x'),
    obj('v1', 'Secret', 'x', ns),
    obj('rbac.authorization.k8s.io/v1', 'RoleBinding', 'x', ns),
    obj('argoproj.io/v1alpha1', 'AppProject', 'wider', PLATFORM_NAMES.argoCdNamespace),
  ];
}

describe("Argo CD's matching rules (ported)", () => {
  it('gobwas globs: *, ?, classes, alternatives, escapes; a malformed pattern matches nothing', () => {
    expect(gobwasGlobMatch('openclaw-*', 'openclaw-alice')).toBe(true);
    expect(gobwasGlobMatch('openclaw-*', 'kube-system')).toBe(false);
    expect(gobwasGlobMatch('*', '')).toBe(true);
    expect(gobwasGlobMatch('a?c', 'abc')).toBe(true);
    expect(gobwasGlobMatch('[!a]*', 'alice')).toBe(false);
    expect(gobwasGlobMatch('{alice,bob}', 'bob')).toBe(true);
    expect(gobwasGlobMatch('a\\*', 'a*')).toBe(true);
    expect(gobwasGlobMatch('[', 'x')).toBe(false);
    expect(gobwasGlobMatch('https://github.com/*', 'https://github.com/org/repo', ['/'])).toBe(false);
    expect(gobwasGlobMatch('https://github.com/**', 'https://github.com/org/repo', ['/'])).toBe(true);
  });

  it('Go filepath.Match: * stops at /, [^...] negates, a malformed pattern matches nothing', () => {
    expect(goFilepathMatch('deploy/tenants/*', 'deploy/tenants/alice')).toBe(true);
    expect(goFilepathMatch('deploy/tenants/*', 'deploy/tenants/alice/x')).toBe(false);
    expect(goFilepathMatch('[^a]*', 'bob')).toBe(true);
    expect(goFilepathMatch('*', 'Deployment')).toBe(true);
    expect(goFilepathMatch('[', 'x')).toBe(false);
  });

  it('a negated destination matches every other namespace (the trap), and denies its own', () => {
    const spec = { destinations: [{ server: 'https://kubernetes.default.svc', namespace: '!openclaw-edge' }] };
    expect(isDestinationMatched(spec, { server: 'https://kubernetes.default.svc', name: 'in-cluster', namespace: 'kube-system' })).toBe(
      true,
    );
    expect(isDestinationMatched(spec, { server: 'https://kubernetes.default.svc', name: 'in-cluster', namespace: 'openclaw-edge' })).toBe(
      false,
    );
  });

  it('whitelists: absent namespaced list admits all, empty admits none; cluster list names objects', () => {
    expect(isGroupKindNamePermitted({}, { group: 'apps', kind: 'Deployment' }, 'x', true)).toBe(true);
    expect(isGroupKindNamePermitted({ namespaceResourceWhitelist: [] }, { group: 'apps', kind: 'Deployment' }, 'x', true)).toBe(false);
    expect(isGroupKindNamePermitted({}, { group: '', kind: 'Namespace' }, 'x', false)).toBe(false);
    const named = { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'openclaw-alice' }] };
    expect(isGroupKindNamePermitted(named, { group: '', kind: 'Namespace' }, 'openclaw-alice', false)).toBe(true);
    expect(isGroupKindNamePermitted(named, { group: '', kind: 'Namespace' }, 'kube-system', false)).toBe(false);
    expect(
      isGroupKindNamePermitted(
        { clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] },
        { group: '', kind: 'Namespace' },
        'kube-system',
        false,
      ),
    ).toBe(true);
  });

  it('source repositories: normalised, negation denies', () => {
    expect(isSourcePermitted({ sourceRepos: ['https://github.com/Org/Repo.git'] }, 'https://github.com/org/repo')).toBe(true);
    expect(isSourcePermitted({ sourceRepos: ['*', '!https://github.com/evil/*'] }, 'https://github.com/evil/x')).toBe(false);
  });
});

describe('the synthesized tenant confinement, judged by those rules', () => {
  it('gives every demo tenant its own project, confined to its own namespace', () => {
    expect(demoTenants.length).toBeGreaterThan(1);
    for (const id of demoTenants) {
      const view = viewOf(id);
      const names = tenantNames(id);
      expect((view.project.metadata as { name: string }).name).toBe(names.argoProject);
      expect((view.application.spec as { destination: { namespace: string } }).destination.namespace).toBe(names.namespace);
      // Everything the tenant chart makes is admitted...
      const record = tenant(id);
      expect(tenantApplicationRefusals(view, objectsOf(record) as unknown as Record<string, unknown>[])).toEqual([]);
    }
  });

  it('refuses, for every demo tenant, platform namespaces, other tenants and foreign cluster-scoped objects', () => {
    for (const id of demoTenants) {
      const other = demoTenants.find((t) => t !== id) as string;
      const view = viewOf(id);
      for (const hostile of forbiddenFor(id, other)) {
        const refusals = tenantApplicationRefusals(view, [hostile as unknown as Record<string, unknown>]);
        expect({
          hostile: `${hostile.kind} ${hostile.metadata.namespace ?? ''}/${hostile.metadata.name}`,
          refused: refusals.length,
        }).toEqual({
          hostile: `${hostile.kind} ${hostile.metadata.namespace ?? ''}/${hostile.metadata.name}`,
          refused: 1,
        });
      }
    }
  });

  it('re-lists the tenant folders every TENANT_FOLDER_POLL_SECONDS in both ApplicationSets: a new tenant waits seconds, not the 3-minute default', () => {
    const sets = platform.filter((o) => o.kind === 'ApplicationSet') as Array<{
      spec: { generators: Array<{ git: { requeueAfterSeconds?: number } }> };
    }>;
    expect(sets).toHaveLength(2);
    for (const set of sets) expect(set.spec.generators.map((g) => g.git.requeueAfterSeconds)).toEqual([TENANT_FOLDER_POLL_SECONDS]);
  });

  it("leaves every tenant's gateway replica count to its ScaledObject: the rendered Application ignores it and a sync respects that", () => {
    for (const id of demoTenants) {
      const spec = viewOf(id).application.spec as { ignoreDifferences: unknown[]; syncPolicy: { syncOptions: string[] } };
      expect(spec.ignoreDifferences).toEqual([
        { group: 'apps', kind: 'Deployment', name: tenantNames(id).deployment, jsonPointers: ['/spec/replicas'] },
      ]);
      expect(spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    }
  });

  it("an object without a namespace lands in the Application's own namespace and is admitted there", () => {
    const view = viewOf('demo-ada');
    expect(tenantApplicationRefusals(view, [obj('v1', 'ConfigMap', 'no-namespace') as unknown as Record<string, unknown>])).toEqual([]);
  });

  it('never generates a folder named after a reserved id (deploy/tenants/edge would reach openclaw-edge)', () => {
    for (const folder of ['edge', 'argocd', 'kube-system', 'openclaw-x', 'aws-x'])
      expect(tenantArgoView(platform, template, folder)).toBeUndefined();
  });

  it("the projects' own AppProject admits nothing but AppProjects in the Argo CD namespace", () => {
    const projectsProject = platform.find((o) => o.kind === 'AppProject') as Record<string, unknown>;
    expect((projectsProject.metadata as { name: string }).name).toBe(PLATFORM_NAMES.tenantProjectsProject);
    const app = viewOf('demo-ada').application;
    const fakeProjectApp = {
      ...app,
      spec: {
        ...(app.spec as object),
        destination: { server: 'https://kubernetes.default.svc', namespace: PLATFORM_NAMES.argoCdNamespace },
      },
    };
    const refused = argoProjectRefusals(projectsProject.spec as never, fakeProjectApp, [
      obj('apps/v1', 'Deployment', 'x', PLATFORM_NAMES.argoCdNamespace),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'x'),
      obj('v1', 'Namespace', 'x'),
      obj('argoproj.io/v1alpha1', 'AppProject', 'x', 'kube-system'),
    ] as unknown as Record<string, unknown>[]);
    expect(refused).toHaveLength(4);
  });

  it('fails, as it must, a project of the shape openclaw-* plus !openclaw-edge', () => {
    const view = viewOf('demo-ada');
    const widened = clone(view.project) as { spec: Record<string, unknown> };
    widened.spec.destinations = [
      { server: 'https://kubernetes.default.svc', namespace: 'openclaw-*' },
      { server: 'https://kubernetes.default.svc', namespace: '!openclaw-edge' },
    ];
    widened.spec.clusterResourceWhitelist = [{ group: '', kind: 'Namespace' }];
    const admitted = forbiddenFor('demo-ada', 'demo-grace').filter(
      (h) => tenantApplicationRefusals({ ...view, project: widened }, [h as unknown as Record<string, unknown>]).length === 0,
    );
    expect(admitted.map((h) => `${h.kind} ${h.metadata.namespace ?? h.metadata.name}`)).toEqual(
      expect.arrayContaining(['Deployment argocd', 'Deployment kube-system', 'Deployment openclaw-demo-grace', 'Namespace kube-system']),
    );
  });

  it('refuses platform objects whose tenant Application would name a project the template does not stamp', () => {
    const broken = clone(platform);
    const set = broken.find((o) => (o.metadata as { name: string }).name === PLATFORM_NAMES.applicationSet) as {
      spec: { template: { spec: { project: string } } };
    };
    set.spec.template.spec.project = 'default';
    expect(() => tenantArgoView(broken, template, 'demo-ada')).toThrow(ConfinementError);
  });
});
