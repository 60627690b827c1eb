// Which Chromium the browser tests drive. Debian's `chromium` package when it
// is installed (what .ci/run installs); otherwise the Chromium that ships
// inside the npm package @sparticuz/chromium (a dev dependency), so `npm test`
// passes on a fresh machine with nothing but `npm install` (issue 12).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The executable to launch; extracts the packaged Chromium once if needed. */
export async function chromiumPath(): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM;
  if (existsSync(chosen)) return chosen;
  if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${chosen} does not exist`);
  return packagedChromium();
}

/**
 * The package inflates its brotli archives into os.tmpdir() and treats an
 * existing file as done, so a half-written binary from a killed run or a
 * parallel test worker would be taken as complete. Instead each worker
 * extracts into its own staging folder (TMPDIR pointed there) and renames it
 * into place: the folder is either complete or absent, and a worker that
 * loses the rename race just uses the winner's copy.
 */
async function packagedChromium(): Promise<string> {
  const manifest = resolve('node_modules/@sparticuz/chromium/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const root = resolve('node_modules/.cache/gatehouse-chromium');
  const final = join(root, version);
  const binary = join(final, 'chromium');
  if (!existsSync(binary)) {
    const staging = join(root, `staging-${process.pid}-${Date.now()}`);
    mkdirSync(staging, { recursive: true });
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    try {
      const { default: packaged } = await import('@sparticuz/chromium');
      await packaged.executablePath();
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
    // The packaged fonts.conf names /tmp/fonts; point fontconfig at this copy.
    writeFileSync(join(staging, 'fonts', 'fonts.conf'), fontsConf(join(final, 'fonts')));
    try {
      renameSync(staging, final);
    } catch {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(binary)) throw new Error(`could not place packaged Chromium in ${final}`);
    }
  }
  process.env.FONTCONFIG_PATH = join(final, 'fonts');
  return binary;
}

function fontsConf(dir: string): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n`
    + `  <dir>${dir}</dir>\n  <cachedir>${dir}-cache</cachedir>\n</fontconfig>\n`;
}
