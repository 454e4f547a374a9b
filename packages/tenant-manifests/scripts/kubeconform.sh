#!/bin/sh
# Validates deploy/ with the real kubeconform (if installed) against the same
# vendored schemas the in-process validator uses. Usage: scripts/kubeconform.sh [files...]
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v kubeconform >/dev/null || { echo "kubeconform is not installed (https://github.com/yannh/kubeconform)"; exit 2; }
# kustomization.yaml configures kustomize (the tenant project template); it is not a Kubernetes object.
[ "$#" -gt 0 ] || set -- $(find "$root/deploy" -name '*.yaml' ! -name kustomization.yaml | sort)
for version in 1.29.0 1.31.0; do
  # admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy(Binding) exist from Kubernetes 1.30 on.
  skip=""
  [ "$version" = 1.29.0 ] && skip="-skip ValidatingAdmissionPolicy,ValidatingAdmissionPolicyBinding"
  # shellcheck disable=SC2086
  kubeconform -strict -summary -kubernetes-version "$version" $skip \
    -schema-location "$here/schemas/{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json" \
    -schema-location "$here/schemas/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json" \
    "$@"
done
