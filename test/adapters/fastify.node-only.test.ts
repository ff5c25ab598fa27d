import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import FastifyV4 from 'fastify-v4';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  type FastifyVkMiniAppAuthOptions,
  type RegisteredUser,
  type VkContext,
  type VkMiniAppAuthHook,
  vkMiniAppAuth,
} from '../../src/adapters/fastify/index.js';
import { type LaunchParams, VkAuthError } from '../../src/index.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';
import { ACCEPTED_APP_ID, CHALLENGE, challengeFor, REFUSED_CREDENTIALS } from './fixtures.js';

interface User {
  id: number;
  name: string;
}

const resolveUser = async (params: LaunchParams): Promise<User> => ({ id: params.vk_user_id, name: 'Ivan' });

/**
 * The id of the user resolveUser returned. `request.vk.user` is typed from `Register`, which
 * these tests leave to the program (another test file may declare it), hence the cast.
 */
function userId(request: FastifyRequest): number | null {
  return (request.vk?.user as unknown as User | undefined)?.id ?? null;
}

let app: FastifyInstance;
afterEach(async () => {
  await app?.close();
});

function get(authorization?: string, url = '/protected') {
  return app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });
}

/** Asserts Fastify's default refusal: 401, the challenge header, and its usual error shape with `code`. */
function expectRefusal(response: Awaited<ReturnType<typeof get>>, code: string) {
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe(challengeFor(code));
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.json()).toEqual({ statusCode: 401, code, error: 'Unauthorized', message: expect.any(String) });
  expect(response.body).not.toContain(SECRET);
}

/**
 * Fastify 4, installed under the npm alias `fastify-v4`, ships its own types, but the plugin's
 * (and the module augmentation that puts `vk` on the request) are written against Fastify 5's,
 * so the tests see both through Fastify 5's types. The types are tested once, on Fastify 5.
 */
const versions = [
  ['Fastify 5', Fastify],
  ['Fastify 4', FastifyV4 as unknown as typeof Fastify],
] as const;

