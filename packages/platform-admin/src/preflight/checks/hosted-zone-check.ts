import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { PlatformConfig } from '@openclaw-tenancy/shared';
import { CheckResult, awsErrorName, fail, pass, unreachable, warn } from '../check-result';
import { PreflightClients } from '../preflight-clients';

const ID = 'hosted-zone';
const TITLE = 'Route 53 hosted zone (domain.hostedZoneId)';

export async function checkHostedZone(config: PlatformConfig, clients: Pick<PreflightClients, 'route53'>): Promise<CheckResult[]> {
  const { hostedZoneId, hostedZoneName, name } = config.domain;
  if (!hostedZoneId || !hostedZoneName) {
    return [
      warn(
        ID,
        TITLE,
        'no hosted zone configured: CDK will not create the DNS record',
        `after the edge stack is deployed, point ${name} at the DistributionDomainName output (CNAME) at your DNS provider, or set domain.hostedZoneId and domain.hostedZoneName`,
      ),
    ];
  }
  let zone;
  try {
    zone = await clients.route53.send(new GetHostedZoneCommand({ Id: hostedZoneId }));
  } catch (e) {
    if (awsErrorName(e) === 'NoSuchHostedZone') {
      return [
        fail(
          ID,
          TITLE,
          `hosted zone ${hostedZoneId} does not exist in this account`,
          `create a public hosted zone for ${hostedZoneName} (aws route53 create-hosted-zone --name ${hostedZoneName} --caller-reference <unique>) and set domain.hostedZoneId to its id`,
        ),
      ];
    }
    return [unreachable(ID, TITLE, 'route53:GetHostedZone', e)];
  }
  const zoneName = (zone.HostedZone?.Name ?? '').replace(/\.$/, '');
  if (zoneName !== hostedZoneName) {
    return [
      fail(
        ID,
        TITLE,
        `hosted zone ${hostedZoneId} is ${zoneName}, not ${hostedZoneName}`,
        `set domain.hostedZoneName to ${zoneName}, or domain.hostedZoneId to the zone of ${hostedZoneName}`,
      ),
    ];
  }
  if (zone.HostedZone?.Config?.PrivateZone) {
    return [
      fail(
        ID,
        TITLE,
        `hosted zone ${hostedZoneId} is private: browsers cannot resolve ${name} through it`,
        `use the public hosted zone of ${hostedZoneName}`,
      ),
    ];
  }
  return [pass(ID, TITLE, `public zone ${zoneName} (${hostedZoneId}) will hold ${name}`)];
}
