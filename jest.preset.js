// Shared jest settings: swc transpiles without type-checking (the `typecheck`
// target runs tsc), which keeps test runs fast and memory-light.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: {
    '^@openclaw-tenancy/([a-z-]+)$': '<rootDir>/../$1/src/index.ts',
    '^@openclaw-tenancy/([a-z-]+)/testing$': '<rootDir>/../$1/src/testing/index.ts',
  },
};
