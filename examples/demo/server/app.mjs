// The demo's HTTP app: static pages, health, the dev launcher's links, and the
// VK-authenticated routes behind vk-miniapp-auth/fastify.
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { vkMiniAppAuth } from 'vk-miniapp-auth/fastify';
import { paymentsFastify } from 'vk-miniapp-auth/payments';
import { devLaunches, fakeUserName } from './fake-users.mjs';
import { shopPayments } from './shop.mjs';
import { registerStatic } from './static.mjs';

/** @typedef {import('./config.mjs').DemoConfig} DemoConfig */
/** @typedef {import('./store.mjs').UserStore} UserStore */
/** @typedef {import('./store.mjs').DemoUser} DemoUser */

/** The mini-app page and the launcher, served from here. */
export const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

/** Where the page loads `vk-miniapp-auth/client` from (public/app.js imports this path). */
export const CLIENT_PATH = '/vendor/vk-miniapp-auth-client.mjs';

/**
 * Same origin only, no inline script or style. Frames: VK's web client shows
 * a mini app in an iframe on vk.com (or vk.ru), and OK (Odnoklassniki), where
 * the same mini app also runs, on ok.ru or its mobile site m.ok.ru (covered by
 * https://*.ok.ru); so those may embed the page. See docs/ok.md.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self' https://vk.com https://*.vk.com https://vk.ru https://*.vk.ru https://ok.ru https://*.ok.ru",
].join('; ');

/** The page uses no device feature: none may be asked for, by it or by anything it embeds. */
const PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()';

/**
 * @typedef {object} BuildAppOptions
 * @property {DemoConfig} config
 * @property {UserStore} store
 * @property {boolean | import('fastify').FastifyLoggerOptions} [logger] Fastify's `logger` option
 *   (default `false`). Logged URLs lose their query string: launch params stay out of logs.
 * @property {() => number} [now] The clock, in milliseconds like `Date.now` (for tests).
 * @property {string} [publicDir] Where the pages are (default: ../public).
 */

/**
 * Builds the demo's Fastify app (not listening yet):
 *
 * - `GET /health`, `GET /` (the mini-app page), static files, and in dev mode
 *   `GET /launcher` and `GET /dev/launches`;
 * - `GET /protected` and `GET /api/*`, guarded by `vk-miniapp-auth/fastify`, whose
 *   `resolveUser` records the visit with `store.upsertOnLaunch`, with sessions on (a
 *   `VK-Session` token carries the launch past its hour);
 * - `POST /payments`, VK's payment notifications for the shop (shop.mjs), signed with the
 *   same secret (VK signs them with the app's Secure key), answered in VK's JSON;
 * - `Referrer-Policy: no-referrer`, a same-origin Content-Security-Policy (frames: VK's origins
 *   only), `Permissions-Policy`, `Cross-Origin-Opener-Policy` on every response, and HSTS over HTTPS.
 *
 * @param {BuildAppOptions} options
 * @returns {Promise<import('fastify').FastifyInstance>}
 *
 * @example
 * ```js
 * const config = loadConfig();
 * const app = await buildApp({ config, store: await openStore(config.database) });
 * await app.listen({ port: 3000 });
 * ```
 */
