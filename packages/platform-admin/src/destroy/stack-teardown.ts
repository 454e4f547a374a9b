/**
 * The platform's CloudFormation stacks as `destroy` needs them: whether each
 * exists, what its template keeps when the stack goes (`DeletionPolicy:
 * Retain`), deleting it and waiting for the deletion.
 */
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';

/** A resource the stack's template keeps when the stack is deleted. */
export interface RetainedResource {
  readonly stack: string;
  readonly type: string;
  readonly logicalId: string;
  /** Its name or id in the account; absent when the stack never created it. */
  readonly physicalId?: string;
}

export interface StackView {
  readonly name: string;
  readonly region: string;
  /** CloudFormation's stack status, e.g. `UPDATE_COMPLETE`. */
  readonly status: string;
  readonly retained: readonly RetainedResource[];
}

export type StackDeletion = { readonly done: false; readonly status: string } | { readonly done: true; readonly failure?: string };

export interface StackTeardown {
  /** The stack, or undefined when it does not exist (never created, or deleted). */
  describe(name: string, region: string): Promise<StackView | undefined>;
  /** Starts the deletion (`DeleteStack`). */
  delete(name: string, region: string): Promise<void>;
  /** Where the deletion is: done (gone), done with the reason it failed, or still going. */
  deletion(name: string, region: string): Promise<StackDeletion>;
}

const RETAINING_POLICIES = new Set(['Retain', 'RetainExceptOnCreate']);

function doesNotExist(e: unknown): boolean {
  return (e as { name?: string } | null)?.name === 'ValidationError' && /does not exist/.test((e as Error).message);
}

export class AwsStackTeardown implements StackTeardown {
  private readonly clients = new Map<string, CloudFormationClient>();

  private client(region: string): CloudFormationClient {
    let client = this.clients.get(region);
    if (!client) {
      client = new CloudFormationClient({ region });
      this.clients.set(region, client);
    }
    return client;
  }

  async describe(name: string, region: string): Promise<StackView | undefined> {
    const cfn = this.client(region);
    let status: string;
    try {
      const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
      status = out.Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
    } catch (e) {
      if (doesNotExist(e)) return undefined;
      throw e;
    }
    if (status === 'DELETE_COMPLETE') return undefined;
    const template = await cfn.send(new GetTemplateCommand({ StackName: name, TemplateStage: 'Processed' }));
    const resources = (
      JSON.parse(template.TemplateBody ?? '{}') as { Resources?: Record<string, { Type?: string; DeletionPolicy?: string }> }
    ).Resources;
    const physical = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await cfn.send(new ListStackResourcesCommand({ StackName: name, ...(token ? { NextToken: token } : {}) }));
      for (const r of page.StackResourceSummaries ?? ([] as StackResourceSummary[]))
        if (r.LogicalResourceId && r.PhysicalResourceId) physical.set(r.LogicalResourceId, r.PhysicalResourceId);
      token = page.NextToken;
    } while (token);
    const retained = Object.entries(resources ?? {})
      .filter(([, r]) => RETAINING_POLICIES.has(r.DeletionPolicy ?? ''))
      .map(([logicalId, r]) => {
        const physicalId = physical.get(logicalId);
        return { stack: name, type: r.Type ?? '?', logicalId, ...(physicalId ? { physicalId } : {}) };
      });
    return { name, region, status, retained };
  }

  async delete(name: string, region: string): Promise<void> {
    await this.client(region).send(new DeleteStackCommand({ StackName: name }));
  }

  async deletion(name: string, region: string): Promise<StackDeletion> {
    try {
      const stack = (await this.client(region).send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
      const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
      if (status === 'DELETE_COMPLETE') return { done: true };
      if (status === 'DELETE_FAILED') return { done: true, failure: stack?.StackStatusReason ?? 'DELETE_FAILED' };
      return { done: false, status };
    } catch (e) {
      if (doesNotExist(e)) return { done: true };
      throw e;
    }
  }
}
