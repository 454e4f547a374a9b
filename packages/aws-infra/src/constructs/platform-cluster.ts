import { KubernetesVersion, SUPPORTED_KUBERNETES_VERSIONS, isSupportedKubernetesVersion } from '@openclaw-tenancy/shared';
import { CfnCondition, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance';
import { pinServiceRoleToSource } from '../service-role-source';
import { KUBECTL_LAYER_KUBERNETES_VERSION } from '../versions';

export interface PlatformClusterProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the control-plane ENIs (and of the kubectl Lambda). */
  readonly subnets: ec2.SubnetSelection;
  readonly clusterName: string;
  /** Pinned Kubernetes minor version, one of {@link SUPPORTED_KUBERNETES_VERSIONS}. */
  readonly kubernetesVersion: string;
  /** IAM roles or users given cluster-admin through access entries. */
  readonly adminPrincipalArns: readonly string[];
  /** Retention of the control-plane log group (api, audit, authenticator, controllerManager, scheduler). */
  readonly controlPlaneLogRetention: logs.RetentionDays;
  /**
   * Public networks that may reach the API endpoint (besides the VPC); access entries still decide who gets in.
   * @default - private endpoint only (docs/adr/0120)
   */
  readonly publicApiAccessCidrs?: readonly string[];
  /** The Service (ClusterIP) range; tenant NetworkPolicies exclude it from egress, so it must be this one. */
  readonly serviceIpv4Cidr: string;
}

/**
 * The EKS cluster (aws-eks-v2: a native AWS::EKS::Cluster, authentication
 * mode API). The API endpoint is private unless `publicApiAccessCidrs` opens
 * it to a few named networks (docs/adr/0120); the kubectl Lambda that applies
 * Helm charts runs in the private subnets either way. Only the access entries
 * of `adminPrincipalArns` administer it: not the principal that deployed it.
 */
export class PlatformCluster extends Construct {
  readonly cluster: eks.Cluster;
  readonly kubernetesVersion: KubernetesVersion;
  /** Envelope encryption of Kubernetes Secrets. */
  readonly secretsKey: kms.Key;

  constructor(scope: Construct, id: string, props: PlatformClusterProps) {
    super(scope, id);
    if (!isSupportedKubernetesVersion(props.kubernetesVersion)) {
      throw new Error(
        `cluster.kubernetesVersion "${props.kubernetesVersion}" is not deployable: the kubectl layer is ${KUBECTL_LAYER_KUBERNETES_VERSION} ` +
          `and add-on versions are pinned for ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}; set cluster.kubernetesVersion to one of these`,
      );
    }
    this.kubernetesVersion = props.kubernetesVersion;

    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets in ${props.clusterName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // EKS writes to this group name; creating it first is the only way to give it a retention.
    const controlPlaneLogs = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${props.clusterName}/cluster`,
      retention: props.controlPlaneLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: eks.KubernetesVersion.of(props.kubernetesVersion),
      vpc: props.vpc,
      vpcSubnets: [props.subnets],
      serviceIpv4Cidr: props.serviceIpv4Cidr,
      endpointAccess: props.publicApiAccessCidrs?.length
        ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...props.publicApiAccessCidrs)
        : eks.EndpointAccess.PRIVATE,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      // Only the principals below (and the kubectl Lambda) administer the cluster, not whoever ran the deploy.
      bootstrapClusterCreatorAdminPermissions: false,
      // VPC CNI, CoreDNS and kube-proxy are managed add-ons with pinned versions (ClusterAddons).
      bootstrapSelfManagedAddons: false,
      kubectlProviderOptions: { kubectlLayer: new KubectlV34Layer(this, 'KubectlLayer') },
    });
    this.cluster.node.addDependency(controlPlaneLogs);
    // EKS assumes its cluster role for this cluster only (EKS accepts both keys in a cluster role's trust).
    pinServiceRoleToSource(this.cluster.role, 'eks.amazonaws.com', {
      account: Stack.of(this).account,
      arnPattern: Stack.of(this).formatArn({ service: 'eks', resource: 'cluster', resourceName: props.clusterName }),
    });

    for (const arn of props.adminPrincipalArns) {
      this.cluster.grantAccess(`Admin${principalIdSuffix(arn)}`, arn, [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
      ]);
    }

    acknowledgeClusterFindings(this.cluster);
  }
}

/** A construct-id suffix that stays the same when the list of admins is reordered. */
function principalIdSuffix(arn: string): string {
  const match = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(.+)$/.exec(arn);
  const raw = match ? `${match[2]}-${match[3]}-${match[1]}` : arn;
  return raw
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function acknowledgeClusterFindings(cluster: eks.Cluster): void {
  const stack = Stack.of(cluster);
  const handler = cluster.node.findChild('KubectlProvider').node.findChild('Handler');
  const handlerLogicalId = stack.resolve((handler.node.defaultChild as CfnResource).logicalId) as string;
  const ecrPublicCondition = handler.node.children.find((c): c is CfnCondition => c instanceof CfnCondition);
  acknowledge(
    cluster,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
    'The EKS cluster service role needs exactly the AWS-maintained AmazonEKSClusterPolicy; EKS updates it as the service evolves.',
  );
  for (const policy of [
    'service-role/AWSLambdaBasicExecutionRole',
    'service-role/AWSLambdaVPCAccessExecutionRole',
    'AmazonEC2ContainerRegistryReadOnly',
  ]) {
    acknowledge(
      cluster,
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
      `The kubectl provider Lambda of aws-eks-v2 uses ${policy.replace('service-role/', '')}: it logs, runs in the private subnets (private API endpoint) and pulls Helm charts from OCI registries.`,
    );
  }
  if (ecrPublicCondition) {
    const conditionId = stack.resolve(ecrPublicCondition.logicalId) as string;
    const policyArn = JSON.stringify({
      'Fn::If': [
        conditionId,
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly']] },
        { Ref: 'AWS::NoValue' },
      ],
    });
    acknowledge(
      cluster,
      `AwsSolutions-IAM4[Policy::${policyArn}]`,
      'The kubectl provider Lambda of aws-eks-v2 pulls public ECR Helm charts where ECR Public exists (a condition aws-eks-v2 adds).',
    );
  }
  acknowledge(
    cluster,
    `AwsSolutions-IAM5[Resource::<${handlerLogicalId}.Arn>:*]`,
    'The custom-resource framework may invoke any version of the kubectl handler function; the resource is that one function.',
  );
  acknowledge(
    cluster,
    'CloudFormation-Validate::W9009',
    'aws-eks-v2 writes EncryptionConfig.Resources = ["secrets"]; the schema marks the property deprecated but EKS still reads it to enable envelope encryption of Secrets.',
  );
  acknowledge(
    cluster,
    'AwsSolutions-L1',
    'The kubectl provider and custom-resource framework Lambdas are created by aws-cdk-lib with the runtime it pins; they are not platform code.',
  );
}
