// The browser helper as shipped (dist/web/client.mjs) in a real headless
// Chromium. Two local servers: the app's origin (http://127.0.0.1:A), which
// serves a page that loads the module and an API that verifies the header with
// verifyLaunchParams, and another origin (http://127.0.0.1:B, another port),
// which records what reaches it and allows an Authorization header by CORS, so
// a leak would show. The launch params must reach A in the header, and never
// B, a URL or a Referer.
//
// Needs Debian's Chromium (`apt-get install -y chromium`): skipped with a
// warning when it is missing locally, failed under CI.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeLaunchParams } from '../src/client.js';
import { signLaunchParams, VkAuthError, verifyLaunchParams } from '../src/index.js';
import { createLaunchParams, type TestLaunchParams } from '../src/testing.js';
import { launchChromium, skipWithoutChromium } from './chromium.js';
import { NOW_S, now, SECRET } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLIENT = join(root, 'dist/web/client.mjs');
const APP_ID = 6736218;

const skip = skipWithoutChromium('client browser');

interface Seen {
  readonly server: 'app' | 'other';
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly referer: string | undefined;
  readonly requestHeaders: string | undefined;
}

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void | Promise<void>;

function listen(handler: Handler, name: Seen['server'], seen: Seen[]): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push({
      server: name,
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
      referer: request.headers.referer,
      requestHeaders: request.headers['access-control-request-headers'],
    });
    Promise.resolve(handler(request, response, url)).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** The page's module: what a mini app does at start-up, its results on `window.results`. */
function mainModule(other: string): string {
  return `import * as client from '/client.mjs';
import { createVkFetch, getAuthorization, getLaunchQuery } from '/client.mjs';
// For the test's page.evaluate calls.
window.vkClient = client;
const results = {};
try {
  results.query = getLaunchQuery();
  results.authorization = getAuthorization();
  const vkFetch = createVkFetch();
  const read = async (response) => ({ status: response.status, body: await response.json() });
  results.own = await read(await vkFetch('/api/me'));
  results.ownAbsolute = await read(await vkFetch(new URL('/api/me', location.href)));
  results.ownRequest = await read(await vkFetch(new Request('/api/me', { headers: { 'X-Extra': '1' } })));
  results.other = await read(await vkFetch(${JSON.stringify(`${other}/api/echo?case=other`)}));
  results.otherRequest = await read(await vkFetch(new Request(${JSON.stringify(`${other}/api/echo?case=other-request`)})));
  results.redirect = await read(await vkFetch('/api/redirect-out'));
  document.body.dataset.state = 'done';
} catch (error) {
  results.error = String(error && error.stack || error);
  document.body.dataset.state = 'error';
}
window.results = results;
`;
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>client test</title><script type="module" src="/main.mjs"></script></head>
<body data-state="loading"><img alt="" src="OTHER/pixel.gif"></body>
</html>`;

/** A page with `<base href="base">` that loads the client from the app's origin onto `window.vkClient`. */
function basePage(base: string, appOrigin: string): string {
  const attribute = base.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><base href="${attribute}"><title>base test</title>
<script type="module">
import * as client from ${JSON.stringify(`${appOrigin}/client.mjs`)};
window.vkClient = client;
document.body.dataset.state = 'ready';
</script></head>
<body data-state="loading"></body>
</html>`;
}

describe('the built client', () => {
  it('imports nothing: no other chunk, no dependency, in either format', () => {
    for (const file of ['dist/web/client.mjs', 'dist/web/client.cjs', 'dist/node/client.mjs', 'dist/node/client.cjs']) {
      const path = join(root, file);
      if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first.`);
      const code = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code, file).not.toMatch(/\bimport\b|\brequire\s*\(|\bfrom\s*['"]/);
    }
  });

  it('stays under 1.5 kB in a bundle, minified and gzipped, as the docs say', async () => {
    if (!existsSync(CLIENT)) throw new Error(`${CLIENT} is missing: run \`npm run build\` first.`);
    // The bundler tsdown builds with (a dependency of it, so resolved from there).
    const bundler = createRequire(join(root, 'node_modules/tsdown/package.json')).resolve('rolldown');
    const { rolldown } = (await import(pathToFileURL(bundler).href)) as typeof import('rolldown');
    const bundle = await rolldown({ input: CLIENT, platform: 'browser', logLevel: 'silent' });
    const [chunk] = (await bundle.generate({ format: 'esm', minify: true })).output;
    await bundle.close();
    expect(chunk.code).toContain('createVkFetch');
    expect(gzipSync(chunk.code).length).toBeLessThan(1536);
  });
});

