import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { VkContext } from '../../../src/adapters/common/context.js';
import { requireCreateHash, requireGroupRole, vkMiniAppAuth } from '../../../src/adapters/hono/index.js';
import type { VkAuthError } from '../../../src/index.js';
import type { SecretOption } from '../../../src/options.js';
import {
  adapterOptions,
  bodyBoundHashOptions,
  brokenPayload,
  creatorsOf,
  type Driver,
  type DriverOptions,
  fromResponse,
  GROUP_ROLES,
  groupIdOf,
  type Incoming,
  isRefusal,
  LIBRARY_REFUSAL_BODY,
  normalise,
  requestIdOf,
} from './driver.js';

const incoming = (c: Context): Incoming => ({ header: (name) => c.req.header(name) });

type Env = { Variables: { vk?: VkContext<unknown> | null } };

/**
 * Hono: `app.use('/api/*', vkMiniAppAuth(…))`, requests through `app.request`. `app.onError`
 * answers as Hono's default handler does (a refusal's ready 401, else a 500) and records the
 * errors that are not refusals.
 */
export const hono: Driver = {
  name: 'hono',
  framework: 'hono',
  restyleThrough: 'onError',
  preflight: 'checked',
  ...LIBRARY_REFUSAL_BODY,
  ...creatorsOf({ launchParams: vkMiniAppAuth, groupRole: requireGroupRole, createHash: requireCreateHash }),
  async start(options: DriverOptions) {
    const seen: unknown[] = [];
    const serverErrors: unknown[] = [];
    const { restyle } = options;
    const onError = restyle
      ? async (error: VkAuthError, c: Context) => {
          const { status, body } = await restyle(error);
          return c.json(body, status as ContentfulStatusCode);
        }
      : undefined;
    const guard = (payload: (c: Context) => string | undefined | Promise<string | undefined>) =>
      requireCreateHash({ secret: options.secret as SecretOption, now: options.now, payload, onError });
    const fromBody = guard(async (c) => requestIdOf(await c.req.json().catch(() => undefined)));

    const app = new Hono<Env>();
    app.onError((error, c) => {
      if (error instanceof HTTPException) {
        // A refusal's HTTPException carries its VkAuthError; any other (a 503) is a server error.
        if (!isRefusal(error.cause)) serverErrors.push(error);
        return error.getResponse();
      }
      serverErrors.push(error);
      return c.text('Internal Server Error', 500);
    });
    app.use('/api/*', vkMiniAppAuth({ ...adapterOptions(options, incoming), onError }) as MiddlewareHandler);
    const answer = (c: Context<Env>) => {
      const vk = c.get('vk');
      seen.push(vk);
      return c.json({ vk: vk ?? null });
    };
    const methods = ['GET', 'POST', 'OPTIONS'];
    app.on(methods, '/api/p', answer);
    app.on(methods, '/api/hash', fromBody, answer);
    app.on(
      methods,
      '/api/hash-header',
      guard((c) => c.req.header('x-vk-sign-payload')),
      answer,
    );
    app.on(methods, '/api/hash-throws', guard(brokenPayload), answer);
    app.on(methods, '/open/hash', fromBody, answer);
    const roles = requireGroupRole(...GROUP_ROLES, { onError });
    app.on(methods, '/api/role', roles, answer);
    app.on(
      methods,
      '/api/groups/:groupId/role',
      requireGroupRole(...GROUP_ROLES, { groupId: (c) => groupIdOf(options, c.req.param('groupId')), onError }),
      answer,
    );
    app.on(methods, '/open/role', roles, answer);
    // Nothing to keep: the guard reads the body from the request, and Hono keeps it for the handler.
    app.on(
      ['GET', 'POST'],
      '/api/hash-body',
      requireCreateHash({ ...bodyBoundHashOptions(options), onError }),
      async (c: Context<Env>) => {
        const vk = c.get('vk');
        seen.push(vk);
        return c.json({ vk: vk ?? null, body: await c.req.json().catch(() => undefined) });
      },
    );
    return {
      seen,
      serverErrors,
      async send(sent) {
        const { method, path, headers, payload } = normalise(sent);
        return fromResponse(await app.request(path, { method, headers, body: payload }));
      },
      close: async () => {},
    };
  },
};
