// A small static handler for the demo's pages: no dependency, a route per file
// found at start-up (so nothing outside the folder can ever be asked for), read
// at request time (so an edited page shows on reload).
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';

/** @type {Readonly<Record<string, string>>} */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Serves the files of `publicDir`: `index.html` at `/`, `launcher.html` at
 * `/launcher` (dev mode only, like every `launcher.*` file), and every other
 * file of a known type at its own path (`style.css` → `/style.css`). HTML is
 * served only through those two routes. `vendor` maps fixed paths to single
 * files from elsewhere, such as the library's browser client.
 *
 * @param {import('fastify').FastifyInstance} app
 * @param {{ publicDir: string, devMode: boolean, vendor?: Readonly<Record<string, string>> }} options
 *
 * @example
 * ```js
 * await registerStatic(app, {
 *   publicDir: 'examples/demo/public',
 *   devMode: true,
 *   vendor: { '/vendor/client.mjs': 'node_modules/some-package/dist/client.mjs' },
 * });
 * ```
 */
export async function registerStatic(app, { publicDir, devMode, vendor = {} }) {
  let files;
  try {
    files = await listFiles(publicDir);
  } catch (error) {
    throw new Error(`The demo's pages are missing: cannot read ${publicDir}.`, { cause: error });
  }

  app.get('/', serveFile(join(publicDir, 'index.html')));
  if (devMode) app.get('/launcher', serveFile(join(publicDir, 'launcher.html')));

  for (const file of files) {
    const type = extname(file);
    if (type === '.html' || !(type in CONTENT_TYPES) || !/^[\w./-]+$/.test(file)) continue;
    if (!devMode && basename(file).startsWith('launcher.')) continue;
    app.get(`/${file}`, serveFile(join(publicDir, file), 'no-cache'));
  }
  for (const [path, file] of Object.entries(vendor)) app.get(path, serveFile(file, 'no-cache'));
  // Browsers ask for it on their own; "nothing" beats a 404 in the console.
  if (!files.includes('favicon.ico')) app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
}

/**
 * A handler sending one file with its content type; 404 if it has gone since start-up.
 *
 * @param {string} path
 * @param {string} [cacheControl]
 * @returns {import('fastify').RouteHandlerMethod}
 */
function serveFile(path, cacheControl = 'no-store') {
  const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
  return async (_request, reply) => {
    let body;
    try {
      body = await readFile(path);
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return reply.callNotFound();
      throw error;
    }
    return reply.header('cache-control', cacheControl).type(type).send(body);
  };
}

/**
 * The files under `dir`, as `/`-separated paths relative to it; dotfiles skipped.
 *
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      relative(dir, join(entry.parentPath ?? entry.path, entry.name))
        .split(sep)
        .join('/'),
    )
    .filter((file) => !file.split('/').some((part) => part.startsWith('.')));
}
