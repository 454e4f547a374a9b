/**
 * What the operator guide (`docs/operations/*.md`) refers to: config keys and
 * commands. The guide's test resolves each against the code, so a renamed key
 * or a removed script breaks the build instead of a newcomer's deploy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FieldSpec, PLATFORM_CONFIG_SPEC } from '@openclaw-tenancy/shared';

export interface GuideReference {
  /** The guide page that names the key or command, relative to the guide folder. */
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

export type GuideCommand =
  | (GuideReference & { readonly kind: 'npm-script'; readonly script: string })
  | (GuideReference & { readonly kind: 'nx-target'; readonly project: string; readonly target: string })
  | (GuideReference & { readonly kind: 'platform-admin'; readonly subcommand: string });

/** Top-level keys of the platform config: a dotted token starting with one of them is a config key. */
function topLevelConfigKeys(spec: FieldSpec): readonly string[] {
  return spec.kind === 'object' ? Object.keys(spec.fields) : [];
}

/**
 * Dotted config keys the text names, e.g. `signup.maxTenants` in backticks or
 * `<aws.region>` inside a command. Only tokens whose first segment is a
 * top-level config key count, so `versions.ts` or `deploy/platform` are not keys.
 */
export function configKeyReferences(file: string, markdown: string, spec: FieldSpec = PLATFORM_CONFIG_SPEC): GuideReference[] {
  const roots = new Set(topLevelConfigKeys(spec));
  const found: GuideReference[] = [];
  markdown.split('\n').forEach((lineText, i) => {
    for (const match of lineText.matchAll(/[`<]([a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)+)[`>:]/g)) {
      const key = match[1] ?? '';
      if (roots.has(key.split('.')[0] ?? '')) found.push({ file, line: i + 1, text: key });
    }
  });
  return found;
}

/** True when the dotted key names a field of the schema (array items are walked through). */
export function configKeyExists(key: string, spec: FieldSpec = PLATFORM_CONFIG_SPEC): boolean {
  let current: FieldSpec = spec;
  for (const segment of key.split('.')) {
    while (current.kind === 'array') current = current.items;
    if (current.kind !== 'object') return false;
    const field = current.fields[segment];
    if (!field) return false;
    current = field.spec;
  }
  return true;
}

/** Commands in fenced shell blocks and inline code: `npm run <script>`, `npx nx run <project>:<target>`, `platform-admin <subcommand>`. */
export function commandReferences(file: string, markdown: string): GuideCommand[] {
  const found: GuideCommand[] = [];
  markdown.split('\n').forEach((lineText, i) => {
    const at = { file, line: i + 1 };
    for (const m of lineText.matchAll(/\bnpm run (?:--silent )?([a-z][a-z0-9:-]*)/g)) {
      found.push({ ...at, kind: 'npm-script', script: m[1] ?? '', text: m[0] });
    }
    for (const m of lineText.matchAll(/\bnpx nx run ([a-z][a-z0-9-]*):([a-z][a-z0-9:-]*)/g)) {
      found.push({ ...at, kind: 'nx-target', project: m[1] ?? '', target: m[2] ?? '', text: m[0] });
    }
    for (const m of lineText.matchAll(/\bplatform-admin ([a-z][a-z-]*)/g)) {
      found.push({ ...at, kind: 'platform-admin', subcommand: m[1] ?? '', text: m[0] });
    }
  });
  return found;
}

interface PackageJson {
  readonly scripts?: Readonly<Record<string, string>>;
  readonly nx?: { readonly name?: string; readonly targets?: Readonly<Record<string, unknown>> };
}

/** What the repository offers: root npm scripts and every Nx project's targets (package scripts plus `nx.targets`). */
export interface RepositoryCommands {
  readonly npmScripts: ReadonlySet<string>;
  readonly nxTargets: ReadonlyMap<string, ReadonlySet<string>>;
}

function readPackageJson(file: string): PackageJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PackageJson;
}

export function repositoryCommands(repositoryRoot: string): RepositoryCommands {
  const root = readPackageJson(path.join(repositoryRoot, 'package.json'));
  const nxTargets = new Map<string, ReadonlySet<string>>();
  const packagesDir = path.join(repositoryRoot, 'packages');
  for (const dir of fs.readdirSync(packagesDir)) {
    const file = path.join(packagesDir, dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = readPackageJson(file);
    const targets = new Set([...Object.keys(pkg.scripts ?? {}), ...Object.keys(pkg.nx?.targets ?? {})]);
    nxTargets.set(pkg.nx?.name ?? dir, targets);
  }
  return { npmScripts: new Set(Object.keys(root.scripts ?? {})), nxTargets };
}

/** Why a command of the guide does not exist, or undefined when it does. */
export function missingCommand(command: GuideCommand, available: RepositoryCommands, subcommands: readonly string[]): string | undefined {
  switch (command.kind) {
    case 'npm-script':
      return available.npmScripts.has(command.script) ? undefined : `the root package.json has no script "${command.script}"`;
    case 'nx-target': {
      const targets = available.nxTargets.get(command.project);
      if (!targets) return `there is no Nx project "${command.project}"`;
      return targets.has(command.target) ? undefined : `project "${command.project}" has no target "${command.target}"`;
    }
    case 'platform-admin':
      return subcommands.includes(command.subcommand)
        ? undefined
        : `platform-admin has no subcommand "${command.subcommand}" (${subcommands.join(', ')})`;
  }
}
