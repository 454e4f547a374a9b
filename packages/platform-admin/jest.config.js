const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    // The lambdas' adapters import their own modules dynamically with the `.js` extension; the sources are `.ts`.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
