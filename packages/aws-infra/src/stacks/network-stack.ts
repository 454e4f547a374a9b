import { Stack, StackProps } from 'aws-cdk-lib';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { PlatformVpc } from '../constructs/platform-vpc';
import { retentionFor } from '../log-retention';

export interface NetworkStackProps extends StackProps {
  readonly config: PlatformConfig;
}

/** Layer 3: the VPC, its flow logs and endpoints. */
export class NetworkStack extends Stack {
  readonly network: PlatformVpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;
    const wanted = config.network.availabilityZones;
    const zones = this.availabilityZones;
    if (zones.length < wanted) {
      throw new Error(
        `network.availabilityZones is ${wanted} but only ${zones.length} zones are known for ${this.region} (${zones.join(', ')}); ` +
          'lower it or refresh cdk.context.json with `cdk context --clear` and a synth with AWS credentials',
      );
    }
    this.network = new PlatformVpc(this, 'Network', {
      vpcCidr: config.network.vpcCidr,
      availabilityZones: zones.slice(0, wanted),
      flowLogRetention: retentionFor(config.observability.logRetentionDays),
    });
  }
}
