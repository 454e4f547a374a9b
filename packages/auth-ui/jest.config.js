/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  // ES-module-only packages, transpiled like our sources: jose (the edge, used as the test server) and cel-js
  // (tenant-manifests' admission evaluator, loaded through the test prerequisites check).
  transformIgnorePatterns: ['/node_modules/(?!(jose|@marcbachmann/cel-js)/)'],
  testTimeout: 120000,
};
