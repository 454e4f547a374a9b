import { Construct } from 'constructs';
import { KubePersistentVolumeClaim, Quantity } from 'cdk8s-plus-29/lib/imports/k8s';
import { PLATFORM_NAMES, TenantNames } from '@openclaw-tenancy/shared';

export interface TenantStorageProps {
  readonly names: TenantNames;
  /** Requested size; EFS is elastic, so this documents intent rather than reserving space. */
  readonly size: string;
  /**
   * @default PLATFORM_NAMES.storageClass (EFS, one access point per claim rooted at the namespace)
   */
  readonly storageClassName?: string;
}

/** The workspace volume: OpenClaw state, sessions, memory and files, on EFS so it survives rescheduling across AZs. */
export class TenantStorage extends Construct {
  constructor(scope: Construct, id: string, props: TenantStorageProps) {
    super(scope, id);
    new KubePersistentVolumeClaim(this, 'Resource', {
      metadata: {
        name: props.names.persistentVolumeClaim,
        namespace: props.names.namespace,
        labels: props.names.labels,
        // Argo CD must never delete the claim (and with it the access point) on a sync or prune.
        annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: props.storageClassName ?? PLATFORM_NAMES.storageClass,
        resources: { requests: { storage: Quantity.fromString(props.size) } },
      },
    });
  }
}
