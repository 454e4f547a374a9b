import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Annotations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RUNTIME_TIER_SPECS } from '@openclaw-tenancy/shared';
import { Construct, DependencyGroup, IDependable } from 'constructs';
import { acknowledge } from '../compliance';
import {
  GVISOR_CONTAINERD_CONFIG,
  GvisorDigests,
  NODE_CONFIG_CONTENT_TYPE,
  gvisorInstallScript,
  nodeConfigDocument,
} from '../node-bootstrap';
import { GVISOR_RELEASE } from '../versions';
import { GVISOR_POD_OVERHEAD_MIB, NodeGroupCapacity, TenantCapacity, nodeGroupCapacities } from '../tenant-node-capacity';

export interface PlatformNodeGroupsProps {
  readonly cluster: eks.Cluster;
  /**
   * Sizes the node group of the default runtime: its maximum holds
   * `maxTenants` gateways of the default tier. An explicit `runc`/`gvisor`
   * capacity for that runtime is checked against it instead.
   */
  readonly tenantCapacity: TenantCapacity;
  readonly subnets: ec2.SubnetSelection;
  /** Nodes are created only after these (the networking add-ons). */
  readonly prerequisites: readonly IDependable[];
  /**
   * Platform controllers (CoreDNS, Argo CD, controllers). Tainted CriticalAddonsOnly.
   * @default - 2-3 × t4g.large, maxPods 110
   */
  readonly system?: NodeGroupCapacity;
  /**
   * Tenant gateways on the default runtime (runc).
   * @default - 1-N × m7g.xlarge / m6g.xlarge, maxPods 110; N holds `tenantCapacity` when runc is the default runtime, else 20
   */
  readonly runc?: NodeGroupCapacity;
  /**
   * Tenant gateways sandboxed by gVisor (runtime tier `gvisor`). Labelled and tainted so only pods of that RuntimeClass land here.
   * @default - 1-N × m7g.xlarge / m6g.xlarge, maxPods 30 (the sandbox overhead limits density); N holds `tenantCapacity` when gvisor is the default runtime, else 10
   */
  readonly gvisor?: NodeGroupCapacity;
  /**
   * SHA-512 digests of the gVisor release's arm64 binaries, checked on every gVisor node before install.
   * @default - only the release's own `.sha512` files, fetched from the same URL (synth warns)
   */
  readonly gvisorDigests?: GvisorDigests;
}

/** Synth warning id while the gVisor binaries are not pinned by digest. */
export const GVISOR_DIGESTS_NOT_PINNED = 'openclaw:gvisor-digests-not-pinned';

/** Node label every platform node group carries, so workloads can select a pool. */
export const NODE_ROLE_LABEL = 'openclaw.io/node-role';
/** Taint keeping everything but critical platform pods off the system nodes. */
export const SYSTEM_NODE_TAINT = { key: 'CriticalAddonsOnly', value: 'true' } as const;
/** Scheduling of platform controllers onto the system nodes (Helm values). */
export const SYSTEM_POD_PLACEMENT = {
  nodeSelector: { [NODE_ROLE_LABEL]: 'system' },
  tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }],
} as const;

/**
 * Managed node groups on Graviton (AL2023 arm64). Every node: IMDSv2 only
 * with a hop limit of 1 (pods cannot reach the node role through IMDS),
 * encrypted gp3 root volume, kubelet maxPods sized for prefix delegation.
 * Cluster Autoscaler scales the groups between min and max.
 */
