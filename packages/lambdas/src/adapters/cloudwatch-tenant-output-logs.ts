import { CloudWatchLogsClient, DeleteLogStreamCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { TenantOutputLogs } from '../ports/tenant-output-logs';
import { awsErrorName } from './aws-error-name';

/** A Kubernetes namespace name (RFC 1123 label); it never contains "_", which delimits it in a stream name. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Tenant output in the Container Insights `application` log group. Fluent Bit
 * names each stream after the container's log file,
 * `<node>-application.var.log.containers.<pod>_<namespace>_<container>-<id>.log`,
 * so a namespace's streams are those containing `_<namespace>_` (pod and
 * namespace names never contain "_"). Stream names start with the node name,
 * so the whole group is listed; a stream is deleted with all its events.
 */
export class CloudWatchTenantOutputLogs implements TenantOutputLogs {
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly logGroupName: string,
  ) {}

  async eraseNamespace(namespace: string): Promise<{ readonly deleted: number }> {
    if (!NAMESPACE.test(namespace))
      throw new Error(`"${namespace}" is not a Kubernetes namespace name; refusing to match log streams with it`);
    const marker = `_${namespace}_`;
    // The whole listing first: deleting while paging would move the next page's start.
    const doomed: string[] = [];
    let nextToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(new DescribeLogStreamsCommand({ logGroupName: this.logGroupName, nextToken }));
      } catch (e) {
        // No container has written yet (or the add-on is off): nothing of the tenant's exists.
        if (awsErrorName(e) === 'ResourceNotFoundException') return { deleted: 0 };
        throw e;
      }
      for (const stream of page.logStreams ?? []) if (stream.logStreamName?.includes(marker)) doomed.push(stream.logStreamName);
      nextToken = page.nextToken;
    } while (nextToken);
    let deleted = 0;
    for (const logStreamName of doomed) {
      try {
        await this.client.send(new DeleteLogStreamCommand({ logGroupName: this.logGroupName, logStreamName }));
        deleted += 1;
      } catch (e) {
        // Deleted concurrently (a retried job): the outcome is the same.
        if (awsErrorName(e) !== 'ResourceNotFoundException') throw e;
      }
    }
    return { deleted };
  }
}