describe.each(versions)('vk-miniapp-auth/fastify on %s', (_version, Fastify) => {
  /**
   * An app with the plugin registered globally and `GET /protected` answering
   * `{ user_id, vk_user_id }`; `setup` runs before the route is declared (an
   * error handler must be set before the routes it covers).
   */
  async function build(
    options: Partial<FastifyVkMiniAppAuthOptions<User>> = {},
    setup?: (app: FastifyInstance) => void,
  ): Promise<FastifyInstance> {
    app = Fastify();
    setup?.(app);
    await app.register(vkMiniAppAuth, { secret: SECRET, now, resolveUser, ...options });
    app.get('/protected', async (request) => ({
      user_id: userId(request),
      vk_user_id: request.vk?.params.vk_user_id ?? null,
    }));
    return app;
  }

  it('lets a valid launch in, with the user resolveUser returned on request.vk', async () => {
    await build();
    for (const scheme of ['Bearer ', 'VK ', '']) {
      const response = await get(`${scheme}${await launch()}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ user_id: 494075, vk_user_id: 494075 });
    }
  });

  it('refuses missing, malformed, tampered, expired, wrong-app, duplicate-key and oversize credentials', async () => {
    await build({ appId: ACCEPTED_APP_ID });
    for (const { authorization, code } of REFUSED_CREDENTIALS) expectRefusal(await get(await authorization()), code);
  });

  it('refuses with USER_REJECTED when resolveUser returns null or undefined', async () => {
    await build({ resolveUser: () => null });
    expectRefusal(await get(`Bearer ${await launch()}`), 'USER_REJECTED');
    await app.close();
    await build({ resolveUser: async () => undefined });
    expectRefusal(await get(`Bearer ${await launch()}`), 'USER_REJECTED');
  });

  it('refuses with the code of a VkAuthError resolveUser throws on purpose, through setErrorHandler', async () => {
    const banned = new VkAuthError('USER_REJECTED', 'Banned.');
    await build({
      resolveUser: () => {
        throw banned;
      },
    });
    expectRefusal(await get(`Bearer ${await launch()}`), 'USER_REJECTED');
    await app.close();
    const seen: unknown[] = [];
    await build({ resolveUser: async () => Promise.reject(banned) }, (app) =>
      app.setErrorHandler((error, _request, reply) => {
        seen.push(error);
        return reply.code(403).send({ reason: (error as VkAuthError).code });
      }),
    );
    const response = await get(`Bearer ${await launch()}`);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ reason: 'USER_REJECTED' });
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(seen).toEqual([banned]);
  });

  it('passes any other resolveUser exception to Fastify’s error handler as a 500, never a 401', async () => {
    const failure = new Error('database is down');
    const seen: unknown[] = [];
    await build(
      {
        resolveUser: () => {
          throw failure;
        },
      },
      (app) =>
        app.setErrorHandler((error, _request, reply) => {
          seen.push(error);
          reply.send(error); // Fastify's own answer for an error without a status: 500
        }),
    );
    const response = await get(`Bearer ${await launch()}`);
    expect(seen).toEqual([failure]);
    expect(response.statusCode).toBe(500);
    expect(response.headers['www-authenticate']).toBeUndefined();
    expect(response.json()).toMatchObject({ statusCode: 500, message: 'database is down' });
  });

  it('answers a resolveUser exception with a 500 from the default error handler too', async () => {
    await build({ resolveUser: async () => Promise.reject(new Error('database is down')) });
    const response = await get(`Bearer ${await launch()}`);
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ statusCode: 500, error: 'Internal Server Error' });
  });

  it('lets setErrorHandler restyle a refusal: the VkAuthError itself arrives there', async () => {
    await build({}, (app) =>
      app.setErrorHandler((error, _request, reply) => {
        if (VkAuthError.is(error)) return reply.code(error.status).send({ ok: false, reason: error.code });
        return reply.send(error);
      }),
    );
    const response = await get(`Bearer ${await launch({ vk_ts: NOW_S - 7200 })}`);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual({ ok: false, reason: 'EXPIRED' });
    expect((await get(`Bearer ${await launch()}`)).statusCode).toBe(200);
  });

  it('authenticates in onRequest, before the body is read: a bad body with bad credentials is a 401', async () => {
    app = Fastify({ bodyLimit: 1024 });
    await app.register(vkMiniAppAuth, { secret: SECRET, now });
    let handled = 0;
    app.post('/protected', async () => {
      handled++;
      return { ok: true };
    });
    const post = (payload: string, authorization?: string) =>
      app.inject({
        method: 'POST',
        url: '/protected',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        payload,
      });
    const invalidJson = '{"not": json';
    const tooBig = JSON.stringify({ pad: 'x'.repeat(4096) });
    expectRefusal(await post(invalidJson), 'MISSING_CREDENTIALS');
    expectRefusal(await post(tooBig, 'Bearer forged'), 'MALFORMED');
    expectRefusal(await post(tooBig, `Bearer ${await launch({ vk_ts: NOW_S - 7200 })}`), 'EXPIRED');
    // With good credentials, the body is then parsed as usual and refused by Fastify itself.
    const valid = `Bearer ${await launch()}`;
    expect((await post(invalidJson, valid)).statusCode).toBe(400);
    expect((await post(tooBig, valid)).statusCode).toBe(413);
    expect((await post('{"ok": 1}', valid)).statusCode).toBe(200);
    expect(handled).toBe(1);
  });

  it('optional: no credentials let through with vk null, bad credentials still refused', async () => {
    await build({ optional: true });
    const anonymous = await get();
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ user_id: null, vk_user_id: null });
    expectRefusal(await get(`Bearer ${await launch({ vk_ts: NOW_S - 7200 })}`), 'EXPIRED');
    expect((await get(`Bearer ${await launch()}`)).json()).toEqual({ user_id: 494075, vk_user_id: 494075 });
  });

  it('getCredentials reads a custom header or a cookie instead of Authorization', async () => {
    await build({ getCredentials: (request) => request.headers['x-launch-params'] as string | undefined });
    const query = await launch();
    expect((await app.inject({ url: '/protected', headers: { 'x-launch-params': query } })).statusCode).toBe(200);
    expectRefusal(await get(`Bearer ${query}`), 'MISSING_CREDENTIALS');
    await app.close();

    const fromCookie = (request: FastifyRequest) => {
      const cookie = request.headers.cookie?.split('; ').find((pair) => pair.startsWith('vk_launch='));
      return cookie === undefined ? undefined : decodeURIComponent(cookie.slice('vk_launch='.length));
    };
    await build({ getCredentials: fromCookie });
    const response = await app.inject({
      url: '/protected',
      headers: { cookie: `a=1; vk_launch=${encodeURIComponent(query)}` },
    });
    expect(response.json()).toEqual({ user_id: 494075, vk_user_id: 494075 });
    expectRefusal(await app.inject({ url: '/protected', headers: { cookie: 'a=1' } }), 'MISSING_CREDENTIALS');
  });

  it('lets a CORS preflight through untouched', async () => {
    await build();
    app.options('/protected', async (_request, reply) =>
      reply.code(204).header('access-control-allow-origin', '*').send(),
    );
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/protected',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['www-authenticate']).toBeUndefined();
    // A plain OPTIONS is not a preflight: it needs credentials like anything else.
    expectRefusal(await app.inject({ method: 'OPTIONS', url: '/protected' }), 'MISSING_CREDENTIALS');
  });

  it('validates options when registered, before any request', async () => {
    const bad: unknown[] = [
      { secret: 42 },
      { secret: [] },
      { secret: SECRET, maxAge: -1 },
      { secret: SECRET, resolveUser: 'yes' },
      { secret: SECRET, getCredentials: 42 },
      { secret: SECRET, optional: 'true' },
      { secret: SECRET, global: 'no' },
    ];
    for (const options of bad) {
      app = Fastify();
      await expect(app.register(vkMiniAppAuth, options as FastifyVkMiniAppAuthOptions)).rejects.toThrow(TypeError);
      await app.close();
    }
    app = Fastify();
    app.register(vkMiniAppAuth, { secret: [] });
    await expect(app.ready()).rejects.toThrow(/secret/);
  });

  it('global: false registers only the app.vkMiniAppAuth hook, for the routes that use it', async () => {
    app = Fastify();
    await app.register(vkMiniAppAuth, { secret: SECRET, now, resolveUser, global: false });
    app.get('/public', async (request) => ({ vk: request.vk }));
    app.get('/protected', { onRequest: app.vkMiniAppAuth }, async (request) => ({
      user_id: userId(request),
    }));
    app.register(async (scope) => {
      scope.addHook('onRequest', scope.vkMiniAppAuth);
      scope.get('/scoped', async (request) => ({ user_id: userId(request) }));
    });
    expect((await get(undefined, '/public')).json()).toEqual({ vk: null });
    expectRefusal(await get(undefined, '/protected'), 'MISSING_CREDENTIALS');
    expectRefusal(await get(undefined, '/scoped'), 'MISSING_CREDENTIALS');
    const valid = `Bearer ${await launch()}`;
    expect((await get(valid, '/protected')).json()).toEqual({ user_id: 494075 });
    expect((await get(valid, '/scoped')).json()).toEqual({ user_id: 494075 });
  });

  it('guards only the scope it is registered in (fastify-plugin: no encapsulation of its own)', async () => {
    app = Fastify();
    app.get('/health', async (request) => ({ ok: true, vk: request.vk ?? null }));
    await app.register(
      async (api) => {
        await api.register(vkMiniAppAuth, { secret: SECRET, now, resolveUser });
        api.get('/me', async (request) => request.vk?.user);
      },
      { prefix: '/api' },
    );
    expect((await get(undefined, '/health')).json()).toEqual({ ok: true, vk: null });
    expectRefusal(await get(undefined, '/api/me'), 'MISSING_CREDENTIALS');
    expect((await get(`Bearer ${await launch()}`, '/api/me')).json()).toEqual({ id: 494075, name: 'Ivan' });
    expect(app.hasPlugin('vk-miniapp-auth')).toBe(false);
  });

  it('fails at start-up when registered twice in one chain of scopes; sibling scopes may each have one', async () => {
    app = Fastify();
    await app.register(vkMiniAppAuth, { secret: SECRET, global: false });
    app.register(async (child) => {
      await child.register(vkMiniAppAuth, { secret: SECRET });
    });
    await expect(app.ready()).rejects.toThrow(/already registered/);
    await app.close();

    app = Fastify();
    for (const [prefix, appId] of [
      ['/a', 6736218],
      ['/b', 7000000],
    ] as const) {
      app.register(
        async (scope) => {
          await scope.register(vkMiniAppAuth, { secret: SECRET, now, appId });
          scope.get('/me', async (request) => ({ app: request.vk?.params.vk_app_id }));
        },
        { prefix },
      );
    }
    const valid = `Bearer ${await launch()}`;
    expect((await get(valid, '/a/me')).json()).toEqual({ app: 6736218 });
    expectRefusal(await get(valid, '/b/me'), 'APP_ID_MISMATCH');
  });
});

describe('vk-miniapp-auth/fastify types', () => {
  it('types request.vk and app.vkMiniAppAuth through Fastify’s own module augmentation', async () => {
    // The user type cannot be inferred from resolveUser here: Fastify types request state by
    // augmenting FastifyRequest, once for the whole program, so the user type comes from the
    // `Register` declaration (RegisteredUser). What can be checked without declaring it:
    app = Fastify();
    await app.register(vkMiniAppAuth, { secret: SECRET, now, resolveUser });
    app.get<{ Querystring: { q: string } }>('/typed', { onRequest: app.vkMiniAppAuth }, async (request) => {
      expectTypeOf(request.vk).toEqualTypeOf<VkContext<RegisteredUser> | null>();
      if (request.vk) {
        expectTypeOf(request.vk.params).toEqualTypeOf<LaunchParams>();
        expectTypeOf(request.vk.params.vk_user_id).toEqualTypeOf<number>();
        expectTypeOf(request.vk.user).toEqualTypeOf<RegisteredUser>();
      }
      return { q: request.query.q };
    });
    app.addHook('preHandler', app.vkMiniAppAuth);
    expectTypeOf(app.vkMiniAppAuth).toEqualTypeOf<VkMiniAppAuthHook>();
    expectTypeOf<VkMiniAppAuthHook>().parameters.toEqualTypeOf<[FastifyRequest, FastifyReply]>();

    // resolveUser and getCredentials receive Fastify's request and the verified params.
    const typed: FastifyVkMiniAppAuthOptions<User> = {
      secret: SECRET,
      resolveUser: (params, request) => {
        expectTypeOf(params).toEqualTypeOf<LaunchParams>();
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
        return { id: params.vk_user_id, name: request.hostname };
      },
      getCredentials: (request) => {
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
        return request.headers.authorization;
      },
    };
    expectTypeOf(typed).toMatchTypeOf<FastifyVkMiniAppAuthOptions>();
    const wrongUser: FastifyVkMiniAppAuthOptions<User> = {
      secret: SECRET,
      // @ts-expect-error: annotated options check what resolveUser returns
      resolveUser: () => ({ id: 'not a number' }),
    };
    expect(wrongUser).toBeDefined();
    // Never called: only the compiler looks at it.
    const _untyped = () => {
      // @ts-expect-error: the secret is required
      app.register(vkMiniAppAuth, { appId: 1 });
    };
    await app.ready();
  });
});
