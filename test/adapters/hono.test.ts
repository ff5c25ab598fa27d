import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { VkContext } from '../../src/adapters/common/context.js';
import {
  type HonoVkMiniAppAuthOptions,
  type VkEnv,
  type VkMiddleware,
  type VkVariables,
  vkMiniAppAuth,
} from '../../src/adapters/hono/index.js';
import { type LaunchParams, VkAuthError, type VkAuthErrorCode } from '../../src/index.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';
import { describeContract } from './contract.js';
import { hono } from './drivers/hono.js';
import { CHALLENGE_NO_CREDENTIALS, challengeFor, type User, users } from './fixtures.js';

const base = { secret: SECRET, now };

function auth(headers: Record<string, string> = {}): RequestInit {
  return { headers };
}

function bearer(value: string): RequestInit {
  return auth({ Authorization: `Bearer ${value}` });
}

/** An app with the middleware on /api/* and GET /api/me answering the user. */
function appWith(
  options: HonoVkMiniAppAuthOptions<User> & { optional?: false } = {
    ...base,
    resolveUser: (p) => users.getOrCreate(p.vk_user_id),
  },
) {
  return new Hono()
    .use('/api/*', vkMiniAppAuth<User>(options))
    .get('/api/me', (c) => c.json({ user_id: c.get('vk').user.id, vk_user_id: c.get('vk').params.vk_user_id }));
}

async function expectRefusal(response: Response, code: VkAuthErrorCode) {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe(challengeFor(code));
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: string; message: string };
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.message).not.toContain(SECRET);
}

afterEach(() => {
  vi.restoreAllMocks();
});

