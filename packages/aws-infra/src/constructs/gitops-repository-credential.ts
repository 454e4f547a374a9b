import { KubernetesVersion } from '@openclaw-tenancy/shared';
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IDependable } from 'constructs';
import { EXTERNAL_SECRETS_CHART, EXTERNAL_SECRETS_CHART_VERSIONS } from '../versions';
import { SYSTEM_POD_PLACEMENT } from './platform-node-groups';
import { PodIdentityRole } from './pod-identity-role';

export interface GitOpsRepositoryCredentialProps {
  readonly cluster: eks.Cluster;
  readonly kubernetesVersion: KubernetesVersion;
  /** HTTPS URL of the repository Argo CD reads. */
  readonly repoUrl: string;
  /** Secrets Manager name of `{"username","password"}` for that repository (created by the operator, never by CDK). */
  readonly credentialsSecretName: string;
  /** Namespace Argo CD runs in; the repository Secret is created there. */
  readonly argoCdNamespace: string;
  /** The External Secrets Operator is installed once these exist (running system nodes). */
  readonly prerequisites: readonly IDependable[];
  /**
   * The repository Secret is applied after these (Argo CD's chart, which creates its namespace).
   * @default - none
   */
  readonly secretPrerequisites?: readonly IDependable[];
}

/** Where the operator and its store live, and the name of the Secret Argo CD reads. */
export const REPOSITORY_CREDENTIAL = {
  operatorNamespace: 'external-secrets',
  operatorServiceAccount: 'external-secrets',
  storeName: 'gitops-credentials',
  secretName: 'openclaw-gitops-repository',
  /** How often the Secret is refreshed from Secrets Manager, so a rotated token reaches Argo CD. */
  refreshInterval: '1h',
} as const;

/** The label that makes Argo CD treat a Secret as repository credentials. */
export const ARGO_CD_REPOSITORY_SECRET_LABEL = { 'argocd.argoproj.io/secret-type': 'repository' } as const;

/**
 * Argo CD's credential for the GitOps repository, copied from Secrets Manager
 * inside the cluster by the External Secrets Operator. CloudFormation, Git and
 * the CDK app hold only the secret's name; the token travels from Secrets
 * Manager to the operator's pod (Pod Identity, read access to this one secret)
 * and into a Kubernetes Secret in Argo CD's namespace (envelope-encrypted).
 * The store is namespaced, so only objects in Argo CD's namespace can use it.
 */
export class GitOpsRepositoryCredential extends Construct {
  readonly operatorChart: eks.HelmChart;
  readonly operatorRole: PodIdentityRole;
  /** SecretStore + ExternalSecret: once applied, Argo CD can read the repository. */
  readonly repositorySecret: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: GitOpsRepositoryCredentialProps) {
    super(scope, id);
    const { cluster } = props;

    this.operatorRole = new PodIdentityRole(this, 'OperatorRole', {
      cluster,
      description: 'External Secrets Operator: reads the GitOps repository credential for Argo CD',
      serviceAccount: { namespace: REPOSITORY_CREDENTIAL.operatorNamespace, name: REPOSITORY_CREDENTIAL.operatorServiceAccount },
    });
    const secret = secretsmanager.Secret.fromSecretNameV2(this, 'Credential', props.credentialsSecretName);
    secret.grantRead(this.operatorRole.role);

    this.operatorChart = cluster.addHelmChart('ExternalSecrets', {
      repository: EXTERNAL_SECRETS_CHART.repository,
      chart: EXTERNAL_SECRETS_CHART.chart,
      version: EXTERNAL_SECRETS_CHART_VERSIONS[props.kubernetesVersion],
      release: EXTERNAL_SECRETS_CHART.chart,
      namespace: REPOSITORY_CREDENTIAL.operatorNamespace,
      createNamespace: true,
      // The SecretStore below needs the CRDs and the webhook serving.
      wait: true,
      values: {
        installCRDs: true,
        serviceAccount: { create: true, name: REPOSITORY_CREDENTIAL.operatorServiceAccount },
        // Only namespaced SecretStores: no ClusterSecretStore a tenant object could point at.
        processClusterStore: false,
        processClusterExternalSecret: false,
        ...SYSTEM_POD_PLACEMENT,
        webhook: { ...SYSTEM_POD_PLACEMENT },
        certController: { ...SYSTEM_POD_PLACEMENT },
      },
    });
    for (const prerequisite of props.prerequisites) this.operatorChart.node.addDependency(prerequisite);
    // The association must exist before the operator's pods start, or they run without credentials.
    this.operatorChart.node.addDependency(this.operatorRole);

    this.repositorySecret = cluster.addManifest(
      'RepositorySecret',
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'SecretStore',
        metadata: { name: REPOSITORY_CREDENTIAL.storeName, namespace: props.argoCdNamespace },
        // No auth block: the operator's own Pod Identity credentials, which can read only this secret.
        spec: { provider: { aws: { service: 'SecretsManager', region: Stack.of(this).region } } },
      },
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: REPOSITORY_CREDENTIAL.secretName, namespace: props.argoCdNamespace },
        spec: {
          refreshInterval: REPOSITORY_CREDENTIAL.refreshInterval,
          secretStoreRef: { kind: 'SecretStore', name: REPOSITORY_CREDENTIAL.storeName },
          target: {
            name: REPOSITORY_CREDENTIAL.secretName,
            creationPolicy: 'Owner',
            template: {
              engineVersion: 'v2',
              metadata: { labels: { ...ARGO_CD_REPOSITORY_SECRET_LABEL } },
              data: { type: 'git', url: props.repoUrl, username: '{{ .username }}', password: '{{ .password }}' },
            },
          },
          dataFrom: [{ extract: { key: props.credentialsSecretName } }],
        },
      },
    );
    this.repositorySecret.node.addDependency(this.operatorChart);
    for (const prerequisite of props.secretPrerequisites ?? []) this.repositorySecret.node.addDependency(prerequisite);
  }
}
