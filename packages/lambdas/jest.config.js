const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    // Dynamic imports of local modules carry the `.js` extension Node's ESM
    // resolution (and so tsc under node16) requires; the sources are `.ts`.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
