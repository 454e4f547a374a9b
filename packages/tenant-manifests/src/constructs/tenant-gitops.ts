import { Construct } from 'constructs';
import { GIT_PATHS, PLATFORM_NAMES, PlatformConfig, TENANT_LABEL, tenantNames } from '@openclaw-tenancy/shared';
import { IN_CLUSTER } from '../argocd/app-project-rules';
import {
  EXCLUDED_TENANT_FOLDERS,
  TEMPLATE_TENANT_ID,
  tenantProjectPatch,
  tenantProjectTemplateFiles,
  templatedName,
} from '../gitops/tenant-project';
import { ApplicationSet } from '../imports/applicationsets-argoproj.io';
import { AppProject } from '../imports/appprojects-argoproj.io';

/**
 * How often both tenant ApplicationSets re-list the folders: a new tenant's project, then its Application
 * (refused until the project exists, retried at this interval), each appear within this long of the push.
 */
export const TENANT_FOLDER_POLL_SECONDS = 10;

export interface TenantGitOpsProps {
  readonly gitops: PlatformConfig['gitops'];
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The GitOps wiring that turns every folder under `deploy/tenants/` into one
 * confined Application. Two ApplicationSets read the same folders:
 *
 * - `openclaw-tenant-projects` stamps, per folder `<id>`, the AppProject
 *   `tenant-<id>` from the template at the pinned platform revision (its
 *   Applications may create AppProjects in the Argo CD namespace and nothing
 *   else);
 * - `openclaw-tenants` makes the Application `tenant-<id>` in project
 *   `tenant-<id>`, destination `openclaw-<id>`.
 *
 * The branch decides only which folders exist; what a folder may reach is
 * decided by objects read at `platformRevision`.
 */
export class TenantGitOps extends Construct {
  constructor(scope: Construct, id: string, props: TenantGitOpsProps) {
    super(scope, id);
    const { gitops, labels } = props;
    const argo = PLATFORM_NAMES.argoCdNamespace;
    const platformRevision = gitops.platformRevision ?? gitops.branch;
    const directories = [{ path: `${GIT_PATHS.tenantsDeployDir}/*` }, ...EXCLUDED_TENANT_FOLDERS.map((path) => ({ path, exclude: true }))];
    // The controller re-lists a git generator only on its requeue interval (3 minutes by default), and a new folder's
    // Application is refused until its project exists; a short interval bounds both waits. The listing it repeats is
    // one `ls-remote` (a tree listing only when the branch moved).
    const folders = [
      { git: { repoUrl: gitops.repoUrl, revision: gitops.branch, directories, requeueAfterSeconds: TENANT_FOLDER_POLL_SECONDS } },
    ];

    new AppProject(this, 'TenantProjectsProject', {
      metadata: { name: PLATFORM_NAMES.tenantProjectsProject, namespace: argo, labels: { ...labels } },
      spec: {
        description: 'Stamps one AppProject per tenant folder from the template at the pinned platform revision; nothing else.',
        sourceRepos: [gitops.repoUrl],
        destinations: [{ server: IN_CLUSTER.server, namespace: argo }],
        namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'AppProject' }],
      },
    });

    const template = tenantProjectTemplateFiles(gitops.repoUrl).template;
    new ApplicationSet(this, 'TenantProjects', {
      metadata: { name: PLATFORM_NAMES.tenantProjectsApplicationSet, namespace: argo, labels: { ...labels } },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: folders,
        // A deleted set leaves the projects in place, so no tenant Application is ever left without its project's limits.
        syncPolicy: { preserveResourcesOnDeletion: true },
        template: {
          metadata: { name: templatedName((n) => n.argoProjectApplication), labels: { [TENANT_LABEL]: '{{.path.basename}}', ...labels } },
          spec: {
            project: PLATFORM_NAMES.tenantProjectsProject,
            source: {
              repoUrl: gitops.repoUrl,
              targetRevision: platformRevision,
              path: GIT_PATHS.tenantProjectTemplateDir,
              kustomize: {
                patches: [
                  {
                    target: { group: 'argoproj.io', version: 'v1alpha1', kind: 'AppProject', name: String(template.metadata.name) },
                    patch: tenantProjectPatch(template),
                  },
                ],
              },
            },
            destination: { server: IN_CLUSTER.server, namespace: argo },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        },
      },
    });

    new ApplicationSet(this, 'TenantApplications', {
      metadata: { name: PLATFORM_NAMES.applicationSet, namespace: argo, labels: { ...labels } },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: folders,
        // Deleting the ApplicationSet (or a bad generator edit) must never cascade into every tenant.
        syncPolicy: { preserveResourcesOnDeletion: true },
        template: {
          metadata: {
            name: templatedName((n) => n.argoApplication),
            labels: { [TENANT_LABEL]: '{{.path.basename}}', ...labels },
            annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' },
          },
          spec: {
            // The project named after the folder: stamped above, confined to the namespace named after the folder.
            project: templatedName((n) => n.argoProject),
            source: { repoUrl: gitops.repoUrl, targetRevision: gitops.branch, path: '{{.path.path}}' },
            destination: { server: IN_CLUSTER.server, namespace: templatedName((n) => n.namespace) },
            syncPolicy: {
              automated: { prune: true, selfHeal: true },
              // RespectIgnoreDifferences: a sync leaves the live replica count to the tenant's ScaledObject;
              // Git's value is used only when the Deployment is created.
              syncOptions: ['ServerSideApply=true', 'PruneLast=true', 'RespectIgnoreDifferences=true'],
            },
            ignoreDifferences: [
              { group: 'apps', kind: 'Deployment', name: tenantNames(TEMPLATE_TENANT_ID).deployment, jsonPointers: ['/spec/replicas'] },
            ],
          },
        },
      },
    });
  }
}
