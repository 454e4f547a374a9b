/**
 * Verifies AWS Signature Version 4 on requests to the local secrets store:
 * the signature is recomputed with the caller's secret key by the same
 * `@smithy/signature-v4` the AWS SDK signs with, over exactly the headers the
 * caller listed as signed, and compared in constant time. Without this, any
 * process that can reach the store could claim to be any tenant.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { SecretsManagerError } from './secrets-manager-error';
import type { AccessKey } from './secrets-store-file';

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
/** AWS refuses requests signed more than 15 minutes from its clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface SignatureExpectations {
  readonly service: string;
  readonly region: string;
  readonly lookupKey: (accessKeyId: string) => AccessKey | undefined;
  readonly now: Date;
}

function parseAmzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))) : undefined;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Returns the caller's access key when the request is signed by it; throws the error AWS would answer otherwise. */
export async function verifySigV4(request: SignedRequest, expect: SignatureExpectations): Promise<AccessKey> {
  const m = AUTHORIZATION.exec(headerValue(request.headers, 'authorization') ?? '');
  if (!m)
    throw new SecretsManagerError('IncompleteSignature', 'Authorization header requires a SigV4 Credential, SignedHeaders and Signature.');
  const [, accessKeyId, day, region, service, signedHeaderList, signature] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const key = expect.lookupKey(accessKeyId);
  if (!key) throw new SecretsManagerError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (service !== expect.service || region !== expect.region) {
    throw new SecretsManagerError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region (${expect.region}) and service (${expect.service}).`,
    );
  }
  const signingDate = parseAmzDate(headerValue(request.headers, 'x-amz-date'));
  if (!signingDate || signingDate.toISOString().slice(0, 10).replace(/-/g, '') !== day) {
    throw new SecretsManagerError('IncompleteSignature', 'X-Amz-Date must be set and match the credential scope date.');
  }
  if (Math.abs(expect.now.getTime() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new SecretsManagerError(
      'InvalidSignatureException',
      'Signature expired: the request time is more than 15 minutes from the server time.',
    );
  }
  const signedNames = signedHeaderList.split(';');
  // The target names the action and the body its input: both must be covered by the signature, or a captured
  // request could be replayed as another action or with another body within the skew window.
  for (const required of ['host', 'x-amz-target']) {
    if (!signedNames.includes(required)) throw new SecretsManagerError('IncompleteSignature', `The ${required} header must be signed.`);
  }
  const declaredPayloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (declaredPayloadHash !== undefined && declaredPayloadHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw new SecretsManagerError('InvalidSignatureException', 'x-amz-content-sha256 does not match the request body.');
  }
  const headers: Record<string, string> = {};
  for (const name of signedNames) headers[name] = headerValue(request.headers, name) ?? '';

  const url = new URL(request.path, 'http://local');
  const signer = new SignatureV4({
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    region,
    service,
    sha256: Sha256,
    uriEscapePath: true,
    // Sign exactly the caller's header list: the SDK adds x-amz-content-sha256 only when it signed it.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: request.body,
    },
    { signingDate, signingRegion: region, signingService: service },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.[1] ?? '';
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw new SecretsManagerError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return key;
}
