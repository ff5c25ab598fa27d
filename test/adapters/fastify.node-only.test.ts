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
import type { LaunchParams } from '../../src/index.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';
import { challengeFor } from './fixtures.js';

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

// What every adapter does (valid launches, refusals, resolveUser, optional, getCredentials,
// restyling through setErrorHandler, CORS preflights, the cache, bad options) is the contract
// suite's, on Fastify 5 and 4 (contract.node-only.test.ts). Here: what is Fastify's own.
describe.each(versions)('vk-miniapp-auth/fastify on %s', (_version, Fastify) => {
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

  it('validates its own option, global, when registered; a bad option also fails app.ready()', async () => {
    // The options of every adapter are the contract suite's (contract.node-only.test.ts).
    app = Fastify();
    await expect(
      app.register(vkMiniAppAuth, { secret: SECRET, global: 'no' } as unknown as FastifyVkMiniAppAuthOptions),
    ).rejects.toThrow(/options\.global/);
    await app.close();
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
