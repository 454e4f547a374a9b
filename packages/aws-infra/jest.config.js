// CloudFormation's built-in template validation is ~70 % of synth time; unit
// tests assert the templates themselves, and `nx run aws-infra:synth` and the
// bench keep the validation on.
process.env.CDK_VALIDATION = 'false';

/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  // Each test file synthesizes the platform once (a few seconds on two cores).
  testTimeout: 120000,
};
