#!/usr/bin/env node
// Nx runtime input of every target that reads the platform config: prints the
// path and bytes of the file OPENCLAW_PLATFORM_CONFIG names, so the cache key
// changes with that file even when it lives outside the workspace. Plain Node:
// it runs on every hash computation.
const fs = require('node:fs');
const path = require('node:path');

const named = process.env.OPENCLAW_PLATFORM_CONFIG && process.env.OPENCLAW_PLATFORM_CONFIG.trim();
const file = named ? path.resolve(named) : path.join(__dirname, '..', '..', '..', 'config', 'platform.example.yaml');
process.stdout.write(`${file}\n`);
process.stdout.write(fs.existsSync(file) ? fs.readFileSync(file) : 'missing');
