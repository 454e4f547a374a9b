/**
 * Evaluates ValidatingAdmissionPolicies the way the API server does, with a
 * CEL engine (`@marcbachmann/cel-js`) running the exact expressions of the
 * synthesized policies: resource rules and namespace selectors of the
 * bindings choose the policies, match conditions filter, variables are
 * evaluated on demand, and every failed validation denies with its message.
 * An expression that errors denies too (`failurePolicy: Fail`).
 *
 * Kubernetes hands CEL integers as int64, so JSON integers become BigInts
 * here; values are otherwise passed as the API server would see them.
 */
import type * as CelJs from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import { groupOf, isClusterScoped } from '../argocd/application-set-model';
import {
  TenantAdmissionPolicySet,
  ValidatingAdmissionPolicyBindingObject,
  ValidatingAdmissionPolicyObject,
} from './tenant-admission-policies';

type Json = Record<string, unknown>;

// The engine ships as an ES module only; Node >= 20.19 loads it with require(), which keeps this package CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Environment } = require('@marcbachmann/cel-js') as typeof CelJs;

export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly object: Json;
  /** The namespace the object lands in, as stored (labels included); undefined for cluster-scoped objects. */
  readonly namespaceObject?: Json;
  readonly username: string;
}

export interface AdmissionDenial {
  readonly policy: string;
  readonly message: string;
}

const PLURAL_EXCEPTIONS: Readonly<Record<string, string>> = { Endpoints: 'endpoints' };

/** The REST resource of a kind (`SecurityPolicy` → `securitypolicies`), as discovery would report it. */
export function resourceOfKind(kind: string): string {
  const exception = PLURAL_EXCEPTIONS[kind];
  if (exception) return exception;
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCelValue(v)]));
  return value;
}

function matchesList(patterns: readonly string[], value: string): boolean {
  return patterns.includes('*') || patterns.includes(value);
}

type Selector = NonNullable<NonNullable<ValidatingAdmissionPolicyBindingObject['spec']['matchResources']>['namespaceSelector']>;

function selectorMatches(selector: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  return selector.matchExpressions.every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'In':
        return has && (e.values ?? []).includes(labels[e.key] as string);
      case 'NotIn':
        return !has || !(e.values ?? []).includes(labels[e.key] as string);
      default:
        throw new Error(`unsupported selector operator ${e.operator}`);
    }
  });
}

export class AdmissionEvaluator {
  private readonly env = new Environment({ unlistedVariablesAreDyn: true });

  constructor(private readonly set: TenantAdmissionPolicySet) {
    for (const b of set.bindings) {
      if (!set.policies.some((p) => p.metadata.name === b.spec.policyName))
        throw new Error(`binding ${b.metadata.name} names no policy "${b.spec.policyName}"`);
    }
  }

  /** Every denial the policies give `request`; empty means admitted. */
  admit(request: AdmissionRequest): AdmissionDenial[] {
    const apiVersion = String(request.object.apiVersion ?? '');
    const kind = String(request.object.kind ?? '');
    const group = groupOf(apiVersion);
    const version = apiVersion.includes('/') ? (apiVersion.split('/')[1] as string) : apiVersion;
    const meta = (request.object.metadata ?? {}) as Json;
    const clusterScoped = isClusterScoped(apiVersion, kind);
    const namespace = clusterScoped ? '' : String(meta.namespace ?? '');
    const resource = resourceOfKind(kind);
    const nsLabels = ((clusterScoped && kind === 'Namespace'
      ? meta.labels
      : (request.namespaceObject?.metadata as Json | undefined)?.labels) ?? {}) as Record<string, string>;
    const context = {
      object: toCelValue(request.object),
      oldObject: null,
      namespaceObject: clusterScoped ? null : toCelValue(request.namespaceObject ?? null),
      request: {
        kind: { group, version, kind },
        resource: { group, version, resource },
        name: String(meta.name ?? ''),
        namespace,
        operation: request.operation,
        userInfo: { username: request.username },
      },
      params: null,
    };
    const denials: AdmissionDenial[] = [];
    for (const binding of this.set.bindings) {
      const policy = this.set.policies.find((p) => p.metadata.name === binding.spec.policyName) as ValidatingAdmissionPolicyObject;
      const inScope = policy.spec.matchConstraints.resourceRules.some(
        (r) =>
          matchesList(r.apiGroups, group) &&
          matchesList(r.apiVersions, version) &&
          matchesList(r.resources, resource) &&
          matchesList(r.operations, request.operation) &&
          (r.scope === undefined || r.scope === '*' || r.scope === (clusterScoped ? 'Cluster' : 'Namespaced')),
      );
      if (!inScope) continue;
      // A namespaceSelector applies to namespaced objects and to Namespaces themselves; other cluster-scoped objects always match.
      const selector = binding.spec.matchResources?.namespaceSelector;
      if (selector && (!clusterScoped || kind === 'Namespace') && !selectorMatches(selector, nsLabels)) continue;
      denials.push(...this.evaluatePolicy(policy, context));
    }
    return denials;
  }

  private evaluatePolicy(policy: ValidatingAdmissionPolicyObject, base: Json): AdmissionDenial[] {
    const name = policy.metadata.name;
    const variables: Json = {};
    const context = { ...base, variables };
    const evaluate = (expression: string): unknown => this.env.evaluate(expression, context);
    try {
      for (const condition of policy.spec.matchConditions ?? []) if (evaluate(condition.expression) !== true) return [];
    } catch (e) {
      return [{ policy: name, message: `match condition failed to evaluate: ${(e as Error).message}` }];
    }
    try {
      // Variables may refer to earlier ones, as in Kubernetes; evaluated in order before the validations.
      for (const v of policy.spec.variables ?? []) variables[v.name] = evaluate(v.expression);
    } catch (e) {
      return [{ policy: name, message: `a variable failed to evaluate: ${(e as Error).message}` }];
    }
    const denials: AdmissionDenial[] = [];
    for (const validation of policy.spec.validations) {
      let passed: unknown;
      try {
        passed = evaluate(validation.expression);
      } catch (e) {
        denials.push({
          policy: name,
          message: `${validation.message ?? 'validation'} (expression failed to evaluate: ${(e as Error).message})`,
        });
        continue;
      }
      if (passed === true) continue;
      let message = validation.message ?? `failed expression: ${validation.expression}`;
      if (validation.messageExpression) {
        try {
          message = String(evaluate(validation.messageExpression));
        } catch {
          // Kubernetes falls back to `message` (or the expression) when the message expression fails.
        }
      }
      denials.push({ policy: name, message });
    }
    return denials;
  }
}
