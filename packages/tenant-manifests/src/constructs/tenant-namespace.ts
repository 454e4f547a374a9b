import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeNamespace } from 'cdk8s-plus-29/lib/imports/k8s';
import { TenantNames } from '@openclaw-tenancy/shared';

export interface TenantNamespaceProps {
  readonly names: TenantNames;
  /**
   * Pod Security Standard version the labels pin (`v1.33`), so a cluster
   * upgrade cannot silently change what "restricted" means for tenants.
   */
  readonly podSecurityVersion: string;
}

/** The tenant's namespace, with the Pod Security Standard `restricted` enforced, audited and warned. */
export class TenantNamespace extends Construct {
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const pss: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      pss[`pod-security.kubernetes.io/${mode}`] = 'restricted';
      pss[`pod-security.kubernetes.io/${mode}-version`] = props.podSecurityVersion;
    }
    this.apiObject = new KubeNamespace(this, 'Resource', {
      metadata: { name: props.names.namespace, labels: { ...props.names.labels, ...pss } },
    });
    // A Namespace is cluster-scoped; never let a chart-level namespace leak onto it.
    this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
