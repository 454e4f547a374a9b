/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  // The edge loads jose and the manifests load cel-js, which ship only ES modules.
  transformIgnorePatterns: ['/node_modules/(?!jose/|@marcbachmann/cel-js/)'],
  testTimeout: 60000,
};
