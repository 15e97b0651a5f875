#!/usr/bin/env node
// The changeops CLI: the same engine as the action, bundled in dist/ (no build step needed).
await import('../dist/cli.js');
