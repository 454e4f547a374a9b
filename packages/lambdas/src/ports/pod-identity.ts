export interface PodIdentityTarget {
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** EKS Pod Identity associations of tenant service accounts. */
export interface PodIdentityAssociations {
  ensure(target: PodIdentityTarget, roleArn: string): Promise<'created' | 'existed'>;
  remove(target: PodIdentityTarget): Promise<'deleted' | 'absent'>;
}
