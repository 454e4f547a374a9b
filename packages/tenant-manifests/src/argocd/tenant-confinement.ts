/**
 * The confinement Argo CD gives one tenant folder, derived from the
 * synthesized platform objects alone: the `project-<id>` Application the
 * projects ApplicationSet renders for the folder, the AppProject its kustomize
 * patches stamp from the template (itself checked against the projects
 * AppProject), and the `tenant-<id>` Application with the project it names.
 */
import { GIT_PATHS, PLATFORM_NAMES } from '@openclaw-tenancy/shared';
import { AppProjectSpecRules } from './app-project-rules';
import {
  ArgoRefusal,
  applyKustomizePatches,
  argoProjectRefusals,
  directoryParams,
  generatedDirectories,
  renderApplication,
} from './application-set-model';

type Json = Record<string, unknown>;

export interface TenantArgoView {
  /** `tenant-<id>`, as the tenants ApplicationSet renders it. */
  readonly application: Json;
  /** The AppProject that Application names, as the projects ApplicationSet stamps it. */
  readonly project: Json;
}

export class ConfinementError extends Error {
  constructor(folder: string, problem: string) {
    super(`${folder}: ${problem}`);
    this.name = 'ConfinementError';
  }
}

const named = (objects: readonly Json[], kind: string, name: string): Json | undefined =>
  objects.find((o) => o.kind === kind && (o.metadata as Json | undefined)?.name === name);

/**
 * What Argo CD would run for `deploy/tenants/<folder>`, or undefined when the
 * generators exclude the folder. Throws when the platform objects would not
 * produce a confined Application (no project, a project its own AppProject
 * refuses, an Application naming another project).
 */
export function tenantArgoView(
  platformObjects: readonly Json[],
  templateObjects: readonly Json[],
  folder: string,
): TenantArgoView | undefined {
  const dir = `${GIT_PATHS.tenantsDeployDir}/${folder}`;
  const projectsSet = named(platformObjects, 'ApplicationSet', PLATFORM_NAMES.tenantProjectsApplicationSet);
  const tenantsSet = named(platformObjects, 'ApplicationSet', PLATFORM_NAMES.applicationSet);
  const projectsProject = named(platformObjects, 'AppProject', PLATFORM_NAMES.tenantProjectsProject);
  if (!projectsSet || !tenantsSet || !projectsProject)
    throw new ConfinementError(folder, 'the platform objects lack the tenant ApplicationSets or the projects AppProject');
  const inProjects = generatedDirectories(projectsSet, [dir]).length === 1;
  const inTenants = generatedDirectories(tenantsSet, [dir]).length === 1;
  if (!inTenants) return undefined;
  if (!inProjects)
    throw new ConfinementError(folder, 'the tenants ApplicationSet generates the folder but the projects ApplicationSet does not');

  const params = directoryParams(dir);
  const projectApp = renderApplication(projectsSet, params);
  const source = ((projectApp.spec as Json).source ?? {}) as Json;
  const patches = ((source.kustomize as Json | undefined)?.patches ?? []) as Parameters<typeof applyKustomizePatches>[1];
  const stamped = applyKustomizePatches(templateObjects, patches);
  const refusals = argoProjectRefusals(projectsProject.spec as AppProjectSpecRules, projectApp, stamped);
  if (refusals.length > 0)
    throw new ConfinementError(folder, `its project Application is refused: ${refusals.map((r) => r.reason).join('; ')}`);

  const application = renderApplication(tenantsSet, params);
  const projectName = String((application.spec as Json).project);
  const project = named(stamped, 'AppProject', projectName);
  if (!project) throw new ConfinementError(folder, `its Application names project "${projectName}", which the template does not stamp`);
  return { application, project };
}

/** What Argo CD would refuse of `objects` in the folder's Application. */
export function tenantApplicationRefusals(view: TenantArgoView, objects: readonly Json[]): ArgoRefusal[] {
  return argoProjectRefusals(view.project.spec as AppProjectSpecRules, view.application, objects);
}
