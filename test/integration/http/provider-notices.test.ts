// oidc-provider's own notices and warnings reach the structured logger as
// JSON lines (src/http/provider-notices.ts), pinned against the real library:
// if oidc-provider changes how it prints them, this fails.
import Provider from 'oidc-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/http/logger.js';
import { routeProviderNotices } from '../../../src/http/provider-notices.js';
import { createTestStore } from '../../helpers/databases.js';
import { loadConfig } from '../../../src/config.js';
import { compose } from '../../../src/main.js';

const capture = () => {
  const lines: string[] = [];
  return { lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), destination: { write: (s: string) => void lines.push(s) } };
};

describe('oidc-provider notices', () => {
  let undo = () => {};
  afterEach(() => undo());

  it('sends the notices the real library prints to the logger as JSON, and leaves other console lines alone', async () => {
    const out = capture();
    undo = routeProviderNotices(createLogger('info', out.destination));
    const printed: unknown[][] = [];
    const original = console.info;
    // An experimental feature without its version acknowledged makes
    // oidc-provider print a NOTICE block (lib/helpers/configuration.js).
    new Provider('http://localhost:3999', { features: { webMessageResponseMode: { enabled: true } } });
    const notices = out.json().filter((l) => l.source === 'oidc-provider');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]).toMatchObject({ level: 30, msg: 'oidc-provider notice', service: 'gatehouse' });
    expect(String(notices[0]!.notice)).toMatch(/experimental features are enabled/);
    expect(JSON.stringify(notices)).not.toMatch(/oidc-provider NOTICE/);

    // Warnings keep their level; coloured (TTY) lines are recognised too.
    console.warn('\x1b[31;1moidc-provider WARNING: something to change\x1b[0m');
    expect(out.json().at(-1)).toMatchObject({ level: 40, msg: 'oidc-provider warning', notice: 'something to change' });

    // Anything else still reaches the console as it was.
    const before = out.lines.length;
    undo();
    console.info = (...args: unknown[]) => void printed.push(args);
    try {
      undo = routeProviderNotices(createLogger('info', out.destination));
      console.info('an unrelated line', 42);
    } finally {
      undo();
      console.info = original;
    }
    expect(printed).toEqual([['an unrelated line', 42]]);
    expect(out.lines.length).toBe(before);
  });

  it('is wired up by the composition root for servers and the CLI', async () => {
    const store = await createTestStore('embedded');
    const out = capture();
    const services = await compose(loadConfig(store.env), createLogger('info', out.destination));
    try {
      new Provider('http://localhost:3998', { features: { webMessageResponseMode: { enabled: true } } });
      expect(out.json().some((l) => l.source === 'oidc-provider' && /experimental/.test(String(l.notice)))).toBe(true);
    } finally {
      await services.db.close();
      await store.dispose();
    }
  });
});
