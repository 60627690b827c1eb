#!/usr/bin/env node
// Entry point for `gatehouse` / `npx gatehouse` / `npm start` (compiled by npm install).
const { runCli } = await import('../dist/src/cli/index.js');
const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exit(code);
