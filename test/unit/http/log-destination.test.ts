// The logger's choice of format (src/http/logger.ts stderrDestination):
// readable lines for a terminal, JSON lines otherwise. Written through a real
// file descriptor, as the server writes to fd 2.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, stderrDestination } from '../../../src/http/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function written(isTTY: boolean): Promise<string[]> {
  const file = join(dir, `log-${isTTY}`);
  const fd = openSync(file, 'w');
  const destination = stderrDestination(isTTY, fd);
  const log = createLogger('info', destination);
  log.info('gatehouse listening on http://localhost:4400', { issuer: 'http://localhost:4400', password: 'hunter2' });
  log.debug('below the level');
  const flushable = destination as { flushSync?: () => void; end?: () => void };
  flushable.flushSync?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  closeSync(fd);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('log destination', () => {
  it('is JSON lines when stderr is not a terminal', async () => {
    const lines = await written(false);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'gatehouse listening on http://localhost:4400', issuer: 'http://localhost:4400', password: '[redacted]' });
  });

  it('is one readable line per entry on a terminal, still redacted', async () => {
    const lines = await written(true);
    expect(lines).toHaveLength(1);
    expect(() => JSON.parse(lines[0]!)).toThrow();
    // eslint-disable-next-line no-control-regex
    const plain = lines[0]!.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: gatehouse listening on http:\/\/localhost:4400 /);
    expect(plain).toContain('[redacted]');
    expect(plain).not.toContain('hunter2');
  });
});
