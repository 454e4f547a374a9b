/** The local platform creates network namespaces and mounts: its integration tests need root (CAP_SYS_ADMIN, CAP_NET_ADMIN). */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('these tests create network and mount namespaces: run them as root');
}
