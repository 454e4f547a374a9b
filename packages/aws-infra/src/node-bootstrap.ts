/**
 * User data for the Amazon Linux 2023 EKS nodes. AL2023 is configured by
 * `nodeadm` from NodeConfig documents in a MIME multi-part user data; EKS
 * merges its own document (cluster endpoint, CA) with ours.
 */
import { GVISOR_RELEASE } from './versions';

/** MIME type nodeadm reads NodeConfig documents from. */
export const NODE_CONFIG_CONTENT_TYPE = 'application/node.eks.aws';

export interface NodeConfigOptions {
  /**
   * kubelet `maxPods`. With VPC CNI prefix delegation the ENI-based default
   * is far too low, so it is set explicitly.
   */
  readonly maxPods: number;
  /** TOML merged into containerd's configuration. */
  readonly containerdConfig?: string;
}

/** A NodeConfig document (YAML is a superset of JSON, so JSON keeps it exact). */
export function nodeConfigDocument(options: NodeConfigOptions): string {
  const spec: Record<string, unknown> = { kubelet: { config: { maxPods: options.maxPods } } };
  if (options.containerdConfig) spec.containerd = { config: options.containerdConfig };
  return `${JSON.stringify({ apiVersion: 'node.eks.aws/v1alpha1', kind: 'NodeConfig', spec }, null, 2)}\n`;
}

/** containerd 2 runtime entry for runsc, selected by the `gvisor` RuntimeClass (handler `runsc`). */
export const GVISOR_CONTAINERD_CONFIG = [
  "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runsc]",
  "  runtime_type = 'io.containerd.runsc.v1'",
  "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runsc.options]",
  "  TypeUrl = 'io.containerd.runsc.v1.options'",
  "  ConfigPath = '/etc/containerd/runsc.toml'",
  '',
].join('\n');

/** SHA-512 digests of the release's arm64 binaries, as `security.gvisorSha512` pins them. */
export interface GvisorDigests {
  readonly runsc: string;
  readonly containerdShimRunscV1: string;
}

/**
 * Installs runsc and its containerd shim from the pinned gVisor release and
 * refuses to install unless both binaries match the release's SHA-512 files
 * (the procedure of the gVisor install guide) and, when given, the digests
 * pinned in the platform config (the release files come from the same URL as
 * the binaries, so only a pinned digest catches a replaced release). Runs
 * before kubelet starts, so no sandboxed pod lands on a node without runsc.
 */
export function gvisorInstallScript(release: string = GVISOR_RELEASE, pinned?: GvisorDigests): string {
  if (!/^\d{8}(\.\d+)?$/.test(release)) throw new Error(`gVisor release "${release}" is not a dated release such as 20260706`);
  for (const digest of pinned ? [pinned.runsc, pinned.containerdShimRunscV1] : [])
    if (!/^[0-9a-f]{128}$/.test(digest)) throw new Error(`gVisor digest "${digest}" is not a SHA-512 hex digest`);
  return [
    'set -euo pipefail',
    `GVISOR_RELEASE=${release}`,
    'ARCH="$(uname -m)"',
    'URL="https://storage.googleapis.com/gvisor/releases/release/${GVISOR_RELEASE}/${ARCH}"',
    'WORK="$(mktemp -d)"',
    'cd "${WORK}"',
    'for binary in runsc containerd-shim-runsc-v1; do',
    '  curl --fail --silent --show-error --location --retry 5 --output "${binary}" "${URL}/${binary}"',
    '  curl --fail --silent --show-error --location --retry 5 --output "${binary}.sha512" "${URL}/${binary}.sha512"',
    'done',
    'sha512sum --check --strict runsc.sha512 containerd-shim-runsc-v1.sha512',
    ...(pinned
      ? [
          // The pinned digests are of the arm64 binaries: every tenant node group is Graviton.
          'test "${ARCH}" = aarch64',
          `printf '%s  %s\\n' '${pinned.runsc}' runsc '${pinned.containerdShimRunscV1}' containerd-shim-runsc-v1 | sha512sum --check --strict -`,
        ]
      : []),
    'install -m 0755 runsc containerd-shim-runsc-v1 /usr/local/bin/',
    'install -d -m 0755 /etc/containerd',
    "cat > /etc/containerd/runsc.toml <<'EOF'",
    '[runsc_config]',
    '  network = "sandbox"',
    'EOF',
    'rm -rf "${WORK}"',
  ].join('\n');
}
