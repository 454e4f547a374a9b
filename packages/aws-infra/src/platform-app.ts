/**
 * The whole platform as one function of the validated config, used by the
 * CDK entry point, the tests and the benchmark alike.
 */
import { App, Aspects, Environment, Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PlatformConfig, PlatformStackLayer, platformStackName, platformStackRegion } from '@openclaw-tenancy/shared';
import { AUTH_UI_DIST } from '@openclaw-tenancy/tenant-manifests';
import { KeyDestructionGuard, breakGlassRoleArn } from './constructs/key-destruction-guard';
import { PlatformDashboard } from './constructs/platform-dashboard';
import { TenantOutputLogs } from './constructs/tenant-output-logs';
import { FunctionEntries, handlerEntries } from '@openclaw-tenancy/lambdas';
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

/** Adds every stack of the platform to `app`. Stack names are `<platformName>-<layer>`. */
export function createPlatform(app: App, config: PlatformConfig, options: PlatformOptions = {}): PlatformStacks {
  const env: Environment = { account: config.aws.account, region: config.aws.region };
  const name = (layer: PlatformStackLayer) => platformStackName(config.platformName, layer);
  Tags.of(app).add('platform', config.platformName);

  const waf = new WafStack(app, 'Waf', {
    stackName: name('waf'),
    env: { account: config.aws.account, region: platformStackRegion('waf', config.aws.region) },
    config,
  });
  const network = new NetworkStack(app, 'Network', { stackName: name('network'), env, config });
  const alerts = new AlertsStack(app, 'Alerts', { stackName: name('alerts'), env, config });
  const cluster = new ClusterStack(app, 'Cluster', {
    stackName: name('cluster'),
    env,
    config,
    network: network.network,
    alertsTopic: alerts.alerts.topic,
  });
  // Tenant container output (prompts included) is tenant data: only the break-glass role can decrypt it (ADR 0110).
  const tenantOutputLogs = new TenantOutputLogs(cluster, 'TenantOutputLogs', {
    logGroup: cluster.addons.containerLogGroups.application,
    breakGlassRoleArn: breakGlassRoleArn(config),
    writers: [cluster.addons.cloudWatchAgentRole],
  });
  const data = new DataStack(app, 'Data', {
    stackName: name('data'),
    env,
    config,
    network: network.network,
    cluster: cluster.platformCluster.cluster,
    efsMountRole: cluster.addons.efsCsiNodeRole,
  });
  const controlPlane = new ControlPlaneStack(app, 'ControlPlane', {
    stackName: name('control-plane'),
    env,
    config,
    alertsTopic: alerts.alerts.topic,
    tenantRole: cluster.tenantRole.role,
    tenantOutputLogs,
    functionEntries: options.functionEntries ?? handlerEntries(),
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
    sessionFunction: controlPlane.functions.session.function,
    authUiDirectory: options.authUiDirectory ?? AUTH_UI_DIST,
  });
  const functionOf = (fn: keyof typeof controlPlane.functions) => controlPlane.functions[fn].function;
  const audit = new AuditStack(app, 'Audit', {
    stackName: name('audit'),
    env,
    config,
    alertsTopic: alerts.alerts.topic,
    dataEvents: {
      // The kubectl provider holds standing cluster-admin; the platform functions hold the tenant lifecycle.
      functionArns: [...kubectlProviderFunctions(cluster), ...Object.values(controlPlane.functions).map((f) => f.function)].map(
        (f) => f.functionArn,
      ),
      queueArns: [controlPlane.provisioningQueue, controlPlane.offboardingQueue].flatMap((q) => [
        q.queue.queueArn,
        q.deadLetterQueue.queueArn,
      ]),
      tableArns: [controlPlane.tables.tenantTable.tableArn],
    },
    platformFunctionRoleArns: [functionOf('provisioner'), functionOf('offboarder')].map((f) => f.role!.roleArn),
  });
  // Day-2 operations at a glance; in the audit stack, which already reads the control plane and which nothing depends on.
  new PlatformDashboard(audit, 'OperationsDashboard', {
    dashboardName: `${config.platformName}-operations`,
    clusterName: config.cluster.name,
    userPool: controlPlane.userPool.userPool,
    userPoolClient: controlPlane.userPool.client,
    signUpFunction: functionOf('post-confirmation'),
    provisioningFunction: functionOf('provisioner'),
    functions: Object.values(controlPlane.functions).map((f) => f.function),
    jobQueues: [controlPlane.provisioningQueue.queue, controlPlane.offboardingQueue.queue],
    deadLetterQueues: [controlPlane.provisioningQueue.deadLetterQueue, controlPlane.offboardingQueue.deadLetterQueue],
    distribution: edge.edge.distribution,
    bedrockRegion: config.models.bedrockRegion,
  });
  // Deleting, disabling or re-policing any key of the platform takes the break-glass role (ADR 0112).
  Aspects.of(app).add(new KeyDestructionGuard(breakGlassRoleArn(config)));
  return { waf, network, alerts, cluster, data, controlPlane, edge, audit };
}

/** The Lambda functions of the cluster's kubectl provider (handler and custom-resource framework), which act with cluster-admin. */
function kubectlProviderFunctions(cluster: ClusterStack): lambda.Function[] {
  const found = cluster.platformCluster.cluster.node
    .findAll()
    .filter((c): c is lambda.Function => c instanceof lambda.Function && c.node.path.includes('KubectlProvider'));
  if (found.length === 0) throw new Error('no kubectl provider function found in the cluster; its invocations must be audited');
  return found;
}
