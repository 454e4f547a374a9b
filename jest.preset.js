// Shared jest settings: swc transpiles without type-checking (the `typecheck`
// target runs tsc), which keeps test runs fast and memory-light.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  // Packages that ship only ES modules are transpiled to CommonJS like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  moduleNameMapper: {
    '^@openclaw-tenancy/([a-z-]+)$': '<rootDir>/../$1/src/index.ts',
    '^@openclaw-tenancy/([a-z-]+)/testing$': '<rootDir>/../$1/src/testing/index.ts',
  },
};