export async function buildApp({ config, store, logger = false, now = Date.now, publicDir = DEFAULT_PUBLIC_DIR }) {
  const app = Fastify({
    logger: typeof logger === 'object' ? { ...logger, serializers: { req: requestWithoutQuery } } : logger,
  });

  // First hook of all, so even refusals and 404s carry these headers.
  // No X-Frame-Options: VK's and OK's web clients show the app in an iframe (frame-ancestors says where).
  app.addHook('onRequest', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // Applies where the page is the top-level document (VK's mobile webviews); not to iframes.
    reply.header('cross-origin-opener-policy', 'same-origin');
    // Only over HTTPS, directly or behind a proxy that says so: browsers ignore it over HTTP anyway.
    if (request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https') {
      reply.header('strict-transport-security', 'max-age=31536000');
    }
  });

  // A failure of ours (the database down) is logged in full and answered
  // without its details; refusals and other client errors stay as Fastify sends them.
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, status } = /** @type {{ statusCode?: unknown, status?: unknown }} */ (error);
    const code = statusCode ?? status; // Fastify reads both: VkAuthError has `status`
    if (typeof code === 'number' && code >= 400 && code < 500) return reply.send(error);
    request.log.error(error);
    return reply.code(500).send({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      error: 'Internal Server Error',
      message: 'The server failed to handle this request; its log says why.',
    });
  });

  app.get('/health', async () => ({ ok: true }));

  await registerStatic(app, {
    publicDir,
    devMode: config.devMode,
    // The page imports the library's browser client as it is: one file, no dependencies.
    // An app with a bundler would import 'vk-miniapp-auth/client' instead.
    vendor: { [CLIENT_PATH]: fileURLToPath(import.meta.resolve('vk-miniapp-auth/client')) },
  });

  // VK's payment notifications: not a launch, so outside the guarded scope; their MD5 sig,
  // made with the app's Secure key, is checked instead. The plugin parses the form body.
  await app.register(paymentsFastify, {
    path: '/payments',
    secret: config.secret,
    ...shopPayments({ store, now }),
    // A failing callback is answered "temporary error" (VK retries); the log says why.
    onError: (error) => app.log.error({ err: error }, 'payments callback failed'),
  });

  if (config.devMode) {
    app.get('/dev/launches', async () => devLaunches({ appId: config.appId, secret: config.secret, nowMs: now() }));
  }

  // The guarded scope: /protected and /api/*. Everything above stays public.
  await app.register(async (guarded) => {
    await guarded.register(vkMiniAppAuth, {
      secret: config.secret,
      appId: config.appId,
      now,
      // A session token in VK-Session carries the launch past its hour (maxAge): the page's
      // createVkFetch sends it from its second request on, and it is renewed while in use.
      session: { secret: config.sessionSecret },
      resolveUser: (params) =>
        store.upsertOnLaunch({
          vkUserId: params.vk_user_id,
          name: config.devMode ? fakeUserName(params.vk_user_id) : null,
          language: params.vk_language ?? null,
          platform: params.vk_platform ?? null,
          launchTs: Number(params.vk_ts ?? 0),
          seenAt: new Date(now()),
        }),
    });

    guarded.get('/protected', async (request) => ({ user_id: currentUser(request).id }));

    await guarded.register(
      async (api) => {
        api.get('/me', async (request) => {
          const { params } = /** @type {NonNullable<typeof request.vk>} */ (request.vk);
          const vkTs = Number(params.vk_ts ?? 0);
          // vk_ts is in seconds, or in milliseconds for some OK launches.
          const launchedMs = vkTs > 1e11 ? vkTs : vkTs * 1000;
          return {
            user: currentUser(request),
            verified: {
              appId: params.vk_app_id ?? null,
              platform: params.vk_platform ?? null,
              language: params.vk_language ?? null,
              vkTs,
              ageSeconds: Math.max(0, Math.floor((now() - launchedMs) / 1000)),
            },
          };
        });
        // Unknown /api/* routes: authenticated first (the hook runs for this 404 too), then 404.
        api.setNotFoundHandler(async (request, reply) =>
          reply.code(404).send({
            statusCode: 404,
            code: 'NOT_FOUND',
            error: 'Not Found',
            message: `Route ${request.method}:${request.url.split('?')[0]} not found`,
          }),
        );
      },
      { prefix: '/api' },
    );
  });

  return app;
}

/**
 * The stored user of an authenticated request.
 *
 * @param {import('fastify').FastifyRequest} request
 * @returns {DemoUser}
 */
function currentUser(request) {
  return /** @type {DemoUser} */ (request.vk?.user);
}

/**
 * Fastify's request log line, without the query string: the mini-app page's
 * URL carries the launch params, which are credentials.
 *
 * @param {import('fastify').FastifyRequest} request
 */
function requestWithoutQuery(request) {
  return {
    method: request.method,
    url: request.url.split('?')[0],
    host: request.host,
    remoteAddress: request.ip,
  };
}
