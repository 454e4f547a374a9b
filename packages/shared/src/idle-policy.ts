/**
 * Idle suspend: when a tenant's gateway may release its compute, and how the
 * synthesized workload says so. The tier sets the idle timeout (platform
 * config `idle.timeoutSeconds`); a registry record with `alwaysOn: true`
 * never idles. Suspension for budget or by an operator (`status: suspended`)
 * is a separate state that no request undoes (docs/adr/0700).
 */
import { PLATFORM_NAMES, type TenantNames } from './names';
import type { TenantTier } from './tiers';

/**
 * Annotation on the tenant Deployment holding its idle timeout in seconds.
 * Absent: the gateway never idles (always-on tenant, or idling disabled).
 * The local platform's reconciler and the cluster's scale-to-zero objects
 * are both derived from this one value.
 */
export const IDLE_TIMEOUT_ANNOTATION = 'openclaw.io/idle-timeout-seconds';

/**
 * Bounds of a tier's idle timeout. The floor only keeps a typo from stopping
 * gateways in a loop (tests use it; people want minutes); above a day idling
 * saves nothing. 0 means the tier never idles.
 */
export const IDLE_TIMEOUT_MIN_SECONDS = 10;
export const IDLE_TIMEOUT_MAX_SECONDS = 86_400;

/** Defaults per tier: JupyterHub culls after 1 h, Eclipse Che after 30 min; a workspace that is cheap to wake can idle sooner. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS: Readonly<Record<TenantTier, number>> = { standard: 900, large: 1800 };

export interface IdlePolicyInput {
  readonly tier: TenantTier;
  readonly alwaysOn?: boolean;
}

/** The idle timeout of one tenant in seconds, or undefined when its gateway never idles. */
export function idleTimeoutSecondsFor(record: IdlePolicyInput, timeoutSeconds: Readonly<Record<TenantTier, number>>): number | undefined {
  if (record.alwaysOn === true) return undefined;
  const seconds = timeoutSeconds[record.tier];
  return seconds > 0 ? seconds : undefined;
}

/** Checks one configured timeout: 0 (never) or within the bounds. */
export function idleTimeoutProblem(seconds: number): string | undefined {
  if (seconds === 0) return undefined;
  if (!Number.isInteger(seconds) || seconds < IDLE_TIMEOUT_MIN_SECONDS || seconds > IDLE_TIMEOUT_MAX_SECONDS) {
    return `${seconds} is not an idle timeout: use 0 (never idle) or whole seconds from ${IDLE_TIMEOUT_MIN_SECONDS} to ${IDLE_TIMEOUT_MAX_SECONDS}`;
  }
  return undefined;
}

/**
 * Reads the annotation back. Undefined when absent; a present but malformed
 * value is an error, never silently "never idle" or "idle at once".
 */
export function parseIdleTimeoutAnnotation(annotations: Readonly<Record<string, string>> | undefined, source: string): number | undefined {
  const value = annotations?.[IDLE_TIMEOUT_ANNOTATION];
  if (value === undefined) return undefined;
  const seconds = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new Error(
      `${source}: annotation ${IDLE_TIMEOUT_ANNOTATION} must be a positive whole number of seconds, got ${JSON.stringify(value)}`,
    );
  return seconds;
}

/** KEDA holds a ScaledObject's target at this many replicas and ignores traffic: how a Git suspension stays one. */
export const KEDA_PAUSED_REPLICAS_ANNOTATION = 'autoscaling.keda.sh/paused-replicas';

/** How often KEDA asks Prometheus whether an idle-able tenant has traffic, in seconds (also Prometheus' scrape interval). */
export const SCALER_POLLING_SECONDS = 5;
/** Smallest polling interval a tenant's ScaledObject may ask for: each poll is one PromQL query. */
export const SCALER_POLLING_MIN_SECONDS = 5;
export const SCALER_POLLING_MAX_SECONDS = 60;

/** The Prometheus endpoint KEDA's scaler queries, inside the cluster. */
export const IDLE_METRICS_SERVER_URL = `http://${PLATFORM_NAMES.metricsServerService}.${PLATFORM_NAMES.metricsNamespace}.svc.cluster.local:80`;

/** Envoy Gateway's upstream cluster for the tenant route's first rule (its per-route statistics carry this name). */
export function tenantRouteClusterName(names: Pick<TenantNames, 'namespace' | 'httpRoute'>): string {
  return `httproute/${names.namespace}/${names.httpRoute}/rule/0`;
}

/**
 * The tenant's activity as KEDA's Prometheus trigger reads it: the route's
 * requests in flight (an open WebSocket counts for its whole life), plus the
 * requests of the last minute and the ones Envoy answered "no healthy
 * upstream" while no gateway ran (the wake). Envoy counts them only after
 * the route's SecurityPolicy let the request through, so an unauthenticated
 * or foreign request never moves them.
 */
export function tenantActivityQuery(names: Pick<TenantNames, 'namespace' | 'httpRoute'>): string {
  const selector = `{envoy_cluster_name="${tenantRouteClusterName(names)}"}`;
  return [
    `sum(envoy_cluster_upstream_rq_active${selector})`,
    `sum(increase(envoy_cluster_upstream_rq_total${selector}[1m]))`,
    `sum(increase(envoy_cluster_upstream_cx_none_healthy${selector}[1m]))`,
  ]
    .map((term) => `(${term} or vector(0))`)
    .join(' + ');
}
