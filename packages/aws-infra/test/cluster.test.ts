import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  IDLE_METRICS_SERVER_URL,
  PLATFORM_NAMES,
  RUNTIME_TIER_SPECS,
  SCALER_POLLING_SECONDS,
  SUPPORTED_KUBERNETES_VERSIONS,
  tenantActivityQuery,
  tenantNames,
} from '@openclaw-tenancy/shared';
import {
  CLUSTER_AUTOSCALER_IMAGE_TAGS,
  EKS_ADDON_VERSIONS,
  EXTERNAL_SECRETS_CHART,
  EXTERNAL_SECRETS_CHART_VERSIONS,
  GVISOR_RELEASE,
  HELM_CHARTS,
  PlatformCluster,
  gvisorInstallScript,
} from '../src';
import {
  SynthesizedPlatform,
  asArray,
  configWith,
  flattenJoin,
  policyStatements,
  resourcesOf,
  synthesizePlatform,
} from './support/platform';

const decode = (value: any): string => JSON.stringify(value);

describe('cluster stack', () => {
  let platform: SynthesizedPlatform;
  let template: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    template = platform.template(platform.stacks.cluster);
  });

  describe('EKS control plane', () => {
    test('runs the pinned Kubernetes version from cluster.kubernetesVersion', () => {
      template.hasResourceProperties('AWS::EKS::Cluster', { Name: 'openclaw', Version: '1.33' });
    });

    test('uses network.serviceIpv4Cidr as the Service range, the one tenant NetworkPolicies exclude from egress', () => {
      template.hasResourceProperties('AWS::EKS::Cluster', {
        KubernetesNetworkConfig: Match.objectLike({ ServiceIpv4Cidr: '172.20.0.0/16' }),
      });
    });

    test('logs all five control-plane log types', () => {
      template.hasResourceProperties('AWS::EKS::Cluster', {
        Logging: {
          ClusterLogging: {
            EnabledTypes: [
              { Type: 'api' },
              { Type: 'audit' },
              { Type: 'authenticator' },
              { Type: 'controllerManager' },
              { Type: 'scheduler' },
            ],
          },
        },
      });
    });

    test('the control-plane log group exists beforehand with a retention', () => {
      template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/openclaw/cluster', RetentionInDays: 365 });
    });

    test("the Container Insights log groups (every tenant container's output) exist before the add-on, with observability.logRetentionDays", () => {
      const [addonId] = resourcesOf(template, 'AWS::EKS::Addon').find(
        ([, a]) => a.Properties.AddonName === 'amazon-cloudwatch-observability',
      )!;
      const addonDependsOn = template.toJSON().Resources[addonId].DependsOn as string[];
      for (const group of ['application', 'dataplane', 'host', 'performance']) {
        const [groupId] = resourcesOf(template, 'AWS::Logs::LogGroup').find(
          ([, g]) => g.Properties.LogGroupName === `/aws/containerinsights/openclaw/${group}`,
        )!;
        expect(template.toJSON().Resources[groupId].Properties.RetentionInDays).toBe(90);
        expect(addonDependsOn).toContain(groupId);
      }
    });

    test('encrypts Kubernetes secrets with a customer managed key that rotates', () => {
      const [[keyId, key]] = resourcesOf(template, 'AWS::KMS::Key') as [[string, any]];
      expect(key.Properties.EnableKeyRotation).toBe(true);
      template.hasResourceProperties('AWS::EKS::Cluster', {
        EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } }, Resources: ['secrets'] }],
      });
    });

    test('has a private API endpoint only', () => {
      template.hasResourceProperties('AWS::EKS::Cluster', {
        ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      });
    });

    test('uses access entries (authentication mode API) and does not make the deployer an admin', () => {
      template.hasResourceProperties('AWS::EKS::Cluster', {
        AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      });
    });

    test('gives each cluster.adminPrincipalArns entry cluster-admin through an access entry', () => {
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        PrincipalArn: 'arn:aws:iam::111111111111:role/platform-admins',
        AccessPolicies: [
          {
            AccessScope: { Type: 'cluster' },
            PolicyArn: Match.objectLike({
              'Fn::Join': ['', Match.arrayWith([':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy'])],
            }),
          },
        ],
      });
    });
  });

  describe('add-ons', () => {
    const addon = (name: string) =>
      resourcesOf(template, 'AWS::EKS::Addon').find(([, a]) => a.Properties.AddonName === name)?.[1].Properties;

    test('every add-on has an explicit eksbuild version from the versions module', () => {
      const versions = EKS_ADDON_VERSIONS['1.33'];
      const expected: Record<string, string> = {
        'vpc-cni': versions.vpcCni,
        coredns: versions.coreDns,
        'kube-proxy': versions.kubeProxy,
        'eks-pod-identity-agent': versions.podIdentityAgent,
        'aws-efs-csi-driver': versions.efsCsiDriver,
        'amazon-cloudwatch-observability': versions.cloudWatchObservability,
      };
      const addons = resourcesOf(template, 'AWS::EKS::Addon').map(([, a]) => a.Properties);
      expect(Object.fromEntries(addons.map((a) => [a.AddonName, a.AddonVersion]))).toEqual(expected);
      for (const a of addons) expect(a.AddonVersion).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    });

    test('VPC CNI enforces network policies and uses prefix delegation', () => {
      expect(JSON.parse(addon('vpc-cni').ConfigurationValues)).toEqual({
        enableNetworkPolicy: 'true',
        env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' },
      });
    });

    test('the EFS CSI node role has no identity policy (the file system policy names it)', () => {
      const [, association] = resourcesOf(template, 'AWS::EKS::PodIdentityAssociation').find(
        ([, r]) => r.Properties.ServiceAccount === 'efs-csi-node-sa',
      )!;
      const nodeRoleArn = association.Properties.RoleArn;
      const [roleId] = resourcesOf(template, 'AWS::IAM::Role').find(([id]) => JSON.stringify(nodeRoleArn).includes(id))!;
      const role = template.toJSON().Resources[roleId];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
      expect(resourcesOf(template, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId))).toEqual([]);
    });

    test('the EFS CSI driver (controller and node) and the CloudWatch agent get credentials through Pod Identity', () => {
      // The managed add-on takes the controller's association only; the node's is standalone and exists before the add-on.
      expect(addon('aws-efs-csi-driver').PodIdentityAssociations).toEqual([
        { RoleArn: expect.anything(), ServiceAccount: 'efs-csi-controller-sa' },
      ]);
      const [nodeAssociationId] = resourcesOf(template, 'AWS::EKS::PodIdentityAssociation').find(
        ([, r]) => r.Properties.ServiceAccount === 'efs-csi-node-sa',
      )!;
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'efs-csi-node-sa' });
      const [, efsAddon] = resourcesOf(template, 'AWS::EKS::Addon').find(([, r]) => r.Properties.AddonName === 'aws-efs-csi-driver')!;
      expect(efsAddon.DependsOn).toContain(nodeAssociationId);
      expect(addon('amazon-cloudwatch-observability').PodIdentityAssociations).toEqual([
        { RoleArn: expect.anything(), ServiceAccount: 'cloudwatch-agent' },
      ]);
    });

    test('Pod Identity roles trust pods.eks.amazonaws.com of this cluster only, with session tags', () => {
      const podRoles = resourcesOf(template, 'AWS::IAM::Role').filter(([, r]) =>
        decode(r.Properties.AssumeRolePolicyDocument).includes('pods.eks.amazonaws.com'),
      );
      expect(podRoles.length).toBeGreaterThanOrEqual(5);
      for (const [, role] of podRoles) {
        expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
          {
            Effect: 'Allow',
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] } },
              // Pinned to the pods' namespace and service account (security-controls.test.ts checks each role).
              StringLike: {
                'aws:RequestTag/kubernetes-namespace': expect.any(String),
                'aws:RequestTag/kubernetes-service-account': expect.any(String),
              },
            },
          },
        ]);
      }
    });

    test('every supported Kubernetes version has a full, well-formed set of pins', () => {
      for (const v of SUPPORTED_KUBERNETES_VERSIONS) {
        const set = EKS_ADDON_VERSIONS[v];
        for (const pin of Object.values(set)) expect(pin).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
        expect(set.kubeProxy.startsWith(`v${v}.`)).toBe(true);
        expect(CLUSTER_AUTOSCALER_IMAGE_TAGS[v].startsWith(`v${v}.`)).toBe(true);
      }
    });
  });

  describe('node groups', () => {
    const groups = () => resourcesOf(template, 'AWS::EKS::Nodegroup').map(([, g]) => g.Properties);
    const launchTemplateOf = (group: any) =>
      (template.findResources('AWS::EC2::LaunchTemplate') as Record<string, any>)[group.LaunchTemplate.Id.Ref].Properties
        .LaunchTemplateData;

    test('all groups are Graviton (AL2023 arm64) managed node groups', () => {
      expect(groups()).toHaveLength(3);
      for (const g of groups()) expect(g.AmiType).toBe('AL2023_ARM_64_STANDARD');
    });

    test('the system group is tainted CriticalAddonsOnly', () => {
      const system = groups().find((g) => g.Labels['openclaw.io/node-role'] === 'system');
      expect(system.Taints).toEqual([{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }]);
    });

    test('the gVisor group carries the label and taint of RUNTIME_TIER_SPECS.gvisor', () => {
      const { key, value } = RUNTIME_TIER_SPECS.gvisor.nodeTaint!;
      const gvisor = groups().find((g) => g.Labels[key] === value);
      expect(gvisor.Taints).toEqual([{ Key: key, Value: value, Effect: 'NO_SCHEDULE' }]);
    });

    test('the runc tenant group is untainted so ordinary tenant pods land there', () => {
      const runc = groups().filter((g) => g.Labels['openclaw.io/node-role'] === 'tenant' && !g.Taints);
      expect(runc).toHaveLength(1);
    });

    test('every node: IMDSv2 only with hop limit 1, encrypted gp3 root volume', () => {
      for (const g of groups()) {
        const lt = launchTemplateOf(g);
        expect(lt.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
        expect(lt.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 50, VolumeType: 'gp3' } }]);
      }
    });

    test('kubelet maxPods is set for prefix delegation through a NodeConfig document', () => {
      for (const g of groups()) {
        const userData = decode(launchTemplateOf(g).UserData);
        expect(userData).toContain('Content-Type: application/node.eks.aws');
        expect(userData).toMatch(/\\"maxPods\\": (110|30)/);
      }
    });

    test('gVisor nodes install the pinned runsc release only after SHA-512 verification, and register the runsc runtime', () => {
      const { key, value } = RUNTIME_TIER_SPECS.gvisor.nodeTaint!;
      const userData = decode(launchTemplateOf(groups().find((g) => g.Labels[key] === value)).UserData);
      expect(userData).toContain(`GVISOR_RELEASE=${GVISOR_RELEASE}`);
      expect(userData).toContain('sha512sum --check --strict runsc.sha512 containerd-shim-runsc-v1.sha512');
      expect(userData.indexOf('sha512sum --check')).toBeLessThan(userData.indexOf('install -m 0755 runsc'));
      expect(userData).toContain("containerd.runtimes.runsc]\\\\n  runtime_type = 'io.containerd.runsc.v1'");
    });

    test('the gvisor RuntimeClass (handler runsc) pins its pods to the gVisor nodes the tenant chart names', () => {
      const { key, value } = RUNTIME_TIER_SPECS.gvisor.nodeTaint!;
      const manifests = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource').flatMap(([, r]) =>
        JSON.parse(JSON.stringify(r.Properties.Manifest)),
      );
      const runtimeClass = manifests
        .map((m: any) => (typeof m === 'string' ? JSON.parse(m) : m))
        .flat()
        .find((m: any) => m.kind === 'RuntimeClass');
      expect(runtimeClass).toEqual({
        apiVersion: 'node.k8s.io/v1',
        kind: 'RuntimeClass',
        metadata: expect.objectContaining({ name: RUNTIME_TIER_SPECS.gvisor.runtimeClassName }),
        handler: 'runsc',
        overhead: { podFixed: { cpu: '50m', memory: '128Mi' } },
        scheduling: { nodeSelector: { [key]: value }, tolerations: [{ key, operator: 'Equal', value, effect: 'NoSchedule' }] },
      });
    });

    test('pins the gVisor binaries by digest when the config names them, and warns at synth while it does not', () => {
      Annotations.fromStack(platform.stacks.cluster).hasWarning('*', Match.stringLikeRegexp('set security.gvisorSha512'));
      const digests = { runsc: 'a'.repeat(128), containerdShimRunscV1: 'b'.repeat(128) };
      const pinned = synthesizePlatform(configWith((raw) => (raw.security = { ...(raw.security ?? {}), gvisorSha512: digests })));
      Annotations.fromStack(pinned.stacks.cluster).hasNoWarning('*', Match.stringLikeRegexp('set security.gvisorSha512'));
      const { key, value } = RUNTIME_TIER_SPECS.gvisor.nodeTaint!;
      const gvisorGroup = resourcesOf(pinned.template(pinned.stacks.cluster), 'AWS::EKS::Nodegroup')
        .map(([, g]) => g.Properties)
        .find((g) => g.Labels?.[key] === value);
      const templates = resourcesOf(pinned.template(pinned.stacks.cluster), 'AWS::EC2::LaunchTemplate');
      const userData = decode(
        templates.find(([id]) => JSON.stringify(gvisorGroup.LaunchTemplate).includes(id))![1].Properties.LaunchTemplateData.UserData,
      );
      expect(userData).toContain(digests.runsc);
      expect(userData).toContain(digests.containerdShimRunscV1);
      expect(() => gvisorInstallScript(GVISOR_RELEASE, { runsc: 'abc', containerdShimRunscV1: digests.containerdShimRunscV1 })).toThrow(
        /not a SHA-512 hex digest/,
      );
    });

    test("the node's check refuses a release whose binaries differ from the pinned digests, even when its own .sha512 files agree", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gvisor-install-'));
      try {
        // Stand-ins for what the node has: curl serves a "release" (binaries and matching .sha512 files), uname says arm64.
        const bin = path.join(dir, 'bin');
        fs.mkdirSync(bin);
        const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
        stub('uname', 'echo aarch64');
        stub(
          'curl',
          'out="${@: -2:1}"; url="${@: -1}"; name="$(basename "$url")"; case "$name" in *.sha512) b="${name%.sha512}"; printf "release %s" "$b" > "/tmp/$$.$b"; echo "$(sha512sum < "/tmp/$$.$b" | cut -d" " -f1)  $b" > "$out"; rm -f "/tmp/$$.$b";; *) printf "release %s" "$name" > "$out";; esac',
        );
        const digestOf = (name: string) => createHash('sha512').update(`release ${name}`).digest('hex');
        const run = (pins: { runsc: string; containerdShimRunscV1: string }) => {
          const script = gvisorInstallScript(GVISOR_RELEASE, pins);
          // Up to the install: what the check lets through is what would be installed.
          const checked = `${script.slice(0, script.indexOf('install -m 0755'))}echo VERIFIED\nrm -rf "\${WORK}"\n`;
          return spawnSync('bash', ['-c', checked], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
        };
        const good = run({ runsc: digestOf('runsc'), containerdShimRunscV1: digestOf('containerd-shim-runsc-v1') });
        expect({ status: good.status, stdout: good.stdout.trim() }).toEqual({ status: 0, stdout: expect.stringContaining('VERIFIED') });
        const replaced = run({ runsc: 'c'.repeat(128), containerdShimRunscV1: digestOf('containerd-shim-runsc-v1') });
        expect(replaced.status).not.toBe(0);
        expect(replaced.stdout).not.toContain('VERIFIED');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('fails if the gVisor release is not a dated release', () => {
      expect(() => gvisorInstallScript('latest')).toThrow(/gVisor release "latest" is not a dated release/);
    });
  });

  describe('platform controllers', () => {
    const charts = () => resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart').map(([, c]) => c.Properties);

    test('every Helm chart has an explicit pinned version, never latest', () => {
      const pinned = [...Object.values(HELM_CHARTS), { ...EXTERNAL_SECRETS_CHART, version: EXTERNAL_SECRETS_CHART_VERSIONS['1.33'] }];
      expect(charts()).toHaveLength(pinned.length);
      for (const chart of charts()) {
        expect(chart.Version).toMatch(/^v?\d+\.\d+\.\d+$/);
        expect(pinned).toContainEqual({ repository: chart.Repository, chart: chart.Chart, version: chart.Version });
      }
    });

    test('Envoy Gateway is the v1.9 release whose CRDs are vendored', () => {
      expect(charts().find((c) => c.Chart === 'gateway-helm')).toMatchObject({
        Version: 'v1.9.0',
        Namespace: PLATFORM_NAMES.envoyGatewayNamespace,
      });
    });

    const platformApplication = (t: Template) => {
      const [, app] = resourcesOf(t, 'Custom::AWSCDK-EKS-KubernetesResource').find(([, r]) =>
        decode(r.Properties.Manifest).includes('Application'),
      )!;
      return JSON.parse(app.Properties.Manifest)[0];
    };
    const PIN_WARNING = Match.stringLikeRegexp('set gitops.platformRevision');

    test('Argo CD syncs deploy/platform of gitops.repoUrl at gitops.branch by default, and synth warns about it', () => {
      const manifest = platformApplication(template);
      expect(manifest.spec.source).toEqual({
        repoURL: 'https://github.com/example-org/openclaw-platform.git',
        targetRevision: 'main',
        path: 'deploy/platform',
      });
      expect(manifest.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      Annotations.fromStack(platform.stacks.cluster).hasWarning('*', PIN_WARNING);
    });

    test('with gitops.platformRevision, deploy/platform comes from that revision only, without the warning', () => {
      const pinned = synthesizePlatform(configWith((raw) => (raw.gitops.platformRevision = '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39')));
      expect(platformApplication(pinned.template(pinned.stacks.cluster)).spec.source.targetRevision).toBe(
        '3f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39',
      );
      Annotations.fromStack(pinned.stacks.cluster).hasNoWarning('*', PIN_WARNING);
    });

    test('controllers run on the system nodes', () => {
      for (const name of ['aws-load-balancer-controller', 'cluster-autoscaler']) {
        const values = JSON.parse(flattenJoin(charts().find((c) => c.Chart === name).Values));
        expect(values.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
        expect(values.nodeSelector).toEqual({ 'openclaw.io/node-role': 'system' });
      }
    });

    test('idle suspend: KEDA and a Prometheus server that scrapes only the edge Envoy counters tenant ScaledObjects read', () => {
      const keda = charts().find((c) => c.Chart === 'keda');
      expect(keda).toMatchObject({ Version: HELM_CHARTS.keda.version, Namespace: PLATFORM_NAMES.kedaNamespace });
      const prometheus = charts().find((c) => c.Chart === 'prometheus');
      expect(prometheus).toMatchObject({ Version: HELM_CHARTS.prometheus.version, Namespace: PLATFORM_NAMES.metricsNamespace });
      const values = JSON.parse(flattenJoin(prometheus.Values));
      for (const off of ['alertmanager', 'kube-state-metrics', 'prometheus-node-exporter', 'prometheus-pushgateway'])
        expect(values[off]).toEqual({ enabled: false });
      // The Service the ScaledObjects' trigger names.
      expect(IDLE_METRICS_SERVER_URL).toBe(
        `http://${values.server.fullnameOverride}.${PLATFORM_NAMES.metricsNamespace}.svc.cluster.local:80`,
      );
      expect(values.server.global.scrape_interval).toBe(`${SCALER_POLLING_SECONDS}s`);
      expect(values.server.nodeSelector).toEqual({ 'openclaw.io/node-role': 'system' });
      const [job] = values.serverFiles['prometheus.yml'].scrape_configs;
      expect(values.serverFiles['prometheus.yml'].scrape_configs).toHaveLength(1);
      expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: [PLATFORM_NAMES.envoyGatewayNamespace] } }]);
      expect(job.relabel_configs).toContainEqual({
        source_labels: ['__meta_kubernetes_pod_label_gateway_envoyproxy_io_owning_gateway_name'],
        regex: PLATFORM_NAMES.gateway,
        action: 'keep',
      });
      // Every metric the activity query reads survives the metric filter; nothing else does.
      const keep = new RegExp(`^(?:${job.metric_relabel_configs[0].regex})$`);
      const read = [...tenantActivityQuery(tenantNames('alice')).matchAll(/(envoy_[a-z_]+)\{/g)].map((m) => m[1]);
      expect(read).toHaveLength(3);
      for (const metric of read) expect(keep.test(metric as string)).toBe(true);
      expect(keep.test('envoy_cluster_upstream_cx_total')).toBe(false);
    });

    test('the platform Application waits for KEDA, whose CRD the tenant folders use', () => {
      const [id] = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource').find(([, r]) =>
        typeof r.Properties.Manifest === 'string' ? JSON.parse(r.Properties.Manifest)[0]?.kind === 'Application' : false,
      )!;
      const kedaId = resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart').find(([, c]) => c.Properties.Chart === 'keda')![0];
      expect(template.toJSON().Resources[id].DependsOn).toContain(kedaId);
    });

    test('the load balancer controller may register targets only in the edge target group', () => {
      const statements = policyStatements(template).filter((s) =>
        asArray(s.Action).some((a: string) => a.startsWith('elasticloadbalancing:Register')),
      );
      expect(statements).toEqual([
        expect.objectContaining({
          Action: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'],
          Resource: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/openclaw-edge/*',
        }),
      ]);
    });

    test('Cluster Autoscaler may resize only node groups tagged as owned by this cluster', () => {
      const [scale] = policyStatements(template).filter((s) => asArray(s.Action).includes('autoscaling:SetDesiredCapacity'));
      expect(scale.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/openclaw': 'owned' } });
    });
  });

  describe('shared tenant role', () => {
    const tenantStatements = () => {
      const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => id.startsWith('TenantRole'))!;
      return policy.Properties.PolicyDocument.Statement as any[];
    };
    const sid = (id: string) => tenantStatements().find((s) => s.Sid === id);

    test('is assumed by Pod Identity with session tags', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: Match.stringLikeRegexp('^Shared role of all tenant pods'),
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] })],
        },
      });
    });

    test('reads only secrets tagged with the calling pod namespace (ABAC)', () => {
      expect(sid('ReadOwnSecrets')).toEqual({
        Sid: 'ReadOwnSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:openclaw/tenants/*',
        Condition: { StringEquals: { 'secretsmanager:ResourceTag/tenant-namespace': '${aws:PrincipalTag/kubernetes-namespace}' } },
      });
    });

    test('is denied every tag-changing action, so the ABAC tags cannot be rewritten by a tenant', () => {
      expect(sid('DenyTagChanges')).toMatchObject({ Effect: 'Deny', Resource: '*' });
      expect(sid('DenyTagChanges').Action).toEqual(
        expect.arrayContaining([
          'secretsmanager:TagResource',
          'secretsmanager:UntagResource',
          'secretsmanager:CreateSecret',
          'bedrock:TagResource',
          'bedrock:UntagResource',
          'tag:TagResources',
          'tag:UntagResources',
        ]),
      );
    });

    test('invokes only application inference profiles tagged with its own namespace', () => {
      expect(sid('InvokeOwnInferenceProfiles')).toMatchObject({
        Resource: 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/*',
        Condition: { StringEquals: { 'aws:ResourceTag/tenant-namespace': '${aws:PrincipalTag/kubernetes-namespace}' } },
      });
    });

    test('reaches catalog models and system profiles only through an application profile', () => {
      const statement = sid('InvokeCatalogModelsOnlyThroughApplicationProfiles');
      expect(statement.Condition).toEqual({
        StringLike: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/*' },
      });
      expect(statement.Resource).toEqual([
        'arn:aws:bedrock:*::foundation-model/anthropic.claude-opus-4-6-v1',
        'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6',
        'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-opus-4-6-v1',
        'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.anthropic.claude-sonnet-4-6',
        'arn:aws:bedrock:us-east-1::foundation-model/deepseek.v3.2',
      ]);
    });

    test('has no AgentCore permission and no unconditioned Allow on a tenant resource', () => {
      for (const s of tenantStatements()) {
        expect(asArray(s.Action).some((a: string) => a.startsWith('bedrock-agentcore:'))).toBe(false);
        // Model discovery is off (explicit catalog in the OpenClaw config), so no Allow on * at all.
        if (s.Effect === 'Allow') expect(s.Resource).not.toBe('*');
      }
    });
  });

  test('Container Insights alarms use metrics that exist and notify the alerts topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({
          Expression:
            "SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = 'openclaw'",
        }),
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 5,
      AlarmActions: [Match.anyValue()],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ContainerInsights',
      MetricName: 'cluster_failed_node_count',
      Dimensions: [{ Name: 'ClusterName', Value: 'openclaw' }],
      AlarmActions: [Match.anyValue()],
    });
  });

  test('fails if PlatformCluster is given a Kubernetes version without pinned add-ons', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc');
    expect(
      () =>
        new PlatformCluster(stack, 'Cluster', {
          vpc,
          subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          clusterName: 'c',
          kubernetesVersion: '1.32',
          adminPrincipalArns: [],
          serviceIpv4Cidr: '172.20.0.0/16',
          controlPlaneLogRetention: logs.RetentionDays.ONE_WEEK,
        }),
    ).toThrow(/cluster\.kubernetesVersion "1\.32" is not deployable/);
  });
});
