// oidc-provider prints its notices and warnings as plain text through
// console.info / console.warn ("oidc-provider NOTICE: ..." / "oidc-provider
// WARNING: ...", coloured on a TTY) and offers no hook or option to redirect
// them. This one module wraps those two console methods, passes through every
// other line untouched, and sends oidc-provider's lines to the structured
// logger, so the log stays one JSON object per line. Pinned by
// test/integration/http/provider-notices.test.ts against the real library.
// Not covered: the "Unsupported runtime" warning oidc-provider prints while
// its module is first imported, before any of our code can run.
import type { Logger } from './logger.js';

const LINE = /^(?:\x1b\[[\d;]*m)?oidc-provider (NOTICE|WARNING): ([\s\S]*?)(?:\x1b\[0m)?$/;

let target: Logger | null = null;
let originals: { info: typeof console.info; warn: typeof console.warn } | null = null;

function wrap(original: (...args: unknown[]) => void) {
  return (...args: unknown[]) => {
    const m = args.length === 1 && typeof args[0] === 'string' ? LINE.exec(args[0]) : null;
    if (!m || !target) return original(...args);
    const fields = { source: 'oidc-provider', notice: m[2]!.trim() };
    if (m[1] === 'WARNING') target.warn('oidc-provider warning', fields);
    else target.info('oidc-provider notice', fields);
  };
}

/** Routes oidc-provider's console lines to `log` (the latest caller wins); returns an undo. */
export function routeProviderNotices(log: Logger): () => void {
  target = log;
  if (!originals) {
    originals = { info: console.info, warn: console.warn };
    console.info = wrap(originals.info.bind(console));
    console.warn = wrap(originals.warn.bind(console));
  }
  return () => {
    if (target !== log || !originals) return;
    console.info = originals.info;
    console.warn = originals.warn;
    originals = null;
    target = null;
  };
}
