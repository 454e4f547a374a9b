/**
 * EKS Pod Identity associations, recorded in a JSON file. The local runtime
 * gives each tenant pod its own secrets-store access key instead of role
 * credentials, so the record is what the provisioner and offboarder asked for
 * (inspectable, and idempotent like the real API), not a live binding.
 */
import * as fs from 'node:fs';
import type { PodIdentityAssociations, PodIdentityTarget } from '@openclaw-tenancy/lambdas';

interface Association extends PodIdentityTarget {
  readonly associationId: string;
  readonly roleArn: string;
  readonly createdAt: string;
}

export class LocalPodIdentityAssociations implements PodIdentityAssociations {
  constructor(private readonly file: string) {}

  async ensure(target: PodIdentityTarget, roleArn: string): Promise<'created' | 'existed'> {
    const all = this.read();
    if (all.some((a) => sameTarget(a, target))) return 'existed';
    all.push({ ...target, roleArn, associationId: `a-${target.namespace}`, createdAt: new Date().toISOString() });
    this.write(all);
    return 'created';
  }

  async remove(target: PodIdentityTarget): Promise<'deleted' | 'absent'> {
    const all = this.read();
    const kept = all.filter((a) => !sameTarget(a, target));
    if (kept.length === all.length) return 'absent';
    this.write(kept);
    return 'deleted';
  }

  private read(): Association[] {
    return fs.existsSync(this.file) ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as Association[]) : [];
  }

  private write(all: Association[]): void {
    fs.writeFileSync(this.file, `${JSON.stringify(all, null, 2)}\n`);
  }
}

function sameTarget(a: PodIdentityTarget, b: PodIdentityTarget): boolean {
  return a.clusterName === b.clusterName && a.namespace === b.namespace && a.serviceAccount === b.serviceAccount;
}
