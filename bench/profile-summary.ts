// Summarises a V8 .cpuprofile: self time per function and per package, so
// docs/benchmarks.md can say where the time goes. Usage:
//   node --import tsx bench/profile-summary.ts <file.cpuprofile>
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
const prof = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { nodes: Node[]; samples: number[] };
const total = prof.samples.length;
const byFn = new Map<string, number>();
const byPkg = new Map<string, number>();
const counts = new Map<number, number>();
for (const s of prof.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
for (const n of prof.nodes) {
  const hits = counts.get(n.id) ?? 0;
  if (!hits) continue;
  const url = n.callFrame.url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/dist/src/') ? 'gatehouse' : url.startsWith('node:') ? 'node core' : n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : 'other');
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + hits);
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + hits);
}
const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, n]) => `${((n / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
console.log(`samples: ${total}\n\nself time by package:\n${top(byPkg, 12).join('\n')}\n\nself time by function:\n${top(byFn, 15).join('\n')}`);
