import * as path from 'node:path';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import { OPENCLAW_VERSION } from '@openclaw-tenancy/openclaw-runtime';
import { GATEWAY_COMPILE_CACHE_DIR } from '@openclaw-tenancy/tenant-manifests';
import { Construct } from 'constructs';
import { BEDROCK_PROVIDER_PLUGIN } from '../versions';

/** The image definition: official OpenClaw image of the pinned release + the Bedrock provider plugin. */
export const TENANT_IMAGE_DIRECTORY = path.join(__dirname, '..', '..', 'images', 'openclaw-tenant');

/** Build arguments of the tenant image, each from where the repository pins it. */
export const TENANT_IMAGE_BUILD_ARGS: Readonly<Record<string, string>> = {
  OPENCLAW_VERSION,
  GATEWAY_COMPILE_CACHE_DIR,
  BEDROCK_PROVIDER_PACKAGE: BEDROCK_PROVIDER_PLUGIN.package,
  BEDROCK_PROVIDER_VERSION: BEDROCK_PROVIDER_PLUGIN.version,
};

export interface TenantImageProps {
  /**
   * Directory holding the Dockerfile.
   * @default TENANT_IMAGE_DIRECTORY
   */
  readonly directory?: string;
}

/**
 * The tenant gateway image as a CDK image asset: `cdk deploy` builds it for
 * linux/arm64 (all node groups are Graviton) and pushes it to the CDK asset
 * repository in ECR, whose tags are immutable; the tag is the hash of the
 * definition and its build arguments, so a change to either is a new image.
 * The nodes pull it with their ECR read-only policy.
 */
export class TenantImage extends Construct {
  readonly asset: ecrAssets.DockerImageAsset;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<asset hash>` */
  readonly imageUri: string;

  constructor(scope: Construct, id: string, props: TenantImageProps = {}) {
    super(scope, id);
    this.asset = new ecrAssets.DockerImageAsset(this, 'Image', {
      directory: props.directory ?? TENANT_IMAGE_DIRECTORY,
      platform: ecrAssets.Platform.LINUX_ARM64,
      buildArgs: { ...TENANT_IMAGE_BUILD_ARGS },
      displayName: 'OpenClaw tenant gateway',
    });
    this.imageUri = this.asset.imageUri;
  }
}