// What every adapter does (valid launches, refusals, resolveUser, optional, getCredentials,
// onError restyling, CORS preflights, the cache, bad options) is the contract suite's
// (contract.ts): contract.node-only.test.ts runs it in the node-crypto project, and the end of
// this file under Web Crypto. Here: what is Hono's own.
describe('vk-miniapp-auth/hono', () => {
  it('leaves routes outside the guarded path alone', async () => {
    const app = appWith().get('/health', (c) => c.text('ok'));
    expect(await (await app.request('/health')).text()).toBe('ok');
  });

  it('hands a refusal the onError option leaves to the default to app.onError, as the HTTPException’s cause', async () => {
    const banned = new VkAuthError('USER_REJECTED', 'Banned.');
    const seen: unknown[] = [];
    const restyled = appWith({
      ...base,
      resolveUser: async () => Promise.reject(banned),
      onError: (error) => {
        seen.push(error);
        return undefined;
      },
    });
    restyled.onError((error, c) => {
      seen.push(error instanceof HTTPException ? error.cause : error);
      return c.json({ reason: 'restyled' }, 403);
    });
    expect((await restyled.request('/api/me', bearer(await launch()))).status).toBe(403);
    expect(seen).toEqual([banned, banned]);
  });

  it('sends any other exception from resolveUser to Hono error handling: a 500 by default, never a 401', async () => {
    const failure = new Error('database is down');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = appWith({
      ...base,
      resolveUser: () => {
        throw failure;
      },
    });
    const response = await app.request('/api/me', bearer(await launch()));
    expect(response.status).toBe(500);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(logged).toHaveBeenCalledWith(failure);
  });

  it('throws an HTTPException carrying the VkAuthError, which app.onError can restyle', async () => {
    const app = appWith();
    app.onError((error, c) => {
      if (error instanceof HTTPException && VkAuthError.is(error.cause)) {
        expect(error.status).toBe(401);
        expect(error.message).toBe(error.cause.message);
        return c.json({ code: error.cause.code, detail: 'relaunch the app' }, 403);
      }
      return c.text('unexpected', 500);
    });
    const response = await app.request('/api/me', bearer(await launch({ vk_ts: NOW_S - 7200 })));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 'EXPIRED', detail: 'relaunch the app' });
  });

  it('answers with the Response the onError option returns, or the default when it returns nothing', async () => {
    const seen: unknown[] = [];
    const onError = (error: VkAuthError, c: Context) => {
      seen.push(c.req.path);
      return error.code === 'EXPIRED' ? c.json({ relaunch: true }, 401) : undefined;
    };
    const app = appWith({ ...base, onError });
    const expired = await app.request('/api/me', bearer(await launch({ vk_ts: NOW_S - 7200 })));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ relaunch: true });
    await expectRefusal(await app.request('/api/me'), 'MISSING_CREDENTIALS');
    expect(seen).toEqual(['/api/me', '/api/me']);
  });

  it('reads the credentials where getCredentials says: a cookie', async () => {
    const app = appWith({
      ...base,
      getCredentials: (c) => getCookie(c, 'vk_launch'),
      resolveUser: (p) => users.getOrCreate(p.vk_user_id),
    });
    const cookie = `theme=dark; vk_launch=${encodeURIComponent(await launch())}`;
    const response = await app.request('/api/me', auth({ Cookie: cookie }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user_id: 494075, vk_user_id: 494075 });
  });

  describe('CORS preflights', () => {
    const preflight: RequestInit = {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://example.com',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    };

    it('are answered by hono/cors mounted before the middleware, which keeps guarding the rest', async () => {
      let resolved = 0;
      const vkAuth = vkMiniAppAuth({
        ...base,
        resolveUser: (p) => {
          resolved++;
          return users.getOrCreate(p.vk_user_id);
        },
      });
      const app = new Hono()
        .use('*', cors())
        .use('/api/*', vkAuth)
        .get('/api/me', (c) => c.json({ user_id: c.get('vk').user.id }));
      const answered = await app.request('/api/me', preflight);
      expect(answered.status).toBe(204);
      expect(answered.headers.get('access-control-allow-origin')).toBe('*');
      expect(answered.headers.get('access-control-allow-headers')).toBe('authorization');
      expect(answered.headers.get('access-control-allow-methods')).toContain('GET');
      expect(answered.headers.get('www-authenticate')).toBeNull();
      expect(resolved).toBe(0);
      // The request the preflight was for is still checked, and its refusal carries the CORS header.
      const origin = { Origin: 'https://example.com' };
      const refused = await app.request('/api/me', auth(origin));
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
      await expectRefusal(refused, 'MISSING_CREDENTIALS');
      const allowed = await app.request('/api/me', auth({ ...origin, Authorization: `Bearer ${await launch()}` }));
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('*');
      expect(await allowed.json()).toEqual({ user_id: 494075 });

      // Mounted after the middleware, hono/cors never sees the preflight.
      const late = new Hono().use('/api/*', vkAuth).use('*', cors());
      const refusedPreflight = await late.request('/api/me', preflight);
      expect(refusedPreflight.status).toBe(401);
      expect(refusedPreflight.headers.get('www-authenticate')).toBe(CHALLENGE_NO_CREDENTIALS);
    });
  });

  it('works per route, with the user typed in the handler', async () => {
    const app = new Hono();
    app.get('/protected', vkMiniAppAuth({ ...base, resolveUser: (p) => users.getOrCreate(p.vk_user_id) }), (c) =>
      c.json({ user_id: c.get('vk').user.id }),
    );
    expect(await (await app.request('/protected', bearer(await launch()))).json()).toEqual({ user_id: 494075 });
    await expectRefusal(await app.request('/protected'), 'MISSING_CREDENTIALS');
  });
});

