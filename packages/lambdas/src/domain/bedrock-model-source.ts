/**
 * Values the provisioner derives for a tenant's application inference
 * profiles. What a profile is copied from (`modelSourceArn`) lives in
 * packages/shared, next to the IAM grants derived from the same catalog.
 */
import { createHash } from 'node:crypto';

/** The AWS partition a region belongs to. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * `clientRequestToken` of a tenant's profile for one alias: the same on every
 * retry (a retried create returns the profile the first attempt made), different
 * for every tenant and alias. Hex, so it matches Bedrock's token pattern.
 */
export function inferenceProfileRequestToken(tenantId: string, alias: string): string {
  return createHash('sha256').update(`openclaw-inference-profile\u0000${tenantId}\u0000${alias}`).digest('hex');
}

/** The region of a Bedrock ARN (`arn:aws:bedrock:<region>:…`). */
export function regionOfArn(arn: string): string {
  const region = arn.split(':')[3];
  if (!region) throw new Error(`not a regional ARN: ${arn}`);
  return region;
}

/** The profile id: the last segment of an application inference profile ARN. */
export function profileIdOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
