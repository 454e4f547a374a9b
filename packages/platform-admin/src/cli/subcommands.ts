/** The subcommands of `platform-admin`, in the order `--help` lists them. */
export const PLATFORM_ADMIN_SUBCOMMANDS = [
  'preflight',
  'create',
  'invite',
  'suspend',
  'resume',
  'offboard',
  'list',
  'show',
  'usage',
  'restore',
  'upgrade',
  'pin',
  'verify',
  'destroy',
] as const;
export type PlatformAdminSubcommand = (typeof PLATFORM_ADMIN_SUBCOMMANDS)[number];
