/**
 * The admission requests the API server receives when Argo CD syncs one
 * tenant Application: each object as Argo CD sends it (its namespace filled in
 * from the destination, the tracking annotation set), from Argo CD's service
 * account, with the namespace it lands in as the API server would load it
 * (the Namespace of the same sync, applied first, or one already live).
 */
import { PLATFORM_NAMES } from '@openclaw-tenancy/shared';
import { groupOf, isClusterScoped } from '../argocd/application-set-model';
import { AdmissionRequest } from './admission-evaluator';
import { ARGOCD_TRACKING_ANNOTATION } from './tenant-admission-policies';

type Json = Record<string, unknown>;

export const ARGOCD_CONTROLLER_USERNAME = `system:serviceaccount:${PLATFORM_NAMES.argoCdNamespace}:${PLATFORM_NAMES.argoCdApplicationController}`;

export interface ArgoApplyOptions {
  readonly application: string;
  readonly destinationNamespace: string;
  /** Namespaces that already exist, by name (objects of other namespaces see these). */
  readonly liveNamespaces?: ReadonlyMap<string, Json>;
}

export function argoApplyRequests(objects: readonly Json[], options: ArgoApplyOptions): AdmissionRequest[] {
  const namespaces = new Map(options.liveNamespaces ?? []);
  for (const o of objects)
    if (o.kind === 'Namespace' && groupOf(String(o.apiVersion)) === '') namespaces.set(String((o.metadata as Json).name), o);
  return objects.map((o) => {
    const apiVersion = String(o.apiVersion ?? '');
    const kind = String(o.kind ?? '');
    const meta = { ...((o.metadata ?? {}) as Json) };
    const clusterScoped = isClusterScoped(apiVersion, kind);
    if (!clusterScoped && meta.namespace === undefined) meta.namespace = options.destinationNamespace;
    const namespace = clusterScoped ? '' : String(meta.namespace);
    meta.annotations = {
      ...((meta.annotations ?? {}) as Json),
      [ARGOCD_TRACKING_ANNOTATION]: `${options.application}:${groupOf(apiVersion)}/${kind}:${namespace}/${String(meta.name)}`,
    };
    const namespaceObject = clusterScoped ? undefined : namespaces.get(namespace);
    return {
      operation: 'CREATE',
      object: { ...o, metadata: meta },
      username: ARGOCD_CONTROLLER_USERNAME,
      ...(namespaceObject ? { namespaceObject } : {}),
    };
  });
}
