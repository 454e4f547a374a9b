/**
 * The whole platform as one function of the validated config, used by the
 * CDK entry point, the tests and the benchmark alike.
 */
import * as path from 'node:path';
import { App, Environment, Tags } from 'aws-cdk-lib';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { REPOSITORY_ROOT } from './config/platform-config-file';
import { FunctionEntries, lambdaPackageEntries } from './lambda-entries';
import { AlertsStack } from './stacks/alerts-stack';
import { AuditStack } from './stacks/audit-stack';
import { ClusterStack } from './stacks/cluster-stack';
import { ControlPlaneStack } from './stacks/control-plane-stack';
import { DataStack } from './stacks/data-stack';
import { EdgeStack } from './stacks/edge-stack';
import { NetworkStack } from './stacks/network-stack';
import { WafStack } from './stacks/waf-stack';

export interface PlatformOptions {
  /**
   * Handler source of each platform function.
   * @default - `packages/lambdas/src/handlers/<function>.ts`
   */
  readonly functionEntries?: FunctionEntries;
  /**
   * The built auth UI.
   * @default - `packages/auth-ui/dist`
   */
  readonly authUiDirectory?: string;
}

export interface PlatformStacks {
  readonly waf: WafStack;
  readonly network: NetworkStack;
  readonly alerts: AlertsStack;
  readonly cluster: ClusterStack;
  readonly data: DataStack;
  readonly controlPlane: ControlPlaneStack;
  readonly edge: EdgeStack;
  readonly audit: AuditStack;
}

/** Default location of the auth UI build output. */
export const AUTH_UI_DIST = path.join(REPOSITORY_ROOT, 'packages', 'auth-ui', 'dist');

/** Adds every stack of the platform to `app`. Stack names are `<platformName>-<layer>`. */
export function createPlatform(app: App, config: PlatformConfig, options: PlatformOptions = {}): PlatformStacks {
  const env: Environment = { account: config.aws.account, region: config.aws.region };
  const name = (layer: string) => `${config.platformName}-${layer}`;
  Tags.of(app).add('platform', config.platformName);

  const waf = new WafStack(app, 'Waf', { stackName: name('waf'), env: { account: config.aws.account, region: 'us-east-1' }, config });
  const network = new NetworkStack(app, 'Network', { stackName: name('network'), env, config });
  const alerts = new AlertsStack(app, 'Alerts', { stackName: name('alerts'), env, config });
  const cluster = new ClusterStack(app, 'Cluster', {
    stackName: name('cluster'),
    env,
    config,
    network: network.network,
    alertsTopic: alerts.alerts.topic,
  });
  const data = new DataStack(app, 'Data', { stackName: name('data'), env, config, network: network.network, cluster: cluster.platformCluster.cluster, efsMountRole: cluster.addons.efsCsiNodeRole });
  const controlPlane = new ControlPlaneStack(app, 'ControlPlane', {
    stackName: name('control-plane'),
    env,
    config,
    alertsTopic: alerts.alerts.topic,
    tenantRole: cluster.tenantRole.role,
    functionEntries: options.functionEntries ?? lambdaPackageEntries(),
  });
  const edge = new EdgeStack(app, 'Edge', {
    stackName: name('edge'),
    env,
    config,
    network: network.network,
    cluster: cluster.platformCluster.cluster,
    bindingPrerequisites: [cluster.helmReleases.charts.awsLoadBalancerController, cluster.helmReleases.charts.envoyGateway],
    webAclArn: waf.webAcl.webAclArn,
    userPool: controlPlane.userPool.userPool,
    userPoolClient: controlPlane.userPool.client,
    authUiDirectory: options.authUiDirectory ?? AUTH_UI_DIST,
  });
  const audit = new AuditStack(app, 'Audit', { stackName: name('audit'), env, config });
  return { waf, network, alerts, cluster, data, controlPlane, edge, audit };
}
