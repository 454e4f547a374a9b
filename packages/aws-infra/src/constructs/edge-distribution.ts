import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SESSION_PATH_PREFIX, authUiContentSecurityPolicy } from '@openclaw-tenancy/shared';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance';
import { SPA_REWRITE_FUNCTION_CODE, TENANT_PATH_PATTERN } from '../spa-rewrite';
import { EDGE_LISTENER_PORT } from './internal-edge-load-balancer';

export interface EdgeDistributionProps {
  /** Public host name (`domain.name`). */
  readonly domainName: string;
  /** ACM certificate in us-east-1 covering `domainName`. */
  readonly certificateArn: string;
  /** ARN of the CLOUDFRONT-scoped WAF web ACL. */
  readonly webAclArn: string;
  /** The internal load balancer tenant traffic goes to. */
  readonly tenantLoadBalancer: elbv2.IApplicationLoadBalancer;
  /** Standard logs go here, under `cloudfront/` (the bucket must allow ACLs). */
  readonly logBucket: s3.IBucket;
  /**
   * Route 53 zone receiving A/AAAA alias records for `domainName`.
   * @default - no DNS records (point your DNS at the distribution yourself)
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * Origin of the Cognito JSON API the auth UI calls (sign-up, confirmation,
   * password reset), e.g. `cognitoApiOrigin(region)` from shared: the only
   * origin besides the site itself its Content-Security-Policy lets it connect to.
   */
  readonly cognitoOrigin: string;
  /**
   * The session endpoint (`/_session/*`): a function given an IAM-authorized
   * function URL that only this distribution may invoke (origin access control).
   */
  readonly sessionFunction: lambda.IFunction;
  /**
   * How long CloudFront waits for a tenant gateway's response. 120 s is the
   * highest value the default CloudFront quota accepts; more needs a quota increase.
   * @default Duration.seconds(120)
   */
  readonly tenantReadTimeout?: Duration;
}

/**
 * The single public entry point: one CloudFront distribution with TLS 1.2+
 * on the platform domain and the WAF web ACL. The default behaviour serves
 * the auth UI from a private bucket (origin access control); `/_session/*`
 * goes uncached to the session function's URL (origin access control, SigV4);
 * `/t/*` goes to
 * the internal load balancer through a VPC origin, uncached, with every
 * viewer header, cookie and query string (the edge verifies the session
 * cookie; WebSocket upgrades pass through).
 */
export class EdgeDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly siteBucket: s3.Bucket;
  readonly vpcOrigin: cloudfront.VpcOrigin;
  /** The session function's URL (IAM auth: only CloudFront's signed requests reach it). */
  readonly sessionUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const readTimeout = props.tenantReadTimeout ?? Duration.seconds(120);
    // Throws, naming the value, unless it is scheme://host[:port].
    const contentSecurityPolicy = authUiContentSecurityPolicy(props.cognitoOrigin);
    if (readTimeout.toSeconds() < 1 || readTimeout.toSeconds() > 180) {
      throw new Error(
        `tenantReadTimeout must be 1-180 seconds (CloudFront's maximum with a quota increase), got ${readTimeout.toSeconds()}`,
      );
    }

    this.siteBucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE_FUNCTION_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Serves index.html for client-side routes; legal pages and /t/* pass through',
    });

    this.vpcOrigin = new cloudfront.VpcOrigin(this, 'TenantVpcOrigin', {
      endpoint: cloudfront.VpcOriginEndpoint.applicationLoadBalancer(props.tenantLoadBalancer),
      // Plain HTTP inside the VPC: TLS ends at CloudFront, and the hop is private (see ADR 0101).
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      httpPort: EDGE_LISTENER_PORT,
    });

    const strictTransportSecurity = { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true };
    // The same headers the local edge sends with the auth UI (one definition in shared; the tests compare them).
    const authUiHeaders = new cloudfront.ResponseHeadersPolicy(this, 'AuthUiHeaders', {
      comment: 'Auth UI: the shared Content-Security-Policy and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity,
      },
    });
    // Workspaces: OpenClaw's own headers win where it sets them; these fill the gaps.
    const workspaceHeaders = new cloudfront.ResponseHeadersPolicy(this, 'WorkspaceHeaders', {
      comment: 'Tenant workspaces (/t/*): security headers where the gateway sets none',
      securityHeadersBehavior: {
        contentTypeOptions: { override: false },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.SAMEORIGIN, override: false },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: false },
        strictTransportSecurity,
      },
    });

    // AWS_IAM: the URL answers only requests CloudFront signed for this distribution (the origin's
    // permissions name its ARN); an unsigned request straight to the URL is refused by Lambda.
    this.sessionUrl = new lambda.FunctionUrl(this, 'SessionUrl', {
      function: props.sessionFunction,
      authType: lambda.FunctionUrlAuthType.AWS_IAM,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `OpenClaw platform ${props.domainName}`,
      domainNames: [props.domainName],
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      sslSupportMethod: cloudfront.SSLMethod.SNI,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: authUiHeaders,
        functionAssociations: [{ function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [TENANT_PATH_PATTERN]: {
          origin: origins.VpcOrigin.withVpcOrigin(this.vpcOrigin, {
            domainName: props.tenantLoadBalancer.loadBalancerDnsName,
            readTimeout,
            keepaliveTimeout: Duration.seconds(60),
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER,
          responseHeadersPolicy: workspaceHeaders,
          compress: true,
        },
        // Never cached (every answer sets or expires cookies); the viewer's cookies, headers and body
        // reach the function, except Host, which must be the URL's own for the signature to hold.
        [`${SESSION_PATH_PREFIX}/*`]: {
          origin: origins.FunctionUrlOrigin.withOriginAccessControl(this.sessionUrl),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: authUiHeaders,
          compress: false,
        },
      },
    });

    if (props.hostedZone) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'AliasIpv4', { zone: props.hostedZone, recordName: props.domainName, target });
      new route53.AaaaRecord(this, 'AliasIpv6', { zone: props.hostedZone, recordName: props.domainName, target });
    }

    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Employees sign in from wherever they travel; access is limited by the e-mail domain allowlist and Cognito, not by geography.',
    );
  }
}
