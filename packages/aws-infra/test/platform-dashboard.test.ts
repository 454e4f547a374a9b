import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PlatformDashboard, PlatformDashboardProps } from '../src/constructs/platform-dashboard';
import { resourcesOf, synthesizePlatform } from './support/platform';

interface Widget {
  readonly properties: { readonly title: string; readonly metrics: unknown[][]; readonly region: string };
}

function fixture(overrides: Partial<PlatformDashboardProps> = {}): { stack: Stack; widgets: () => Widget[] } {
  const stack = new Stack(new App(), 'openclaw-audit', { env: { account: '111111111111', region: 'eu-west-1' } });
  const fn = (name: string) =>
    lambda.Function.fromFunctionArn(stack, name, `arn:aws:lambda:eu-west-1:111111111111:function:openclaw-${name}`);
  const queue = (name: string) => sqs.Queue.fromQueueArn(stack, name, `arn:aws:sqs:eu-west-1:111111111111:${name}`);
  new PlatformDashboard(stack, 'Operations', {
    clusterName: 'openclaw',
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_Ex4mpleP0'),
    userPoolClient: cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', '4example1client2id3abcdefgh'),
    signUpFunction: fn('post-confirmation'),
    provisioningFunction: fn('provisioner'),
    functions: [fn('pre-signup'), fn('offboarder')],
    jobQueues: [queue('provisioning')],
    deadLetterQueues: [queue('provisioning-dlq'), queue('offboarding-dlq')],
    distribution: cloudfront.Distribution.fromDistributionAttributes(stack, 'Edge', {
      distributionId: 'E2EXAMPLE',
      domainName: 'd111.cloudfront.net',
    }),
    bedrockRegion: 'us-east-1',
    ...overrides,
  });
  return {
    stack,
    // The body is an Fn::Join whose only tokens are the region; with that filled in it is the dashboard JSON.
    widgets: () => {
      const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')) as Array<{
        Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } };
      }>;
      const parts = resource?.Properties.DashboardBody['Fn::Join'][1] ?? [];
      return (JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'eu-west-1')).join('')) as { widgets: Widget[] }).widgets;
    },
  };
}

const widget = (widgets: Widget[], title: RegExp): Widget => {
  const found = widgets.find((w) => title.test(w.properties.title));
  if (!found) throw new Error(`no widget titled ${title}: ${widgets.map((w) => w.properties.title).join(' | ')}`);
  return found;
};

describe('PlatformDashboard', () => {
  test('one dashboard named after the stack', () => {
    // GIVEN / WHEN
    const { stack } = fixture();
    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'openclaw-audit-operations' });
  });

  test('sign-ups of the pool and client, provisioning latency p50/p99 and queue age', () => {
    const widgets = fixture().widgets();
    expect(widget(widgets, /^Sign-ups/).properties.metrics[0]?.slice(0, 6)).toEqual([
      'AWS/Cognito',
      'SignUpSuccesses',
      'UserPool',
      'eu-west-1_Ex4mpleP0',
      'UserPoolClient',
      '4example1client2id3abcdefgh',
    ]);
    const latency = widget(widgets, /^Provisioning latency/).properties.metrics;
    expect(latency.map((m) => [m[1], m[3], (m[4] as { stat: string }).stat])).toEqual([
      ['Duration', 'openclaw-provisioner', 'p50'],
      ['Duration', 'openclaw-provisioner', 'p99'],
      ['ApproximateAgeOfOldestMessage', 'provisioning', 'Maximum'],
    ]);
  });

  test('every dead-letter queue and every function has its series', () => {
    const widgets = fixture().widgets();
    expect(widget(widgets, /^Dead-letter/).properties.metrics.map((m) => [m[1], m[3]])).toEqual([
      ['ApproximateNumberOfMessagesVisible', 'provisioning-dlq'],
      ['ApproximateNumberOfMessagesVisible', 'offboarding-dlq'],
    ]);
    expect(widget(widgets, /^Function errors/).properties.metrics.map((m) => [m[1], m[3]])).toEqual([
      ['Errors', 'openclaw-pre-signup'],
      ['Errors', 'openclaw-offboarder'],
    ]);
  });

  test('gateway restarts per pod and running pods per namespace of this cluster (Container Insights)', () => {
    const widgets = fixture().widgets();
    // Each schema names exactly the dimensions Container Insights publishes the metric with.
    expect(widget(widgets, /^Gateway restarts/).properties.metrics).toEqual([
      [
        {
          label: 'restarts',
          expression: `SEARCH('{ContainerInsights,ClusterName,Namespace,PodName} MetricName="pod_number_of_container_restarts" ClusterName="openclaw"', 'Maximum', 300)`,
        },
      ],
    ]);
    expect(widget(widgets, /^Running pods/).properties.metrics).toEqual([
      [
        {
          label: 'running pods',
          expression: `SEARCH('{ContainerInsights,ClusterName,Namespace} MetricName="namespace_number_of_running_pods" ClusterName="openclaw"', 'Average', 300)`,
        },
      ],
    ]);
  });

  test('top Bedrock consumers queried in the Bedrock region, edge error rates from us-east-1', () => {
    const widgets = fixture({ bedrockRegion: 'us-west-2', topConsumers: 5 }).widgets();
    expect(widget(widgets, /^Top 5 Bedrock consumers/).properties.metrics).toEqual([
      [
        {
          label: 'output tokens',
          expression: 'SELECT SUM(OutputTokenCount) FROM SCHEMA("AWS/Bedrock", ModelId) GROUP BY ModelId ORDER BY SUM() DESC LIMIT 5',
          region: 'us-west-2',
          period: 3600,
        },
      ],
    ]);
    expect(widget(widgets, /^Edge error rates/).properties.metrics).toEqual(
      ['4xxErrorRate', '5xxErrorRate'].map((name) => [
        'AWS/CloudFront',
        name,
        'DistributionId',
        'E2EXAMPLE',
        'Region',
        'Global',
        { label: name, region: 'us-east-1' },
      ]),
    );
  });

  test.each([
    [{ topConsumers: 0 }, /topConsumers must be a whole number from 1 to 500 \(a Metrics Insights LIMIT\), got 0/],
    [{ functions: [] }, /functions is empty/],
    [{ deadLetterQueues: [] }, /deadLetterQueues is empty/],
    [{ bedrockRegion: 'US East' }, /bedrockRegion must be a region name like us-east-1, got "US East"/],
    [{ clusterName: 'a" OR "b' }, /clusterName must be an EKS cluster name/],
  ])('fails if %o', (overrides, message) => {
    expect(() => fixture(overrides)).toThrow(message);
  });
});

describe('the operations dashboard of the platform', () => {
  test('is in the audit stack, named after the platform, and reads the control plane, the edge and the Bedrock region', () => {
    // GIVEN / WHEN the whole platform from the example config
    const platform = synthesizePlatform();
    const template = platform.template(platform.stacks.audit);
    // THEN
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'openclaw-operations' });
    const body = JSON.stringify(resourcesOf(template, 'AWS::CloudWatch::Dashboard')[0]?.[1].Properties.DashboardBody);
    // Cross-stack references: the distribution of the edge stack, the queues of the control plane.
    expect(body).toContain('openclaw-edge');
    expect(body).toContain('openclaw-control-plane');
    // The Bedrock consumers are queried in models.bedrockRegion of the example config.
    expect(body).toMatch(/ORDER BY SUM\(\) DESC LIMIT 10[^}]*region[^}]*us-east-1/);
  });
});
