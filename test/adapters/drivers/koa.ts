import Koa, { type Context, type Middleware } from 'koa';
import compose from 'koa-compose';
import KoaV2 from 'koa-v2';
import type { VkContext } from '../../../src/adapters/common/context.js';
import { requireCreateHash, requireGroupRole, vkMiniAppAuth } from '../../../src/adapters/koa/index.js';
import type { VkAuthError } from '../../../src/index.js';
import type { SecretOption } from '../../../src/options.js';
import {
  adapterOptions,
  bodyBoundHashOptions,
  brokenPayload,
  creatorsOf,
  type Driver,
  type DriverOptions,
  GROUP_ROLES,
  groupIdOf,
  type Incoming,
  LIBRARY_REFUSAL_BODY,
  overHttp,
  requestIdOf,
} from './driver.js';

const incoming = (ctx: Context): Incoming => ({ header: (name) => ctx.get(name) || undefined });

const bodyOf = (ctx: Context) => (ctx.request as unknown as { body?: unknown }).body;

/**
 * A minimal JSON body parser, as koa-bodyparser sets `ctx.request.body`, and, with `keepRaw`,
 * `ctx.request.rawBody` (the text it parsed), as koa-bodyparser does too.
 */
const jsonParser =
  (keepRaw: boolean): Middleware =>
  async (ctx, next) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const request = ctx.request as unknown as { body?: unknown; rawBody?: string };
    if (keepRaw) request.rawBody = raw;
    request.body = raw === '' ? undefined : JSON.parse(raw);
    await next();
  };
const jsonBody = jsonParser(false);

/**
 * Koa 3 (`koa`) or 2 (`koa-v2`): `app.use(vkMiniAppAuth(…))` before the routes of `/api`
 * (routed by path with koa-compose, as a router would), over real HTTP. What reaches
 * `app.on('error')`, Koa's own error handling, is recorded.
 */
function koaDriver(name: string, KoaApp: typeof Koa): Driver {
  return {
    name,
    framework: 'koa',
    restyleThrough: 'onError',
    preflight: 'checked',
    ...LIBRARY_REFUSAL_BODY,
    ...creatorsOf({ launchParams: vkMiniAppAuth, groupRole: requireGroupRole, createHash: requireCreateHash }),
    async start(options: DriverOptions) {
      const seen: unknown[] = [];
      const serverErrors: unknown[] = [];
      const { restyle } = options;
      const onError = restyle
        ? async (error: VkAuthError, ctx: Context) => {
            const { status, body } = await restyle(error);
            ctx.status = status;
            ctx.body = body;
          }
        : undefined;
      const guard = (payload: (ctx: Context) => string | undefined) =>
        requireCreateHash({ secret: options.secret as SecretOption, now: options.now, payload, onError });
      const fromBody = guard((ctx) => requestIdOf(bodyOf(ctx)));
      const roles = requireGroupRole(...GROUP_ROLES, { onError });
      const bodyBound = requireCreateHash({ ...bodyBoundHashOptions(options), onError });

      const auth = vkMiniAppAuth({ ...adapterOptions(options, incoming), onError }) as Middleware;
      const answer: Middleware = (ctx) => {
        const vk = (ctx.state as { vk?: VkContext<unknown> | null }).vk;
        seen.push(vk);
        ctx.body = { vk: vk ?? null };
      };
      const answerWithBody: Middleware = (ctx) => {
        const vk = (ctx.state as { vk?: VkContext<unknown> | null }).vk;
        seen.push(vk);
        ctx.body = { vk: vk ?? null, body: bodyOf(ctx) };
      };
      const routes: Record<string, Middleware[]> = {
        '/api/p': [auth, answer],
        '/api/hash': [auth, jsonBody, fromBody, answer],
        '/api/hash-header': [auth, jsonBody, guard((ctx) => ctx.get('x-vk-sign-payload') || undefined), answer],
        '/api/hash-throws': [auth, jsonBody, guard(brokenPayload), answer],
        '/open/hash': [jsonBody, fromBody, answer],
        '/api/role': [auth, roles, answer],
        '/api/groups/:groupId/role': [
          auth,
          requireGroupRole(...GROUP_ROLES, { groupId: (ctx) => groupIdOf(options, ctx.params.groupId), onError }),
          answer,
        ],
        '/open/role': [roles, answer],
        '/api/hash-body': [auth, jsonParser(options.keepRawBody !== false), bodyBound, answerWithBody],
      };
      const app = new KoaApp();
      app.use((ctx, next) => {
        // The one parameterised route, matched as @koa/router would, which sets ctx.params.
        const group = /^\/api\/groups\/([^/]+)\/role$/.exec(ctx.path);
        if (group) ctx.params = { groupId: decodeURIComponent(group[1] as string) };
        return compose(routes[group ? '/api/groups/:groupId/role' : ctx.path] ?? [])(ctx, next);
      });
      app.on('error', (error) => serverErrors.push(error));
      return { seen, serverErrors, send: overHttp(app.callback()), close: async () => {} };
    },
  };
}

export const koa3 = koaDriver('koa 3', Koa);
export const koa2 = koaDriver('koa 2', KoaV2);