describe.skipIf(skip)('vk-miniapp-auth/client in headless Chromium', () => {
  const seen: Seen[] = [];
  const problems: string[] = [];
  let app: { server: Server; origin: string } | undefined;
  let other: { server: Server; origin: string } | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let tempDir = '';
  let launch: TestLaunchParams;
  let pageUrl = '';

  beforeAll(async () => {
    if (!existsSync(CLIENT)) throw new Error(`${CLIENT} is missing: run \`npm run build\` first.`);
    const client = readFileSync(CLIENT, 'utf8');

    other = await listen(
      (request, response, url) => {
        const cors = { 'access-control-allow-origin': app?.origin ?? '', vary: 'Origin' };
        if (request.method === 'OPTIONS') {
          // Lets an Authorization header through: if the wrapper leaked it, it would arrive.
          response.writeHead(204, {
            ...cors,
            'access-control-allow-methods': 'GET, POST',
            'access-control-allow-headers': 'authorization, x-extra',
          });
          response.end();
        } else if (url.pathname === '/api/echo') {
          json(response, 200, { authorization: request.headers.authorization ?? null }, cors);
        } else if (url.pathname === '/pixel.gif') {
          response.writeHead(204).end();
        } else json(response, 404, { error: 'not found' });
      },
      'other',
      seen,
    );
    const otherOrigin = other.origin;

    app = await listen(
      async (request, response, url) => {
        if (url.pathname === '/') {
          response.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'referrer-policy': 'no-referrer',
            'cache-control': 'no-store',
          });
          response.end(PAGE.replace('OTHER', otherOrigin));
        } else if (url.pathname === '/client.mjs') {
          response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(client);
        } else if (url.pathname === '/main.mjs') {
          response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(mainModule(otherOrigin));
        } else if (url.pathname === '/api/me') {
          try {
            const params = await verifyLaunchParams(request.headers.authorization, {
              secret: SECRET,
              appId: APP_ID,
              now,
            });
            json(response, 200, { vk_user_id: params.vk_user_id, vk_experiment: params.vk_experiment ?? null });
          } catch (error) {
            if (!VkAuthError.is(error)) throw error;
            json(response, 401, { error: error.code });
          }
        } else if (url.pathname === '/base-page') {
          // A page whose <base href> (?base=) points elsewhere: fetch resolves relative URLs against it.
          response.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'referrer-policy': 'no-referrer',
            'cache-control': 'no-store',
          });
          response.end(basePage(url.searchParams.get('base') ?? '/', app?.origin ?? ''));
        } else if (url.pathname === '/api/redirect-out') {
          response.writeHead(302, { location: `${otherOrigin}/api/echo?case=redirect` }).end();
        } else json(response, 404, { error: 'not found' });
      },
      'app',
      seen,
    );

    launch = await createLaunchParams({ secret: SECRET, now, userId: 42, appId: APP_ID, baseUrl: `${app.origin}/` });
    pageUrl = `${app.origin}/?${launch.query}&utm_source=test#/home`;

    tempDir = mkdtempSync(join(tmpdir(), 'vk-client-browser-'));
    context = await launchChromium(join(tempDir, 'profile'));
    context.setDefaultTimeout(10_000);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => {
      problems.push(`page error: ${error.message}`);
    });
    page.on('console', (message) => {
      // Failed responses are checked below, by URL.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${message.text()}`);
      }
    });
    context.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      // The one refusal under test is /api/me without the header; browsers ask for a favicon on their own.
      const expected =
        response.status() < 400 || path === '/favicon.ico' || (path === '/api/me' && response.status() === 401);
      if (!expected) problems.push(`HTTP ${response.status()} for ${response.url()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await Promise.all([close(app?.server), close(other?.server)]);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }, 20_000);

  it('the page builds the Authorization value from location', async () => {
    await page.goto(pageUrl);
    await page.locator('body:not([data-state="loading"])').waitFor();
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    expect(results.error).toBeUndefined();
    expect(results.query).toBe(`${launch.query}&utm_source=test`);
    expect(results.authorization).toBe(`Bearer ${launch.query}&utm_source=test`);
    expect(await verifyLaunchParams(results.authorization as string, { secret: SECRET, now })).toEqual(launch.params);
  });

  it('the fetch wrapper sends it to its own origin, which verifies it', async () => {
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    for (const name of ['own', 'ownAbsolute', 'ownRequest']) {
      expect(results[name], name).toEqual({ status: 200, body: { vk_user_id: 42, vk_experiment: null } });
    }
    const api = seen.filter((s) => s.server === 'app' && s.url === '/api/me');
    expect(api).toHaveLength(3);
    for (const request of api) expect(request.authorization).toBe(`Bearer ${launch.query}&utm_source=test`);
  });

  it('and never to another origin, not even through a redirect', async () => {
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    for (const name of ['other', 'otherRequest', 'redirect']) {
      expect(results[name], name).toEqual({ status: 200, body: { authorization: null } });
    }
    const reached = seen.filter((s) => s.server === 'other').map((s) => `${s.method} ${s.url}`);
    expect(reached).toEqual(
      expect.arrayContaining([
        'GET /api/echo?case=other',
        'GET /api/echo?case=other-request',
        'GET /api/echo?case=redirect',
        'GET /pixel.gif',
      ]),
    );
    for (const request of seen.filter((s) => s.server === 'other')) {
      expect(request.authorization, request.url).toBeUndefined();
      // No preflight asked to send it either.
      expect(request.requestHeaders ?? '', request.url).not.toMatch(/authorization/i);
    }
  });

  it('builds the value from the bridge’s launch params, and the server verifies it', async () => {
    const params = {
      vk_access_token_settings: 'friends,photos',
      vk_app_id: APP_ID,
      vk_experiment: '{"950":0} a+b=c&d ~*!\'() Ёлка',
      vk_is_app_user: 1,
      vk_platform: 'mobile_android',
      vk_ts: NOW_S,
      vk_user_id: 7,
    };
    const query = await signLaunchParams(params, SECRET);
    // As VKWebAppGetLaunchParams gives them: decoded, numbers as numbers, sign first.
    const bridge: BridgeLaunchParams = { sign: new URLSearchParams(query).get('sign'), ...params };
    const result = await page.evaluate(async (bridgeParams) => {
      const client = (window as unknown as { vkClient: typeof import('../src/client.js') }).vkClient;
      const vkFetch = client.createVkFetch({ launchParams: bridgeParams });
      const response = await vkFetch('/api/me');
      return { query: client.getLaunchQuery(bridgeParams), status: response.status, body: await response.json() };
    }, bridge);
    expect(result).toEqual({
      query, // the same pairs, re-encoded as VK does, sign moved last
      status: 200,
      body: { vk_user_id: 7, vk_experiment: params.vk_experiment },
    });
  });

  it('with apiOrigin, only that origin gets it', async () => {
    const otherOrigin = other?.origin as string;
    const result = await page.evaluate(async (apiOrigin) => {
      const client = (window as unknown as { vkClient: typeof import('../src/client.js') }).vkClient;
      const vkFetch = client.createVkFetch({ apiOrigin });
      const read = async (response: Response) => ({ status: response.status, body: await response.json() });
      return {
        api: await read(await vkFetch(`${apiOrigin}/api/echo?case=api-origin`)),
        page: await read(await vkFetch('/api/me')),
      };
    }, otherOrigin);
    expect(result).toEqual({
      api: { status: 200, body: { authorization: `Bearer ${launch.query}&utm_source=test` } },
      page: { status: 401, body: { error: 'MISSING_CREDENTIALS' } },
    });
  });

  it('checks the URL fetch uses: String(input), converted once, and a Request’s own URL', async () => {
    const otherOrigin = other?.origin as string;
    const result = await page.evaluate(async (otherOrigin) => {
      const client = (window as unknown as { vkClient: typeof import('../src/client.js') }).vkClient;
      const vkFetch = client.createVkFetch();
      const read = async (response: Response) => ({ status: response.status, body: await response.json() });
      const echo = (name: string) => `${otherOrigin}/api/echo?case=${name}`;
      // fetch requests String(input): the url property of a plain object means nothing to it.
      const urlObject = await read(await vkFetch({ url: '/api/me', toString: () => echo('url-object') } as never));
      const urlObjectOwn = await read(
        await vkFetch({ url: echo('url-object-own'), toString: () => '/api/me' } as never),
      );
      // A toString that answers the own origin first, then another: converted once, sent there.
      let calls = 0;
      const shifty = { toString: () => (calls++ ? echo('shifty') : '/api/me') };
      const shiftyResult = await read(await vkFetch(shifty as never));
      // A Request subclass whose url getter lies: fetch uses the URL inside the Request.
      class Sneaky extends Request {
        override get url() {
          return `${location.origin}/api/me`;
        }
      }
      const subclass = await read(await vkFetch(new Sneaky(echo('subclass'))));
      // A Request from another frame is a Request too.
      const frame = document.createElement('iframe');
      document.body.append(frame);
      const FrameRequest = (frame.contentWindow as unknown as { Request: typeof Request }).Request;
      const frameRequest = new FrameRequest(`${location.origin}/api/me`);
      const crossFrame = await read(await vkFetch(frameRequest));
      frame.remove();
      return {
        urlObject,
        urlObjectOwn,
        shifty: { ...shiftyResult, calls },
        subclass,
        crossFrame,
        isOwn: frameRequest instanceof Request,
      };
    }, otherOrigin);
    const own = { status: 200, body: { vk_user_id: 42, vk_experiment: null } };
    expect(result).toEqual({
      urlObject: { status: 200, body: { authorization: null } },
      urlObjectOwn: own,
      shifty: { ...own, calls: 1 },
      subclass: { status: 200, body: { authorization: null } },
      crossFrame: own,
      isOwn: false,
    });
    const reached = seen.filter((s) => s.server === 'other').map((s) => s.url);
    expect(reached).toContain('/api/echo?case=url-object');
    expect(reached).toContain('/api/echo?case=subclass');
    expect(reached).not.toContain('/api/echo?case=url-object-own');
    expect(reached).not.toContain('/api/echo?case=shifty');
    for (const request of seen.filter((s) => s.server === 'other' && /case=(url-object|subclass)/.test(s.url))) {
      expect(request.authorization, request.url).toBeUndefined();
      expect(request.requestHeaders ?? '', request.url).not.toMatch(/authorization/i);
    }
  });

  it('resolves a relative URL against the page’s <base href>, as fetch does', async () => {
    const appOrigin = app?.origin as string;
    const otherOrigin = other?.origin as string;
    const basePageTab = await context?.newPage();
    if (!basePageTab) throw new Error('no browser context');
    try {
      const run = async (base: string) => {
        await basePageTab.goto(`${appOrigin}/base-page?base=${encodeURIComponent(base)}`);
        await basePageTab.locator('body[data-state="ready"]').waitFor({ state: 'attached' });
        return basePageTab.evaluate(
          async ({ launchParams, otherOrigin }) => {
            const client = (window as unknown as { vkClient: typeof import('../src/client.js') }).vkClient;
            const read = async (response: Response) => ({ status: response.status, body: await response.json() });
            const pageFetch = client.createVkFetch({ launchParams }); // apiOrigin: the page's own
            const otherFetch = client.createVkFetch({ launchParams, apiOrigin: otherOrigin });
            return {
              baseURI: document.baseURI,
              pageRelative: await read(await pageFetch('echo?case=base-page-relative')),
              pageAbsolute: await read(await pageFetch(`${location.origin}/api/me`)),
              otherRelative: await read(await otherFetch('echo?case=base-other-relative')),
            };
          },
          { launchParams: `?${launch.query}`, otherOrigin },
        );
      };
      const authorization = `Bearer ${launch.query}`;
      const own = { status: 200, body: { vk_user_id: 42, vk_experiment: null } };

      // <base> on another origin: a relative URL goes there, so only an apiOrigin there gets the header.
      expect(await run(`${otherOrigin}/api/`)).toEqual({
        baseURI: `${otherOrigin}/api/`,
        pageRelative: { status: 200, body: { authorization: null } },
        pageAbsolute: own,
        otherRelative: { status: 200, body: { authorization } },
      });
      const reached = seen.filter((s) => s.server === 'other' && s.url.includes('case=base-'));
      expect(reached.map((s) => `${s.method} ${s.url} ${s.authorization ?? '-'}`)).toEqual(
        expect.arrayContaining([
          'GET /api/echo?case=base-page-relative -',
          `GET /api/echo?case=base-other-relative ${authorization}`,
        ]),
      );
      const leaked = reached.filter((s) => s.url.includes('base-page-relative'));
      for (const request of leaked) expect(request.requestHeaders ?? '').not.toMatch(/authorization/i);

      // <base> on the page's own origin, another path: still the page's origin.
      const nested = await basePageTab.goto(`${appOrigin}/base-page?base=${encodeURIComponent('/deep/er/')}`);
      expect(nested?.status()).toBe(200);
      await basePageTab.locator('body[data-state="ready"]').waitFor({ state: 'attached' });
      const nestedResult = await basePageTab.evaluate(async (launchParams) => {
        const client = (window as unknown as { vkClient: typeof import('../src/client.js') }).vkClient;
        const response = await client.createVkFetch({ launchParams })('../../api/me');
        return { baseURI: document.baseURI, status: response.status, body: await response.json() };
      }, `?${launch.query}`);
      expect(nestedResult).toEqual({ baseURI: `${appOrigin}/deep/er/`, ...own });
    } finally {
      await basePageTab.close();
    }
  });

  it('the launch params never appear in a URL but the launch itself, nor in a Referer', () => {
    expect(seen.length).toBeGreaterThan(8);
    for (const request of seen) {
      if (request.server === 'app' && request.url.startsWith('/?')) continue; // the launch: VK opens the app so
      expect(request.url).not.toMatch(/sign=|vk_/);
      expect(request.referer ?? '', `Referer of ${request.url}`).not.toMatch(/sign=|vk_/);
    }
    expect(problems).toEqual([]);
  });
});
