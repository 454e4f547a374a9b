import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AUTH_UI_SECURITY_HEADERS,
  PLATFORM_NAMES,
  authUiContentSecurityPolicy,
  authUiRuntimeConfigProblems,
  cognitoApiOrigin,
} from '@openclaw-tenancy/shared';
import { createPlatform } from '../src';
import {
  FIXTURES,
  FIXTURE_ENTRIES,
  SynthesizedPlatform,
  configWith,
  flattenJoin,
  resourcesOf,
  synthesizePlatform,
  testApp,
} from './support/platform';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER = '216adef6-5c7f-47e4-b989-5492eafa07d3';

describe('edge stack', () => {
  let platform: SynthesizedPlatform;
  let template: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    template = platform.template(platform.stacks.edge);
  });

  const distributionConfig = () => resourcesOf(template, 'AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;
  const tenantBehavior = () => distributionConfig().CacheBehaviors.find((b: any) => b.PathPattern === '/t/*');

  describe('internal load balancer', () => {
    test('is internal: no load balancer anywhere in the platform is internet-facing', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal', Type: 'application' });
      for (const stack of Object.values(platform.stacks)) {
        for (const [, lb] of resourcesOf(platform.template(stack), 'AWS::ElasticLoadBalancingV2::LoadBalancer'))
          expect(lb.Properties.Scheme).toBe('internal');
      }
    });

    test('keeps idle connections (WebSockets) for at least 120 s and drops invalid headers', () => {
      const attributes = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0]![1].Properties.LoadBalancerAttributes;
      const byKey = Object.fromEntries(attributes.map((a: any) => [a.Key, a.Value]));
      expect(Number(byKey['idle_timeout.timeout_seconds'])).toBeGreaterThanOrEqual(120);
      expect(byKey['routing.http.drop_invalid_header_fields.enabled']).toBe('true');
      expect(byKey['access_logs.s3.enabled']).toBe('true');
    });

    test('accepts traffic only from the CloudFront VPC-origin security group, looked up after the VPC origin exists', () => {
      const [sgId] = resourcesOf(template, 'AWS::EC2::SecurityGroup').find(([, sg]) =>
        /Internal edge ALB/.test(sg.Properties.GroupDescription),
      )!;
      const ingress = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) =>
        JSON.stringify(r.Properties.GroupId).includes(sgId),
      );
      expect(ingress).toHaveLength(1);
      expect(ingress[0]![1].Properties).toMatchObject({
        FromPort: 80,
        ToPort: 80,
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^VpcOriginIngressLookup/), 'SecurityGroups.0.GroupId'] },
      });
      const [, lookup] = resourcesOf(template, 'Custom::AWS')[0]!;
      expect(flattenJoin(lookup.Properties.Create)).toContain('{"Name":"group-name","Values":["CloudFront-VPCOrigins-Service-SG"]}');
      expect(lookup.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^EdgeTenantVpcOrigin/)]));
    });

    test('sends only to the Envoy pods on the edge listener port, and the nodes admit the load balancer there', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        FromPort: PLATFORM_NAMES.gatewayListenerPort,
        ToPort: PLATFORM_NAMES.gatewayListenerPort,
        IpProtocol: 'tcp',
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: PLATFORM_NAMES.gatewayListenerPort,
        GroupId: { 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('ClusterSecurityGroupId') }) },
      });
    });

    test('forwards to an IP target group that the load balancer controller fills through a TargetGroupBinding', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Name: 'openclaw-edge',
        TargetType: 'ip',
        Port: 8080,
        Protocol: 'HTTP',
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [Match.objectLike({ Type: 'forward' })],
      });
      const [, binding] = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')[0]!;
      const [manifest] = JSON.parse(flattenJoin(binding.Properties.Manifest));
      expect(manifest).toMatchObject({
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: { namespace: PLATFORM_NAMES.envoyGatewayNamespace },
        spec: {
          serviceRef: { name: PLATFORM_NAMES.envoyService, port: PLATFORM_NAMES.gatewayListenerPort },
          targetGroupARN: '<token>',
          targetType: 'ip',
        },
      });
    });
  });

  describe('CloudFront', () => {
    test('serves the platform domain with its us-east-1 certificate, TLS 1.2 (2021 policy), SNI', () => {
      expect(distributionConfig()).toMatchObject({
        Aliases: ['ai.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0b6f7a52-3c9e-4d1e-9a57-2f1d6c1e8a90',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      });
    });

    test('is protected by the web ACL of the us-east-1 WAF stack (cross-region reference, not a custom resource)', () => {
      expect(distributionConfig().WebACLId).toEqual({
        'Fn::GetStackOutput': expect.objectContaining({ StackName: 'openclaw-waf', Region: 'us-east-1' }),
      });
    });

    test('the auth UI comes from the private bucket through origin access control, with the SPA rewrite on viewer requests', () => {
      const config = distributionConfig();
      const s3Origin = config.Origins.find((o: any) => o.S3OriginConfig);
      expect(s3Origin.OriginAccessControlId).toBeDefined();
      expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
      expect(config.DefaultCacheBehavior).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        FunctionAssociations: [
          { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeSpaRewrite/), 'FunctionARN'] } },
        ],
      });
    });

    const headersPolicy = (ref: unknown) => {
      const id = (ref as { Ref: string }).Ref;
      return template.toJSON().Resources[id].Properties.ResponseHeadersPolicyConfig;
    };

    test('the auth UI is served with exactly the shared Content-Security-Policy and security headers (as the local edge sends them)', () => {
      const config = headersPolicy(distributionConfig().DefaultCacheBehavior.ResponseHeadersPolicyId);
      const security = config.SecurityHeadersConfig;
      expect(security.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy: authUiContentSecurityPolicy(cognitoApiOrigin('eu-west-1')),
        Override: true,
      });
      expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toContain('https://cognito-idp.eu-west-1.amazonaws.com');
      // Each shared header, in CloudFront's typed form.
      expect(AUTH_UI_SECURITY_HEADERS).toEqual({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
      });
      expect(security.ContentTypeOptions).toEqual({ Override: true });
      expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: AUTH_UI_SECURITY_HEADERS['referrer-policy'], Override: true });
      expect(security.FrameOptions).toEqual({ FrameOption: AUTH_UI_SECURITY_HEADERS['x-frame-options'], Override: true });
      expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true });
    });

    test("workspaces get security headers where the gateway sets none, never a CSP that would override OpenClaw's", () => {
      const security = headersPolicy(tenantBehavior().ResponseHeadersPolicyId).SecurityHeadersConfig;
      expect(security.ContentSecurityPolicy).toBeUndefined();
      expect(security).toMatchObject({
        ContentTypeOptions: { Override: false },
        FrameOptions: { FrameOption: 'SAMEORIGIN', Override: false },
        StrictTransportSecurity: { Override: true },
      });
    });

    test('/t/* goes uncached to the VPC origin with every viewer header, cookie and query string, all methods', () => {
      expect(tenantBehavior()).toMatchObject({
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER,
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        ViewerProtocolPolicy: 'https-only',
      });
      const origin = distributionConfig().Origins.find((o: any) => o.Id === tenantBehavior().TargetOriginId);
      expect(origin.VpcOriginConfig).toMatchObject({
        OriginReadTimeout: 120,
        OriginKeepaliveTimeout: 60,
        VpcOriginId: { 'Fn::GetAtt': [expect.stringMatching(/^EdgeTenantVpcOrigin/), 'Id'] },
      });
    });

    test('the VPC origin is the internal load balancer', () => {
      template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
        VpcOriginEndpointConfig: Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('^LoadBalancer') },
          HTTPPort: 80,
          OriginProtocolPolicy: 'http-only',
        }),
      });
    });

    test('writes standard logs to the edge log bucket', () => {
      expect(distributionConfig().Logging).toEqual({
        Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^LogBucket/), 'RegionalDomainName'] },
        Prefix: 'cloudfront/',
      });
    });

    test('Route 53 alias records (IPv4 and IPv6) are created when domain.hostedZoneId is set', () => {
      for (const type of ['A', 'AAAA']) {
        template.hasResourceProperties('AWS::Route53::RecordSet', {
          Type: type,
          Name: 'ai.example.com.',
          HostedZoneId: 'Z0EXAMPLE12345',
          AliasTarget: Match.anyValue(),
        });
      }
    });

    test('no DNS records without a hosted zone', () => {
      // GIVEN a config without hostedZoneId/hostedZoneName
      const config = configWith((raw) => {
        delete raw.domain.hostedZoneId;
        delete raw.domain.hostedZoneName;
      });
      // WHEN
      const app = testApp();
      const stacks = createPlatform(app, config, {
        functionEntries: FIXTURE_ENTRIES,
        authUiDirectory: path.join(FIXTURES, 'auth-ui-dist'),
      });
      // THEN
      Template.fromStack(stacks.edge).resourceCountIs('AWS::Route53::RecordSet', 0);
    });
  });

  describe('auth UI hosting', () => {
    test('the site bucket blocks public access, requires TLS, is versioned and encrypted', () => {
      const [bucketId, bucket] = resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id.startsWith('EdgeSiteBucket'))!;
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      });
      const [, policy] = resourcesOf(template, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)!;
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    test('the deployment uploads the build plus a config.json made of the real pool and client ids, then invalidates /*', () => {
      const [, deployment] = resourcesOf(template, 'Custom::CDKBucketDeployment')[0]!;
      expect(deployment.Properties).toMatchObject({ DistributionPaths: ['/*'], Prune: true });
      const markers = JSON.stringify(deployment.Properties.SourceMarkers);
      expect(markers).toMatch(/IdentityUserPool96FE3B9B/);
      expect(markers).toMatch(/IdentityUserPoolWebClient/);
    });

    test('config.json satisfies the auth UI contract of packages/shared', () => {
      const runtimeConfig = platform.stacks.edge.node.findChild('AuthUi') as any;
      expect(authUiRuntimeConfigProblems(runtimeConfig.runtimeConfig)).toEqual([]);
      expect(runtimeConfig.runtimeConfig).toMatchObject({ region: 'eu-west-1', origin: 'https://ai.example.com' });
    });

    test('fails with the build command when the auth UI has not been built', () => {
      const app = testApp();
      expect(() =>
        createPlatform(app, configWith(), { functionEntries: FIXTURE_ENTRIES, authUiDirectory: '/nonexistent/auth-ui/dist' }),
      ).toThrow(/the auth UI build \/nonexistent\/auth-ui\/dist is missing .*run `npx nx run auth-ui:build`/);
    });
  });
});
