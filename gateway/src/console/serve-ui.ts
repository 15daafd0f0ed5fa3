import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import type { Runtime } from '../server/runtime.js';

/**
 * The web console's static files: the page's own modules from `gateway/ui/`, and the vendored libraries
 * straight from their npm packages (resolved at start-up, no bundler, nothing fetched from a CDN).
 */

const UI_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));
const require = createRequire(import.meta.url);

/** The folder of an installed package: up from its main entry to the package.json that names it. */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  for (let i = 0; i < 6; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the folder of package ${name}`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** URL path under /ui/ → file on disk. */
function fileTable(): Map<string, string> {
  const files = new Map<string, string>([
    ['', join(UI_DIR, 'index.html')],
    ['vendor/preact.mjs', join(packageDir('preact'), 'dist/preact.mjs')],
    ['vendor/htm.mjs', join(packageDir('htm'), 'dist/htm.mjs')],
    ['vendor/uplot.mjs', join(packageDir('uplot'), 'dist/uPlot.esm.js')],
    ['vendor/uplot.css', join(packageDir('uplot'), 'dist/uPlot.min.css')],
  ]);
  for (const name of ['app.js', 'api.js', 'pages.js', 'charts.js', 'format.js', 'style.css', 'favicon.svg']) files.set(name, join(UI_DIR, name));
  return files;
}

/**
 * No inline script or style, nothing from another origin, no framing. uPlot and Preact set element styles
 * from script (CSSOM), which `style-src 'self'` allows.
 */
export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-cache',
};

let cache: Map<string, { body: Buffer; type: string }> | undefined;

function assets(): Map<string, { body: Buffer; type: string }> {
  if (!cache) {
    cache = new Map();
    for (const [path, file] of fileTable()) {
      const ext = file.slice(file.lastIndexOf('.'));
      cache.set(path, { body: readFileSync(file), type: TYPES[ext] ?? 'application/octet-stream' });
    }
  }
  return cache;
}

/**
 * `GET /ui`, `/ui/` and `/ui/<asset>`: the console, with its security headers; unknown assets are a 404.
 * `/ui/session.json` tells the page whether it needs a key (no secret in it), so it never has to provoke a 401.
 */
export function uiHandler(runtime: Runtime) {
  return (c: Context): Response => {
    const path = c.req.path;
    if (path === '/ui') return c.redirect('/ui/', 302);
    if (path === '/ui/session.json') return c.json({ auth_required: runtime.config.auth.mode !== 'none' }, 200, UI_SECURITY_HEADERS);
    const asset = assets().get(path.slice('/ui/'.length));
    if (!asset) return c.text('Not found', 404, UI_SECURITY_HEADERS);
    return c.body(new Uint8Array(asset.body), 200, { ...UI_SECURITY_HEADERS, 'content-type': asset.type });
  };
}
