#!/usr/bin/env node
// Entry point for `gatehouse` / `npx gatehouse` / `npm start` (compiled by npm install).
// Start-up errors are printed by runCli (src/cli/index.ts, cliExit); the one
// failure before it exists is an unbuilt checkout, said in one line too.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('gatehouse: not built yet (dist/ is missing): run npm install or npm run build\n');
  process.exit(1);
}
const { runCli } = await import(entry.href);
const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exit(code);
