import { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_ENV, SESSION_PATH_PREFIX } from '@openclaw-tenancy/shared';
import { SynthesizedPlatform, configWith, resourcesOf, synthesizePlatform } from './support/platform';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

describe('session endpoint in AWS (/_session/* → session function URL)', () => {
  let platform: SynthesizedPlatform;
  let edge: Template;
  let controlPlane: Template;
  beforeAll(() => {
    platform = synthesizePlatform();
    edge = platform.template(platform.stacks.edge);
    controlPlane = platform.template(platform.stacks.controlPlane);
  });

  const distributionConfig = () => resourcesOf(edge, 'AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;
  const sessionBehavior = () => distributionConfig().CacheBehaviors.find((b: any) => b.PathPattern === `${SESSION_PATH_PREFIX}/*`);
  const distributionLogicalId = () => resourcesOf(edge, 'AWS::CloudFront::Distribution')[0]![0];
  const sessionFunctionLogicalId = () =>
    resourcesOf(controlPlane, 'AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === 'openclaw-session')![0];

  test('CloudFront sends /_session/* uncached to the function URL, all methods, every viewer header, cookie and query string but Host', () => {
    // GIVEN the synthesized edge stack WHEN the /_session/* behaviour is read
    const behavior = sessionBehavior();
    // THEN nothing is cached and the body, cookies and headers reach the function
    expect(behavior).toMatchObject({
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      ViewerProtocolPolicy: 'https-only',
    });
    // The SPA rewrite never touches it: the auth UI's viewer-request function is the default behaviour's only.
    expect(behavior.FunctionAssociations).toBeUndefined();
    // The session behaviour comes before anything that could match /_session (CloudFront takes the first match).
    expect(distributionConfig().CacheBehaviors.map((b: any) => b.PathPattern)).toContain('/_session/*');
  });

  test('the origin is the function URL, signed by an origin access control for Lambda (always, SigV4)', () => {
    const origin = distributionConfig().Origins.find((o: any) => o.Id === sessionBehavior().TargetOriginId);
    // The URL's host is derived from the FunctionUrl resource of this stack.
    expect(JSON.stringify(origin.DomainName)).toMatch(/EdgeSessionUrl/);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
    const [oacId, oac] = resourcesOf(edge, 'AWS::CloudFront::OriginAccessControl').find(
      ([, r]) => r.Properties.OriginAccessControlConfig.OriginAccessControlOriginType === 'lambda',
    )!;
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
  });

  test('the function URL takes IAM auth only, for the session function', () => {
    const urls = resourcesOf(edge, 'AWS::Lambda::Url');
    expect(urls).toHaveLength(1);
    expect(urls[0]![1].Properties.AuthType).toBe('AWS_IAM');
    expect(urls[0]![1].Properties.Cors).toBeUndefined();
    expect(JSON.stringify(urls[0]![1].Properties.TargetFunctionArn)).toContain(sessionFunctionLogicalId());
    // No function URL anywhere without auth.
    for (const stack of Object.values(platform.stacks)) {
      for (const [, url] of resourcesOf(platform.template(stack), 'AWS::Lambda::Url')) expect(url.Properties.AuthType).toBe('AWS_IAM');
    }
  });

  test('only this distribution may invoke it: InvokeFunctionUrl and InvokeFunction (via the URL), CloudFront as principal, this distribution as source', () => {
    const permissions = resourcesOf(edge, 'AWS::Lambda::Permission').map(([, p]) => p.Properties);
    const distributionArn = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionLogicalId() }],
      ],
    };
    expect(permissions).toHaveLength(2);
    expect(permissions.map((p) => p.Action).sort()).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']);
    for (const p of permissions) {
      expect(p).toMatchObject({ Principal: 'cloudfront.amazonaws.com', SourceArn: distributionArn });
      // The function behind the URL (its FunctionArn attribute), which the URL names as its target.
      expect(p.FunctionName).toEqual({ 'Fn::GetAtt': [resourcesOf(edge, 'AWS::Lambda::Url')[0]![0], 'FunctionArn'] });
    }
    expect(permissions.find((p) => p.Action === 'lambda:InvokeFunction')).toMatchObject({ InvokedViaFunctionUrl: true });
    // Nothing grants the session function to anyone else (no public or account-wide permission).
    const elsewhere = resourcesOf(controlPlane, 'AWS::Lambda::Permission').filter(([, p]) =>
      JSON.stringify(p.Properties.FunctionName).includes(sessionFunctionLogicalId()),
    );
    expect(elsewhere).toEqual([]);
  });

  test('the distribution with the session behaviour is the one the WAF web ACL protects', () => {
    expect(distributionConfig().WebACLId).toBeDefined();
    expect(resourcesOf(edge, 'AWS::CloudFront::Distribution')).toHaveLength(1);
  });

  test('the function gets the pool issuer, the app client, the rotation flag and the public origin, nothing else', () => {
    const fn = resourcesOf(controlPlane, 'AWS::Lambda::Function').find(([id]) => id === sessionFunctionLogicalId())![1];
    const variables = fn.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        FUNCTION_ENV.identityIssuer,
        FUNCTION_ENV.refreshTokenRotation,
        FUNCTION_ENV.userPoolClientId,
        FUNCTION_ENV.workspaceBaseUrl,
        'NODE_OPTIONS',
      ].sort(),
    );
    const poolId = resourcesOf(controlPlane, 'AWS::Cognito::UserPool')[0]![0];
    const clientId = resourcesOf(controlPlane, 'AWS::Cognito::UserPoolClient')[0]![0];
    expect(variables[FUNCTION_ENV.identityIssuer]).toEqual({
      'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', { Ref: poolId }]],
    });
    expect(variables[FUNCTION_ENV.userPoolClientId]).toEqual({ Ref: clientId });
    expect(variables[FUNCTION_ENV.refreshTokenRotation]).toBe('false');
    expect(variables[FUNCTION_ENV.workspaceBaseUrl]).toBe('https://ai.example.com');
    expect(fn.Properties.Timeout).toBe(10);
  });

  test('refresh token rotation in the config reaches the function', () => {
    const rotating = synthesizePlatform(configWith((raw) => (raw.signup.refreshTokenRotation = true)));
    const template = rotating.template(rotating.stacks.controlPlane);
    const fn = resourcesOf(template, 'AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === 'openclaw-session')![1];
    expect(fn.Properties.Environment.Variables[FUNCTION_ENV.refreshTokenRotation]).toBe('true');
  });

  test('least privilege: the role may write its logs and nothing else (Cognito app-client calls need no IAM)', () => {
    const fn = resourcesOf(controlPlane, 'AWS::Lambda::Function').find(([id]) => id === sessionFunctionLogicalId())![1];
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const role = resourcesOf(controlPlane, 'AWS::IAM::Role').find(([id]) => id === roleId)![1];
    expect(role.Properties.Policies).toBeUndefined();
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWSLambdaBasicExecutionRole');
    expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
    const attached = [platform.stacks.controlPlane, platform.stacks.edge, platform.stacks.audit].flatMap((stack) =>
      resourcesOf(platform.template(stack), 'AWS::IAM::Policy').filter(([, p]) =>
        JSON.stringify(p.Properties.Roles ?? []).includes(roleId),
      ),
    );
    expect(attached).toEqual([]);
  });
});
