import { Template } from 'aws-cdk-lib/assertions';
import { PLATFORM_NAMES } from '@openclaw-tenancy/shared';
import { ARGO_CD_REPOSITORY_SECRET_LABEL, EXTERNAL_SECRETS_CHART_VERSIONS, REPOSITORY_CREDENTIAL } from '../src';
import {
  SynthesizedPlatform,
  asArray,
  configWith,
  flattenJoin,
  policyStatements,
  resourcesOf,
  synthesizePlatform,
} from './support/platform';

const SECRET_NAME = 'openclaw/platform/gitops-credentials';

/** The SecretStore and ExternalSecret the cluster stack applies. */
function repositoryManifests(template: Template): any[] {
  const found = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource').find(([, r]) =>
    JSON.stringify(r.Properties.Manifest).includes('ExternalSecret'),
  );
  if (!found) throw new Error('no ExternalSecret manifest in the cluster stack');
  return JSON.parse(flattenJoin(found[1].Properties.Manifest));
}

describe('Argo CD reads the GitOps repository with a credential from Secrets Manager', () => {
  let platform: SynthesizedPlatform;
  let template: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    template = platform.template(platform.stacks.cluster);
  });

  test('an ExternalSecret in the argocd namespace builds the repository Secret Argo CD recognises', () => {
    const [store, external] = repositoryManifests(template);
    expect(store).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: expect.objectContaining({ name: REPOSITORY_CREDENTIAL.storeName, namespace: PLATFORM_NAMES.argoCdNamespace }),
      spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1' } } },
    });
    expect(external.metadata.namespace).toBe(PLATFORM_NAMES.argoCdNamespace);
    expect(external.spec.dataFrom).toEqual([{ extract: { key: SECRET_NAME } }]);
    expect(external.spec.target.template.metadata.labels).toEqual(ARGO_CD_REPOSITORY_SECRET_LABEL);
    expect(external.spec.target.template.data).toEqual({
      type: 'git',
      url: 'https://github.com/example-org/openclaw-platform.git',
      username: '{{ .username }}',
      password: '{{ .password }}',
    });
  });

  test('the credential never appears in the template: only its name, no dynamic reference, nothing that reads it during deploy', () => {
    const everything = JSON.stringify(template.toJSON());
    expect(everything).not.toContain('{{resolve:secretsmanager');
    expect(everything).not.toMatch(/GetSecretValue"[^}]*"Fn::GetAtt"/);
    expect(resourcesOf(template, 'Custom::AWS')).toEqual([]);
    expect(Object.keys(template.findResources('AWS::SecretsManager::Secret'))).toEqual([]);
  });

  test('the External Secrets Operator is pinned for the cluster version and processes no cluster-wide store', () => {
    const chart = resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart')
      .map(([, c]) => c.Properties)
      .find((c) => c.Chart === 'external-secrets');
    expect(chart).toMatchObject({
      Version: EXTERNAL_SECRETS_CHART_VERSIONS['1.33'],
      Namespace: REPOSITORY_CREDENTIAL.operatorNamespace,
      Repository: 'https://charts.external-secrets.io',
    });
    const values = JSON.parse(flattenJoin(chart.Values));
    expect(values).toMatchObject({
      processClusterStore: false,
      processClusterExternalSecret: false,
      nodeSelector: { 'openclaw.io/node-role': 'system' },
    });
  });

  test('only the operator, through Pod Identity, may read that one secret', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: REPOSITORY_CREDENTIAL.operatorNamespace,
      ServiceAccount: REPOSITORY_CREDENTIAL.operatorServiceAccount,
    });
    // The tenant role's ABAC statement (openclaw/tenants/*) is the only other reader.
    const reads = policyStatements(template).filter(
      (s) => asArray(s.Action).includes('secretsmanager:GetSecretValue') && !flattenJoin(s.Resource).includes('secret:openclaw/tenants/'),
    );
    expect(reads).toHaveLength(1);
    expect(flattenJoin(reads[0].Resource)).toBe(`arn:aws:secretsmanager:eu-west-1:111111111111:secret:${SECRET_NAME}-??????`);
  });

  test('the platform Application is applied after the repository Secret, so its first sync needs no retry', () => {
    const secretId = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource').find(([, r]) =>
      JSON.stringify(r.Properties.Manifest).includes('ExternalSecret'),
    )![0];
    const [, app] = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource').find(([, r]) =>
      JSON.stringify(r.Properties.Manifest).includes('"kind\\":\\"Application'),
    )!;
    expect(app.DependsOn).toContain(secretId);
  });

  test('gitops.argoCdCredentialsSecretName gives Argo CD its own (read-only) credential', () => {
    const separate = synthesizePlatform(configWith((raw) => (raw.gitops.argoCdCredentialsSecretName = 'openclaw/platform/argocd-read')));
    const [, external] = repositoryManifests(separate.template(separate.stacks.cluster));
    expect(external.spec.dataFrom).toEqual([{ extract: { key: 'openclaw/platform/argocd-read' } }]);
  });
});

describe('operators reach the Kubernetes API', () => {
  test('by default the endpoint is private and the deployer is no administrator', () => {
    const template = synthesizePlatform().template(synthesizePlatform().stacks.cluster);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: false },
      AccessConfig: { BootstrapClusterCreatorAdminPermissions: false },
    });
  });

  test('cluster.publicApiAccessCidrs opens the endpoint to those networks only', () => {
    const open = synthesizePlatform(configWith((raw) => (raw.cluster.publicApiAccessCidrs = ['203.0.113.0/24'])));
    open.template(open.stacks.cluster).hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] },
    });
  });
});
