/**
 * Argo CD's AppProject admission rules, ported from
 * `pkg/apis/application/v1alpha1/app_project_types.go` and `types.go`
 * (Argo CD v3.3+, where cluster-scoped whitelist entries may name the
 * object): what Argo CD itself decides before it applies an Application's
 * object. Tests judge the synthesized projects with these rules, so a
 * project that Argo CD would read more widely than we meant fails them.
 *
 * Semantics worth knowing, all ported as Argo CD has them:
 * - destinations are OR'ed; a negated pattern (`!openclaw-edge`) *matches*
 *   every other namespace, so on its own it admits kube-system and argocd;
 * - an absent `namespaceResourceWhitelist` admits every namespaced kind, an
 *   empty one admits none; an absent or empty `clusterResourceWhitelist`
 *   admits no cluster-scoped kind;
 * - a whitelist entry without `name` admits every object of that kind.
 */
import { gobwasGlobMatch, goFilepathMatch } from './glob-patterns';

export interface ArgoDestination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace?: string;
}

export interface ArgoGroupKind {
  readonly group: string;
  readonly kind: string;
}

export interface ArgoClusterResourceItem extends ArgoGroupKind {
  readonly name?: string;
}

/** The fields of an AppProject spec that decide what its Applications may deploy. */
export interface AppProjectSpecRules {
  readonly sourceRepos?: readonly string[];
  readonly destinations?: readonly ArgoDestination[];
  readonly clusterResourceWhitelist?: readonly ArgoClusterResourceItem[];
  readonly clusterResourceBlacklist?: readonly ArgoClusterResourceItem[];
  readonly namespaceResourceWhitelist?: readonly ArgoGroupKind[];
  readonly namespaceResourceBlacklist?: readonly ArgoGroupKind[];
}

/** The destination cluster as Argo CD resolves it (the in-cluster server here). */
export interface ArgoCluster {
  readonly server: string;
  readonly name: string;
}

export const IN_CLUSTER: ArgoCluster = { server: 'https://kubernetes.default.svc', name: 'in-cluster' };

const isDenyPattern = (pattern: string | undefined): boolean => (pattern ?? '').startsWith('!');

function globMatch(pattern: string | undefined, value: string, allowNegation: boolean, separators: readonly string[] = []): boolean {
  const p = pattern ?? '';
  if (allowNegation && isDenyPattern(p)) return !gobwasGlobMatch(p.slice(1), value, separators);
  if (p === '*') return true;
  return gobwasGlobMatch(p, value, separators);
}

/** `AppProject.isDestinationMatched`. */
export function isDestinationMatched(spec: AppProjectSpecRules, dst: { server: string; name: string; namespace: string }): boolean {
  let anyDestinationMatched = false;
  for (const item of spec.destinations ?? []) {
    const dstNameMatched = dst.name !== '' && globMatch(item.name, dst.name, true);
    const dstServerMatched = dst.server !== '' && globMatch(item.server, dst.server, true);
    const dstNamespaceMatched = globMatch(item.namespace, dst.namespace, true);
    const matched = (dstServerMatched || dstNameMatched) && dstNamespaceMatched;
    if (matched) anyDestinationMatched = true;
    // Go's && binds tighter than ||, as in the original condition.
    else if ((!dstNameMatched && isDenyPattern(item.name)) || (!dstServerMatched && isDenyPattern(item.server) && dstNamespaceMatched))
      return false;
    else if (!dstNamespaceMatched && isDenyPattern(item.namespace) && dstServerMatched) return false;
  }
  return anyDestinationMatched;
}

/** `AppProject.IsDestinationPermitted` (without project-scoped clusters, which these projects do not use). */
export function isDestinationPermitted(spec: AppProjectSpecRules, cluster: ArgoCluster, namespace: string): boolean {
  return isDestinationMatched(spec, { server: cluster.server, name: cluster.name, namespace });
}

function isResourceInList(res: ArgoGroupKind, list: readonly ArgoGroupKind[]): boolean {
  return list.some((item) => goFilepathMatch(item.kind, res.kind) && goFilepathMatch(item.group, res.group));
}

function isNamedResourceInList(res: ArgoGroupKind, name: string, list: readonly ArgoClusterResourceItem[]): boolean {
  return list.some(
    (item) =>
      goFilepathMatch(item.kind, res.kind) && goFilepathMatch(item.group, res.group) && (!item.name || goFilepathMatch(item.name, name)),
  );
}

/** `AppProject.IsGroupKindNamePermitted`. */
export function isGroupKindNamePermitted(spec: AppProjectSpecRules, gk: ArgoGroupKind, name: string, namespaced: boolean): boolean {
  if (namespaced) {
    const white = spec.namespaceResourceWhitelist;
    const black = spec.namespaceResourceBlacklist ?? [];
    const whiteListed = white === undefined || (white.length !== 0 && isResourceInList(gk, white));
    const blackListed = black.length !== 0 && isResourceInList(gk, black);
    return whiteListed && !blackListed;
  }
  const white = spec.clusterResourceWhitelist ?? [];
  const black = spec.clusterResourceBlacklist ?? [];
  const whiteListed = white.length !== 0 && isNamedResourceInList(gk, name, white);
  const blackListed = black.length !== 0 && isNamedResourceInList(gk, name, black);
  return whiteListed && !blackListed;
}

/** `AppProject.IsResourcePermitted`: namespace "" means a cluster-scoped object. */
export function isResourcePermitted(
  spec: AppProjectSpecRules,
  gk: ArgoGroupKind,
  name: string,
  namespace: string,
  cluster: ArgoCluster = IN_CLUSTER,
): boolean {
  if (!isGroupKindNamePermitted(spec, gk, name, namespace !== '')) return false;
  return namespace === '' ? true : isDestinationPermitted(spec, cluster, namespace);
}

/**
 * `AppProject.IsSourcePermitted`, with `git.NormalizeGitURL` reduced to what
 * it does to https URLs (trimmed, lower case, no `.git` suffix).
 */
export function isSourcePermitted(spec: AppProjectSpecRules, repoUrl: string): boolean {
  const src = normalizeGitUrl(repoUrl);
  let anySourceMatched = false;
  for (const repo of spec.sourceRepos ?? []) {
    const normalized = isDenyPattern(repo) ? `!${normalizeGitUrl(repo.slice(1))}` : normalizeGitUrl(repo);
    const matched = globMatch(normalized, src, true, ['/']);
    if (matched) anySourceMatched = true;
    else if (isDenyPattern(normalized)) return false;
  }
  return anySourceMatched;
}

function normalizeGitUrl(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\.git$/, '');
}
