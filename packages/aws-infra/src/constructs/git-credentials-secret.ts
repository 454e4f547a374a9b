import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { grantWithSid } from '../grants';
import { secretArnByName } from '../tenant-resource-names';

export interface GitCredentialsSecretProps {
  /** Secrets Manager name of the credential (`gitops.credentialsSecretName`). */
  readonly secretName: string;
}

/**
 * The credential the platform functions push to the GitOps repository with:
 * a secret the operator creates in Secrets Manager (never CDK, so the token
 * is in no template), known to the app by name only.
 */
export class GitCredentialsSecret extends Construct {
  readonly secretName: string;
  /** The secret's ARN: its name and the `-??????` suffix Secrets Manager appends. */
  readonly secretArn: string;

  constructor(scope: Construct, id: string, props: GitCredentialsSecretProps) {
    super(scope, id);
    this.secretName = props.secretName;
    this.secretArn = secretArnByName(Stack.of(this), props.secretName);
  }

  /** Lets `grantee` read the secret's value, and nothing else of it (not even `DescribeSecret`). */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return grantWithSid('ReadGitCredentials', { grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [this.secretArn] });
  }
}
