/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  // The edge loads jose, which ships only ES modules.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 60000,
};
