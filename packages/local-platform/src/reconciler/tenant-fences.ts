/**
 * The two fences the cluster puts between a tenant folder and everything
 * else, applied by the local reconciler before it runs anything: Argo CD's
 * AppProject rules (the folder's own project, stamped from the platform's
 * template) and the API server's ValidatingAdmissionPolicies, evaluated from
 * their CEL. Both come from the platform config the local platform runs with,
 * never from the GitOps remote the provisioner writes.
 */
import { PlatformConfig, tenantNames } from '@openclaw-tenancy/shared';
import {
  AdmissionEvaluator,
  argoApplyRequests,
  parseManifestText,
  synthesizeAdmissionObjects,
  synthesizePlatformObjects,
  tenantAdmissionPolicies,
  tenantAdmissionSettings,
  tenantApplicationRefusals,
  tenantArgoView,
  tenantProjectTemplateFiles,
} from '@openclaw-tenancy/tenant-manifests';

type Json = Record<string, unknown>;

/** Thrown when a fence refuses a tenant folder; `refusals` name the rule of each. */
export class TenantFolderRefusedError extends Error {
  constructor(public readonly refusals: readonly string[]) {
    super(`refused (nothing of it runs): ${refusals.join('; ')}`);
    this.name = 'TenantFolderRefusedError';
  }
}

export class TenantFences {
  private readonly platformObjects: Json[];
  private readonly templateObjects: Json[];
  private readonly admission: AdmissionEvaluator;

  constructor(config: PlatformConfig) {
    this.platformObjects = [...synthesizePlatformObjects(config), ...synthesizeAdmissionObjects(config)] as unknown as Json[];
    this.templateObjects = [tenantProjectTemplateFiles(config.gitops.repoUrl).template] as unknown as Json[];
    this.admission = new AdmissionEvaluator(tenantAdmissionPolicies(tenantAdmissionSettings(config)));
  }

  /** Every refusal for the folder `deploy/tenants/<tenantId>/` holding `manifestsYaml`; empty when both fences admit it. */
  refusals(tenantId: string, manifestsYaml: string): string[] {
    const objects = parseManifestText(manifestsYaml) as unknown as Json[];
    const view = tenantArgoView(this.platformObjects, this.templateObjects, tenantId);
    if (!view) return [`Argo CD: no Application is generated for the folder "${tenantId}" (a reserved name)`];
    const refusals = tenantApplicationRefusals(view, objects).map(
      (r) => `Argo CD project ${tenantNames(tenantId).argoProject}: ${r.reason}`,
    );
    const names = tenantNames(tenantId);
    for (const request of argoApplyRequests(objects, { application: names.argoApplication, destinationNamespace: names.namespace })) {
      const meta = request.object.metadata as Json;
      for (const d of this.admission.admit(request))
        refusals.push(`admission ${d.policy} on ${String(request.object.kind)} ${String(meta.name)}: ${d.message}`);
    }
    return refusals;
  }

  /** Throws {@link TenantFolderRefusedError} unless both fences admit the folder. */
  assertAdmitted(tenantId: string, manifestsYaml: string): void {
    const refusals = this.refusals(tenantId, manifestsYaml);
    if (refusals.length > 0) throw new TenantFolderRefusedError(refusals);
  }
}
