/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  // jose ships only ES modules; let swc turn them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 20000,
};