export class PlatformNodeGroups extends Construct {
  readonly nodeRole: iam.Role;
  readonly system: eks.Nodegroup;
  readonly runc: eks.Nodegroup;
  readonly gvisor: eks.Nodegroup;
  /** All groups, as one dependency for resources that need running nodes. */
  readonly ready: DependencyGroup;
  /**
   * The `gvisor` RuntimeClass (handler `runsc`): tenant pods of the gVisor tier
   * name it, and it pins them to the tainted gVisor nodes and accounts for the
   * sandbox's fixed overhead. It lives here because it only works with these nodes.
   */
  readonly gvisorRuntimeClass: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: PlatformNodeGroupsProps) {
    super(scope, id);
    this.nodeRole = new iam.Role(this, 'NodeRole', {
      description: 'EKS worker nodes (kubelet, image pulls)',
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      // No AmazonEKS_CNI_Policy: the VPC CNI gets it through Pod Identity (ClusterAddons).
      managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly'].map((name) =>
        iam.ManagedPolicy.fromAwsManagedPolicyName(name),
      ),
    });
    for (const name of ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly']) {
      acknowledge(
        this.nodeRole,
        `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        `EKS managed nodes require the AWS-maintained ${name} (node registration, image pulls); pods cannot use it because IMDS is limited to one hop.`,
      );
    }

    const gvisorTaint = RUNTIME_TIER_SPECS.gvisor.nodeTaint;
    if (!gvisorTaint)
      throw new Error(
        'RUNTIME_TIER_SPECS.gvisor.nodeTaint is missing in @openclaw-tenancy/shared; the gVisor node group needs its label and taint',
      );

    const capacities = nodeGroupCapacities(props.tenantCapacity, props);
    this.system = this.nodeGroup('System', props, capacities.system, {
      labels: { [NODE_ROLE_LABEL]: 'system' },
      taints: [{ key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value, effect: eks.TaintEffect.NO_SCHEDULE }],
    });
    this.runc = this.nodeGroup('TenantRunc', props, capacities.runc, {
      labels: { [NODE_ROLE_LABEL]: 'tenant' },
    });
    this.gvisor = this.nodeGroup('TenantGvisor', props, capacities.gvisor, {
      labels: { [NODE_ROLE_LABEL]: 'tenant', [gvisorTaint.key]: gvisorTaint.value },
      taints: [{ key: gvisorTaint.key, value: gvisorTaint.value, effect: eks.TaintEffect.NO_SCHEDULE }],
      containerdConfig: GVISOR_CONTAINERD_CONFIG,
      installScript: gvisorInstallScript(GVISOR_RELEASE, props.gvisorDigests),
    });

    if (!props.gvisorDigests) {
      Annotations.of(this).addWarningV2(
        GVISOR_DIGESTS_NOT_PINNED,
        `gVisor ${GVISOR_RELEASE} binaries are checked only against .sha512 files from the same URL, which catches a corrupt download, not a replaced release; set security.gvisorSha512 to their digests, read once from a trusted machine.`,
      );
    }
    this.ready = new DependencyGroup(this.system, this.runc, this.gvisor);
    const runtimeClassName = RUNTIME_TIER_SPECS.gvisor.runtimeClassName;
    if (!runtimeClassName) throw new Error('RUNTIME_TIER_SPECS.gvisor.runtimeClassName is missing in @openclaw-tenancy/shared');
    this.gvisorRuntimeClass = new eks.KubernetesManifest(this, 'GvisorRuntimeClass', {
      cluster: props.cluster,
      overwrite: true,
      manifest: [
        {
          apiVersion: 'node.k8s.io/v1',
          kind: 'RuntimeClass',
          metadata: { name: runtimeClassName },
          handler: 'runsc',
          // The gVisor sandbox's own footprint per pod, so the scheduler and quotas account for it.
          overhead: { podFixed: { cpu: '50m', memory: `${GVISOR_POD_OVERHEAD_MIB}Mi` } },
          scheduling: {
            nodeSelector: { [gvisorTaint.key]: gvisorTaint.value },
            tolerations: [{ key: gvisorTaint.key, operator: 'Equal', value: gvisorTaint.value, effect: 'NoSchedule' }],
          },
        },
      ],
    });
  }

  private nodeGroup(
    id: string,
    props: PlatformNodeGroupsProps,
    capacity: NodeGroupCapacity,
    options: { labels: Record<string, string>; taints?: eks.TaintSpec[]; containerdConfig?: string; installScript?: string },
  ): eks.Nodegroup {
    if (capacity.minSize < 0 || capacity.maxSize < Math.max(1, capacity.minSize)) {
      throw new Error(
        `node group ${id}: minSize ${capacity.minSize} and maxSize ${capacity.maxSize} must satisfy 0 <= minSize <= maxSize and maxSize >= 1`,
      );
    }
    if (capacity.instanceTypes.length === 0)
      throw new Error(`node group ${id}: instanceTypes is empty; give at least one Graviton instance type`);
    const userData = new ec2.MultipartUserData();
    userData.addPart(
      ec2.MultipartBody.fromRawBody({
        contentType: NODE_CONFIG_CONTENT_TYPE,
        body: nodeConfigDocument({ maxPods: capacity.maxPods, containerdConfig: options.containerdConfig }),
      }),
    );
    if (options.installScript) {
      const script = ec2.UserData.forLinux();
      script.addCommands(options.installScript);
      userData.addUserDataPart(script, ec2.MultipartBody.SHELL_SCRIPT, true);
    }
    const launchTemplate = new ec2.LaunchTemplate(this, `${id}LaunchTemplate`, {
      userData,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      blockDevices: [
        { deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(50, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) },
      ],
    });
    const group = new eks.Nodegroup(this, id, {
      cluster: props.cluster,
      nodeRole: this.nodeRole,
      amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
      capacityType: eks.CapacityType.ON_DEMAND,
      instanceTypes: capacity.instanceTypes.map((t) => new ec2.InstanceType(t)),
      minSize: capacity.minSize,
      desiredSize: capacity.minSize,
      maxSize: capacity.maxSize,
      subnets: props.subnets,
      labels: options.labels,
      taints: options.taints,
      launchTemplateSpec: { id: launchTemplate.launchTemplateId!, version: launchTemplate.latestVersionNumber },
    });
    for (const prerequisite of props.prerequisites) group.node.addDependency(prerequisite);
    return group;
  }
}
