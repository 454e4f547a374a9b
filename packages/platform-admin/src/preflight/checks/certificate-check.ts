import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass, unreachable } from '../check-result';
import { CLOUDFRONT_CERTIFICATE_REGION, PreflightClients } from '../preflight-clients';

const ID = 'certificate';
const TITLE = 'ACM certificate for CloudFront (domain.certificateArn)';

/** True when one of the certificate's names (exact or a one-label wildcard) covers `host`. */
export function certificateCovers(names: readonly string[], host: string): boolean {
  return names.some((n) => n === host || (n.startsWith('*.') && host.endsWith(n.slice(1)) && !host.slice(0, -n.length + 1).includes('.')));
}

export async function checkCertificate(config: PlatformConfig, clients: Pick<PreflightClients, 'acm'>): Promise<CheckResult[]> {
  const arn = config.domain.certificateArn;
  const request = `https://${CLOUDFRONT_CERTIFICATE_REGION}.console.aws.amazon.com/acm/home?region=${CLOUDFRONT_CERTIFICATE_REGION}#/certificates/request`;
  let certificate;
  try {
    certificate = (await clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
  } catch (e) {
    if (awsErrorName(e) === 'ResourceNotFoundException') {
      return [
        fail(
          ID,
          TITLE,
          `${arn} does not exist in ${CLOUDFRONT_CERTIFICATE_REGION} for this account`,
          `request a public certificate for ${config.domain.name} in ${CLOUDFRONT_CERTIFICATE_REGION} (${request}), validate it by DNS, and set domain.certificateArn to its ARN`,
        ),
      ];
    }
    return [unreachable(ID, TITLE, 'acm:DescribeCertificate', e)];
  }
  const status = certificate?.Status ?? 'UNKNOWN';
  if (status !== 'ISSUED') {
    return [
      fail(
        ID,
        TITLE,
        `the certificate is ${status}, CloudFront needs ISSUED`,
        status === 'PENDING_VALIDATION'
          ? 'create the DNS validation records ACM shows for the certificate and wait until it is ISSUED'
          : `request a new certificate for ${config.domain.name} in ${CLOUDFRONT_CERTIFICATE_REGION} and set domain.certificateArn to it`,
      ),
    ];
  }
  const names = [certificate?.DomainName ?? '', ...(certificate?.SubjectAlternativeNames ?? [])].filter(Boolean);
  if (!certificateCovers(names, config.domain.name)) {
    return [
      fail(
        ID,
        TITLE,
        `the certificate covers ${names.join(', ')}, not ${config.domain.name}`,
        `request a certificate that names ${config.domain.name} (or *.${config.domain.name.split('.').slice(1).join('.')}) in ${CLOUDFRONT_CERTIFICATE_REGION}`,
      ),
    ];
  }
  const notAfter = certificate?.NotAfter;
  return [
    pass(
      ID,
      TITLE,
      `ISSUED in ${CLOUDFRONT_CERTIFICATE_REGION} for ${config.domain.name}${notAfter ? `, valid until ${notAfter.toISOString().slice(0, 10)}` : ''}`,
    ),
  ];
}
