import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// The dependency direction of ARCHITECTURE.md §1, checked rather than hoped for.
// Tests may use any library (e.g. a YAML parser in the browser-safe package's tests).
function boundaries(banExternal) {
  const ban = (list) => (banExternal ? { bannedExternalImports: list } : {});
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:k8s-construct', onlyDependOnLibsWithTags: ['type:util'], ...ban(['aws-cdk-lib', 'aws-cdk-lib/*', '@aws-sdk/*']) },
      { sourceTag: 'type:lambda', onlyDependOnLibsWithTags: ['type:util', 'type:k8s-construct'], ...ban(['aws-cdk-lib', 'aws-cdk-lib/*']) },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:k8s-construct', 'type:lambda', 'type:tool', 'type:app'] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:util', 'type:tool', 'type:k8s-construct', 'type:lambda'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'], ...ban(['*']) },
    ],
  };
}

export default [
  { ignores: ['**/dist', '**/node_modules', '**/cdk.out', '**/src/imports/**', '**/.cache', '**/vendor/**', '**/coverage'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      // The dependency direction of ARCHITECTURE.md §1, checked rather than hoped for.
      '@nx/enforce-module-boundaries': ['error', boundaries(true)],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Plain CommonJS scripts that must run without a TypeScript loader (e.g. an Nx hash input).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
    },
  },
];
