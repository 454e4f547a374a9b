#!/bin/sh
# Regenerates the typed CRD constructs in src/imports/ from the vendored CRD
# files in crds/ (upstream release files, see crds/SHA256SUMS).
# Offline: `--no-check-upgrade` stops cdk8s-cli from calling the registry.
set -eu
cd "$(dirname "$0")/.."
for spec in \
  httproutes:=crds/gateway.networking.k8s.io_httproutes.yaml \
  gateways:=crds/gateway.networking.k8s.io_gateways.yaml \
  gatewayclasses:=crds/gateway.networking.k8s.io_gatewayclasses.yaml \
  securitypolicies:=crds/gateway.envoyproxy.io_securitypolicies.yaml \
  clienttrafficpolicies:=crds/gateway.envoyproxy.io_clienttrafficpolicies.yaml \
  envoyproxies:=crds/gateway.envoyproxy.io_envoyproxies.yaml \
  appprojects:=crds/appproject-crd.yaml \
  applicationsets:=crds/applicationset-crd.yaml
do
  npx cdk8s import "$spec" --language typescript --output src/imports --no-check-upgrade
done
