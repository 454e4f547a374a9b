export { PLATFORM_ADMIN_SUBCOMMANDS } from './cli/subcommands';
export type { PlatformAdminSubcommand } from './cli/subcommands';
export { commandReferences, configKeyExists, configKeyReferences, missingCommand, repositoryCommands } from './operations-guide/guide-references';
export type { GuideCommand, GuideReference, RepositoryCommands } from './operations-guide/guide-references';