describe('vk-miniapp-auth/hono types', () => {
  const resolveUser = (params: LaunchParams) => users.getOrCreate(params.vk_user_id);

  it('infers the user from resolveUser into chained handlers, vk non-null by default', () => {
    new Hono().use('/api/*', vkMiniAppAuth({ secret: SECRET, resolveUser })).get('/api/me', (c) => {
      expectTypeOf(c.get('vk')).toEqualTypeOf<VkContext<User>>();
      expectTypeOf(c.var.vk.user).toEqualTypeOf<User>();
      return c.json({ user_id: c.get('vk').user.id });
    });
  });

  it('infers the user into the handler of an inline middleware', () => {
    new Hono().get('/me', vkMiniAppAuth({ secret: SECRET, resolveUser }), (c) => {
      expectTypeOf(c.get('vk').user).toEqualTypeOf<User>();
      return c.json(c.get('vk').user);
    });
  });

  it('infers a synchronous resolveUser and Context-using resolveUser too', () => {
    const middleware = vkMiniAppAuth({
      secret: SECRET,
      resolveUser: (params, c) => ({ id: params.vk_user_id, path: c.req.path }),
    });
    expectTypeOf(middleware).toEqualTypeOf<VkMiddleware<{ id: number; path: string }>>();
    expectTypeOf(middleware).toExtend<MiddlewareHandler<VkEnv<{ id: number; path: string }>>>();
  });

  it('makes vk nullable with optional: true only', () => {
    new Hono().use(vkMiniAppAuth({ secret: SECRET, resolveUser, optional: true })).get('/', (c) => {
      expectTypeOf(c.get('vk')).toEqualTypeOf<VkContext<User> | null>();
      return c.text('');
    });
    new Hono().use(vkMiniAppAuth({ secret: SECRET, resolveUser, optional: false })).get('/', (c) => {
      expectTypeOf(c.get('vk')).toEqualTypeOf<VkContext<User>>();
      return c.text('');
    });
    const flag: boolean = Math.random() > 2;
    new Hono().use(vkMiniAppAuth({ secret: SECRET, resolveUser, optional: flag })).get('/', (c) => {
      expectTypeOf(c.get('vk')).toEqualTypeOf<VkContext<User> | null>();
      return c.text('');
    });
  });

  it('has user undefined without resolveUser', () => {
    new Hono().use(vkMiniAppAuth({ secret: SECRET })).get('/', (c) => {
      expectTypeOf(c.get('vk')).toEqualTypeOf<VkContext<undefined>>();
      expectTypeOf(c.get('vk').params.vk_user_id).toEqualTypeOf<number>();
      return c.text('');
    });
  });

  it('takes false from resolveUser as a refusal, leaving it out of the user type', () => {
    const resolveUser = (params: { vk_user_id: number }): User | false =>
      params.vk_user_id > 0 ? { id: params.vk_user_id, name: 'Ivan' } : false;
    expectTypeOf(vkMiniAppAuth({ secret: SECRET, resolveUser })).toEqualTypeOf<VkMiddleware<User>>();
  });

  it('types an app that declares VkVariables up front, with no global augmentation', () => {
    const app = new Hono<{ Variables: VkVariables<User> }>();
    app.use('/api/*', vkMiniAppAuth({ secret: SECRET, resolveUser }));
    app.get('/api/me', (c) => {
      expectTypeOf(c.get('vk').user).toEqualTypeOf<User>();
      return c.json({ user_id: c.get('vk').user.id });
    });
    // Another app knows nothing of vk: the variable is not global.
    new Hono().get('/', (c) => {
      // @ts-expect-error vk is not in ContextVariableMap
      c.get('vk');
      return c.text('');
    });
    expectTypeOf<VkEnv<User, true>>().toEqualTypeOf<{ Variables: { vk: VkContext<User> | null } }>();
  });

  it('types the resolveUser request argument as Hono Context', () => {
    vkMiniAppAuth({
      secret: SECRET,
      resolveUser: (_params, c) => {
        expectTypeOf(c).toEqualTypeOf<Context>();
        return 1;
      },
      onError: (error, c) => {
        expectTypeOf(error).toEqualTypeOf<VkAuthError>();
        return c.json({ error: error.code }, 401);
      },
    });
  });
});

describe('vk-miniapp-auth/hono on Workers: the secret from c.env', () => {
  type Bindings = { VK_APP_SECRET: string };

  it('types vk in an app with its own Bindings', () => {
    new Hono<{ Bindings: Bindings }>()
      .use('/api/*', vkMiniAppAuth({ secret: SECRET, resolveUser: () => 1 }))
      .get('/api/x', (c) => {
        expectTypeOf(c.get('vk').user).toEqualTypeOf<number>();
        expectTypeOf(c.env.VK_APP_SECRET).toEqualTypeOf<string>();
        return c.text('');
      });
  });

  it('creates the middleware per request in the Hono idiom, keeping vk typed, with no cast', async () => {
    const app = new Hono<{ Bindings: Bindings; Variables: VkVariables<User> }>();
    app.use('/api/*', (c, next) =>
      vkMiniAppAuth({ secret: c.env.VK_APP_SECRET, now, resolveUser: (p) => users.getOrCreate(p.vk_user_id) })(c, next),
    );
    app.get('/api/me', (c) => {
      expectTypeOf(c.get('vk').user).toEqualTypeOf<User>();
      return c.json({ user_id: c.get('vk').user.id });
    });
    const response = await app.request('/api/me', bearer(await launch()), { VK_APP_SECRET: SECRET });
    expect(await response.json()).toEqual({ user_id: 494075 });
    await expectRefusal(await app.request('/api/me', {}, { VK_APP_SECRET: SECRET }), 'MISSING_CREDENTIALS');
  });
});

// The contract under Web Crypto, as on Workers: the web-crypto project runs this file, not
// contract.node-only.test.ts (which runs it for every adapter in the node-crypto project).
if (process.env.EXPECTED_CRYPTO_BACKEND === 'web') describeContract([hono]);
