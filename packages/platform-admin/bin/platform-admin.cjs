#!/usr/bin/env node
// Runs the TypeScript CLI in place (tsx), like every other command of this repository.
require('tsx/cjs');
require('../src/cli/main.ts');
