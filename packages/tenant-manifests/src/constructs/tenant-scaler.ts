import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  IDLE_METRICS_SERVER_URL,
  KEDA_PAUSED_REPLICAS_ANNOTATION,
  SCALER_POLLING_SECONDS,
  TenantNames,
  tenantActivityQuery,
} from '@openclaw-tenancy/shared';

export const SCALED_OBJECT_API_VERSION = 'keda.sh/v1alpha1';
export const SCALED_OBJECT_KIND = 'ScaledObject';

export interface TenantScalerProps {
  readonly names: TenantNames;
  /**
   * Seconds without traffic after which the gateway scales to zero.
   * @default - never: the gateway always runs (always-on tenant, or idling off for its tier)
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * False for a tenant suspended in Git: KEDA holds the gateway at 0 replicas
   * and no request changes that.
   * @default true
   */
  readonly running?: boolean;
}

/**
 * Who decides the gateway's replica count in the cluster: one KEDA
 * ScaledObject between 0 and 1 on the tenant route's traffic as the edge's
 * Envoy proxies count it behind the SecurityPolicy (ADR 0700). The tenant
 * ApplicationSet ignores the Deployment's replicas, so Argo CD sets them only
 * when it creates the Deployment and never fights the scaler.
 */
export class TenantScaler extends Construct {
  constructor(scope: Construct, id: string, props: TenantScalerProps) {
    super(scope, id);
    const { names } = props;
    const idles = props.idleTimeoutSeconds !== undefined;
    new ApiObject(this, 'Resource', {
      apiVersion: SCALED_OBJECT_API_VERSION,
      kind: SCALED_OBJECT_KIND,
      metadata: {
        name: names.scaledObject,
        namespace: names.namespace,
        labels: names.labels,
        ...(props.running === false ? { annotations: { [KEDA_PAUSED_REPLICAS_ANNOTATION]: '0' } } : {}),
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: names.deployment },
        minReplicaCount: idles ? 0 : 1,
        maxReplicaCount: 1,
        pollingInterval: SCALER_POLLING_SECONDS,
        ...(idles ? { cooldownPeriod: props.idleTimeoutSeconds } : {}),
        triggers: [
          {
            type: 'prometheus',
            metadata: {
              serverAddress: IDLE_METRICS_SERVER_URL,
              query: tenantActivityQuery(names),
              threshold: '1',
              activationThreshold: '0',
            },
          },
        ],
      },
    });
  }
}
