/**
 * Runs one container of a pod the way the kubelet would, without a container
 * runtime: in the pod's network namespace (nsenter), in fresh mount, PID and
 * UTS namespaces (unshare), on a read-only root filesystem assembled from
 * bind mounts (the host's /usr as the "image" OS, the OpenClaw runtime as the
 * image's application), with the pod's volumes at their mount paths, then
 * `pivot_root` so nothing else of the host is visible, and finally as the
 * container's non-root uid with no capabilities and no-new-privs (setpriv).
 *
 * Killing the container's PID 1 ends every process of the container (the
 * kernel tears the PID namespace down), so no worker survives its gateway.
 */
import type { SystemCommands } from '../host/system-commands';

export type SandboxMount =
  /** A host directory (a volume, or part of the image) at `target`. */
  | { readonly kind: 'bind'; readonly source: string; readonly target: string; readonly readOnly: boolean }
  /** A fresh memory-backed directory. */
  | { readonly kind: 'tmpfs'; readonly target: string; readonly mode: number; readonly sizeMiB: number };

export interface SandboxSpec {
  /** `/run/netns/<name>` of the pod. */
  readonly netnsPath: string;
  /** An empty host directory the container's root filesystem is assembled on. */
  readonly rootMountPoint: string;
  readonly hostname: string;
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups (the pod's fsGroup). */
  readonly groups: readonly number[];
  /** Mounts on top of the base system, applied parents first. */
  readonly mounts: readonly SandboxMount[];
  readonly workingDir: string;
  readonly command: readonly string[];
}

/** The directories of the host that form the image's OS (Debian: merged /usr, so bin/lib are symlinks). */
const USR_SYMLINKS = ['bin', 'lib', 'lib64', 'sbin'];

/** POSIX shell quoting: everything between single quotes, a quote as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function depth(target: string): number {
  return target.split('/').filter(Boolean).length;
}

/** The shell script run as root inside the new namespaces; it ends by exec-ing the container's command. */
export function sandboxScript(spec: SandboxSpec, commands: SystemCommands): string {
  const q = shellQuote;
  const mount = q(commands.mount);
  const at = (target: string) => q(`.${target}`);
  const bindReadOnly = (source: string, target: string) => [
    `${mount} --bind ${q(source)} ${at(target)}`,
    `${mount} -o remount,bind,ro ${at(target)}`,
  ];
  const lines: string[] = [
    'set -eu',
    `${mount} -t tmpfs -o mode=0755,size=8m rootfs ${q(spec.rootMountPoint)}`,
    `cd ${q(spec.rootMountPoint)}`,
    'mkdir -p usr etc proc dev .oldroot',
    ...USR_SYMLINKS.map((d) => `ln -s usr/${d} ${d}`),
    ...bindReadOnly('/usr', '/usr'),
    // Only the CA bundle of the host's /etc: the rest of /etc is the image's own minimal set.
    'mkdir -p etc/ssl',
    ...bindReadOnly('/etc/ssl', '/etc/ssl'),
    `printf 'root:x:0:0:root:/root:/bin/sh\\nnode:x:${spec.uid}:${spec.gid}::/home/node:/bin/sh\\n' > etc/passwd`,
    `printf 'root:x:0:\\nnode:x:${spec.gid}:\\n' > etc/group`,
    `printf '127.0.0.1 localhost\\n::1 localhost\\n' > etc/hosts`,
    `printf 'hosts: files\\n' > etc/nsswitch.conf`,
    ': > etc/resolv.conf',
    `${mount} -t tmpfs -o mode=0755,size=1m dev dev`,
    'for d in null zero full random urandom tty; do : > dev/$d; ' + `${mount} --bind /dev/$d dev/$d; done`,
    `mkdir dev/shm && ${mount} -t tmpfs -o mode=1777,size=64m shm dev/shm`,
    'ln -s /proc/self/fd dev/fd && ln -s /proc/self/fd/0 dev/stdin && ln -s /proc/self/fd/1 dev/stdout && ln -s /proc/self/fd/2 dev/stderr',
    `${mount} -t proc proc proc`,
  ];
  for (const m of [...spec.mounts].sort((a, b) => depth(a.target) - depth(b.target))) {
    lines.push(`mkdir -p ${at(m.target)}`);
    if (m.kind === 'tmpfs') lines.push(`${mount} -t tmpfs -o mode=${m.mode.toString(8)},size=${m.sizeMiB}m tmpfs ${at(m.target)}`);
    else if (m.readOnly) lines.push(...bindReadOnly(m.source, m.target));
    else lines.push(`${mount} --bind ${q(m.source)} ${at(m.target)}`);
  }
  lines.push(
    // A UTS namespace of its own: the pod name as host name, as in Kubernetes.
    `echo ${q(spec.hostname)} > /proc/sys/kernel/hostname`,
    // readOnlyRootFilesystem: only the volumes stay writable.
    `${mount} -o remount,bind,ro .`,
    `${q(commands.pivot_root)} . .oldroot`,
    `${q(commands.umount)} -l /.oldroot`,
    `cd ${q(spec.workingDir)}`,
    [
      'exec',
      q(commands.setpriv),
      `--reuid=${spec.uid}`,
      `--regid=${spec.gid}`,
      spec.groups.length > 0 ? `--groups=${spec.groups.join(',')}` : '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
      // Keeps unshare's --kill-child signal across the uid change (the kernel clears it otherwise).
      '--pdeathsig=keep',
      '--',
      ...spec.command.map(q),
    ].join(' '),
  );
  return lines.join('\n');
}

/** Program and arguments that run the sandbox; the container's environment is the spawn environment. */
export function sandboxCommand(spec: SandboxSpec, commands: SystemCommands): { file: string; args: string[] } {
  return {
    // The outer setpriv makes unshare die with the platform process, even on SIGKILL; unshare then
    // sends SIGTERM to the container's PID 1.
    file: commands.setpriv,
    args: [
      '--pdeathsig=SIGKILL',
      '--',
      commands.nsenter,
      `--net=${spec.netnsPath}`,
      '--',
      commands.unshare,
      '--mount',
      '--pid',
      '--uts',
      '--fork',
      '--kill-child=SIGTERM',
      '--propagation=private',
      '--',
      '/bin/sh',
      '-c',
      sandboxScript(spec, commands),
      'pod-sandbox',
    ],
  };
}
