/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  // The edge (used as the test server) loads jose, which ships only ES modules.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 120000,
};
