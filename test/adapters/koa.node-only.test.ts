import Koa, { type Context, type Middleware } from 'koa';
import KoaV2 from 'koa-v2';
import request from 'supertest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type KoaVkMiniAppAuthOptions,
  type VkContext,
  type VkState,
  vkMiniAppAuth,
} from '../../src/adapters/koa/index.js';
import { type LaunchParams, VkAuthError } from '../../src/index.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';
import { ACCEPTED_APP_ID, BAD_OPTIONS, challengeFor, REFUSED_CREDENTIALS } from './fixtures.js';

interface User {
  id: number;
  name: string;
}

const users = {
  async getOrCreate(vkUserId: number): Promise<User> {
    return { id: vkUserId, name: 'Ivan' };
  },
};

const resolveUser = (params: LaunchParams) => users.getOrCreate(params.vk_user_id);

type Options = Partial<KoaVkMiniAppAuthOptions<User>> & { optional?: boolean };

/**
 * A `KoaApp` (Koa 3 or Koa 2) app: an outer error-catching middleware (Koa's idiom) that records
 * what reaches it and rethrows, the adapter, then a handler answering the seed example's
 * `{ user_id }` (plus the verified `vk_user_id`) and a 204 for OPTIONS. `app.on('error')` records
 * what Koa's own error handling sees.
 */
function build(KoaApp: typeof Koa, options: Options = {}) {
  const caught: unknown[] = [];
  const reported: unknown[] = [];
  const app = new KoaApp()
    .use(async (_ctx, next) => {
      try {
        await next();
      } catch (error) {
        caught.push(error);
        throw error;
      }
    })
    .use(vkMiniAppAuth({ secret: SECRET, now, resolveUser, ...options }))
    .use((ctx) => {
      if (ctx.method === 'OPTIONS') {
        ctx.status = 204;
        ctx.set('Access-Control-Allow-Origin', '*');
        ctx.set('X-Saw-Vk', String(ctx.state.vk));
        return;
      }
      const vk = ctx.state.vk;
      ctx.body = { user_id: vk?.user?.id ?? null, vk_user_id: vk?.params.vk_user_id ?? null, vk: vk ?? null };
    });
  app.on('error', (error) => reported.push(error));
  return { server: app.callback(), caught, reported };
}

function get(server: ReturnType<Koa['callback']>, authorization?: string) {
  const test = request(server).get('/protected');
  return authorization === undefined ? test : test.set('Authorization', authorization);
}

function expectRefusal(response: request.Response, code: string) {
  expect(response.status).toBe(401);
  expect(response.headers['www-authenticate']).toBe(challengeFor(code));
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body).toEqual({ error: code, message: expect.any(String) });
  expect(response.body.message).not.toContain(SECRET);
}

const versions = [
  ['Koa 3', Koa],
  ['Koa 2', KoaV2],
] as const;

describe.each(versions)('vk-miniapp-auth/koa on %s', (_version, KoaApp) => {
  it('lets a valid launch in, with the user resolveUser returned on ctx.state.vk', async () => {
    const { server } = build(KoaApp);
    const query = await launch();
    for (const authorization of [`Bearer ${query}`, `VK ${query}`, query]) {
      const response = await get(server, authorization);
      expect(response.status).toBe(200);
      expect(response.body.user_id).toBe(494075);
      expect(response.body.vk_user_id).toBe(494075);
      expect(response.body.vk.user).toEqual({ id: 494075, name: 'Ivan' });
      expect(response.body.vk.params).toMatchObject({ vk_user_id: 494075, vk_app_id: 6736218 });
    }
  });

  it('passes resolveUser the verified params and the Koa context', async () => {
    const seen: unknown[] = [];
    const { server } = build(KoaApp, {
      resolveUser: (params, ctx) => {
        seen.push(params.vk_user_id, ctx.get('X-Request-Id'), ctx.path);
        return { id: params.vk_user_id, name: 'Ivan' };
      },
    });
    expect((await get(server, `Bearer ${await launch()}`).set('X-Request-Id', 'r1')).status).toBe(200);
    expect(seen).toEqual([494075, 'r1', '/protected']);
  });

  it('without resolveUser, lets a valid launch in with the params and an undefined user', async () => {
    const { server } = build(KoaApp, { resolveUser: undefined });
    const response = await get(server, `Bearer ${await launch()}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ user_id: null, vk_user_id: 494075 });
    expect(response.body.vk).not.toHaveProperty('user');
  });

  describe('refuses with 401, WWW-Authenticate and {"error": CODE, "message"}', () => {
    it('MISSING_CREDENTIALS without an Authorization header, or with an empty one or a scheme alone', async () => {
      const { server, caught, reported } = build(KoaApp);
      expectRefusal(await get(server), 'MISSING_CREDENTIALS');
      expectRefusal(await get(server, ''), 'MISSING_CREDENTIALS');
      expectRefusal(await get(server, 'Bearer'), 'MISSING_CREDENTIALS');
      // A refusal is an answer, not an error for the app's error handling.
      expect(caught).toEqual([]);
      expect(reported).toEqual([]);
    });

    for (const { name, authorization, code } of REFUSED_CREDENTIALS) {
      it(`${code} for ${name}`, async () => {
        const { server } = build(KoaApp, { appId: ACCEPTED_APP_ID });
        expectRefusal(await get(server, await authorization()), code);
      });
    }

    it('USER_REJECTED when resolveUser returns null or undefined', async () => {
      for (const rejecting of [() => null, async () => undefined]) {
        const { server, caught } = build(KoaApp, { resolveUser: rejecting });
        expectRefusal(await get(server, `Bearer ${await launch()}`), 'USER_REJECTED');
        expect(caught).toEqual([]);
      }
    });
  });

  describe('resolveUser throwing', () => {
    it('refuses with the code of a VkAuthError it throws on purpose, a refusal like any other', async () => {
      const banned = new VkAuthError('USER_REJECTED', 'Banned.');
      const { server, caught, reported } = build(KoaApp, {
        resolveUser: () => {
          throw banned;
        },
      });
      expectRefusal(await get(server, `Bearer ${await launch()}`), 'USER_REJECTED');
      expect(caught).toEqual([]);
      expect(reported).toEqual([]);
      const seen: unknown[] = [];
      const restyled = build(KoaApp, {
        resolveUser: async () => Promise.reject(banned),
        onError: (error, ctx) => {
          seen.push(error);
          ctx.status = 403;
          ctx.body = { reason: error.code };
        },
      });
      const response = await get(restyled.server, `Bearer ${await launch()}`);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ reason: 'USER_REJECTED' });
      expect(seen).toEqual([banned]);
    });

    it('throws any other exception, as it is, on to Koa: error middleware, app.on("error"), a 500', async () => {
      const failure = new Error('database is down');
      const throwing = [
        () => {
          throw failure;
        },
        async () => Promise.reject(failure),
      ];
      for (const resolveUser of throwing) {
        const { server, caught, reported } = build(KoaApp, { resolveUser });
        const response = await get(server, `Bearer ${await launch()}`);
        expect(response.status).toBe(500);
        expect(response.text).toBe('Internal Server Error');
        expect(response.headers['www-authenticate']).toBeUndefined();
        expect(caught).toEqual([failure]);
        expect(reported).toEqual([failure]);
      }
    });

    it('treats getCredentials failing the same way', async () => {
      const failure = new Error('session store is down');
      const { server, reported } = build(KoaApp, {
        getCredentials: () => {
          throw failure;
        },
      });
      expect((await get(server, `Bearer ${await launch()}`)).status).toBe(500);
      expect(reported).toEqual([failure]);
    });
  });

  describe('optional mode', () => {
    it('lets a request without credentials through with ctx.state.vk = null', async () => {
      const { server } = build(KoaApp, { optional: true });
      for (const authorization of [undefined, '', '  ']) {
        const response = await get(server, authorization);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ user_id: null, vk_user_id: null, vk: null });
      }
    });

    it('still lets valid credentials in and refuses bad ones', async () => {
      const { server } = build(KoaApp, { optional: true });
      expect((await get(server, `Bearer ${await launch()}`)).body.user_id).toBe(494075);
      expectRefusal(await get(server, `Bearer ${await launch({ vk_ts: NOW_S - 7200 })}`), 'EXPIRED');
      expectRefusal(await get(server, 'Bearer garbage'), 'MALFORMED');
    });

    it('still refuses a user resolveUser rejects', async () => {
      const { server } = build(KoaApp, { optional: true, resolveUser: () => null });
      expectRefusal(await get(server, `Bearer ${await launch()}`), 'USER_REJECTED');
    });
  });

  describe('getCredentials', () => {
    it('reads a custom header instead of Authorization', async () => {
      const { server } = build(KoaApp, { getCredentials: (ctx) => ctx.get('X-Launch-Params') });
      const query = await launch();
      const response = await request(server).get('/protected').set('X-Launch-Params', query);
      expect(response.status).toBe(200);
      expect(response.body.user_id).toBe(494075);
      expectRefusal(await get(server, `Bearer ${query}`), 'MISSING_CREDENTIALS');
    });

    it('reads a cookie through ctx.cookies (base64url of the query), asynchronously', async () => {
      const { server } = build(KoaApp, { getCredentials: async (ctx) => ctx.cookies.get('vk_launch') });
      const cookie = `theme=dark; vk_launch=${Buffer.from(await launch()).toString('base64url')}`;
      const response = await request(server).get('/protected').set('Cookie', cookie);
      expect(response.status).toBe(200);
      expect(response.body.user_id).toBe(494075);
      expectRefusal(await request(server).get('/protected').set('Cookie', 'theme=dark'), 'MISSING_CREDENTIALS');
    });

    it('combines with optional: no cookie means anonymous', async () => {
      const { server } = build(KoaApp, { optional: true, getCredentials: (ctx) => ctx.cookies.get('vk_launch') });
      expect((await get(server)).body).toEqual({ user_id: null, vk_user_id: null, vk: null });
    });
  });

  describe('CORS preflights', () => {
    const preflight = (server: ReturnType<Koa['callback']>) =>
      request(server)
        .options('/protected')
        .set('Origin', 'https://example.com')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');

    it('never reach the middleware after it: a preflight carries no credentials, so it is refused', async () => {
      let resolved = 0;
      const { server } = build(KoaApp, {
        resolveUser: (params) => {
          resolved++;
          return { id: params.vk_user_id, name: 'Ivan' };
        },
      });
      const response = await preflight(server);
      expectRefusal(response, 'MISSING_CREDENTIALS');
      expect(response.headers['x-saw-vk']).toBeUndefined(); // the app's OPTIONS answer never ran
      expect(resolved).toBe(0);
    });

    it('go on with ctx.state.vk null under optional: true, as any anonymous request', async () => {
      const { server } = build(KoaApp, { optional: true });
      const response = await preflight(server);
      expect(response.status).toBe(204);
      expect(response.headers['x-saw-vk']).toBe('null');
    });

    it('are answered by a CORS middleware used before it, which leaves the rest to the check', async () => {
      // What @koa/cors does, in short: Allow-Origin on every answer, and a preflight answered here.
      const cors: Middleware = async (ctx, next) => {
        ctx.set('Access-Control-Allow-Origin', '*');
        if (ctx.method !== 'OPTIONS' || !ctx.get('Access-Control-Request-Method')) return next();
        ctx.set('Access-Control-Allow-Headers', ctx.get('Access-Control-Request-Headers'));
        ctx.status = 204;
      };
      let resolved = 0;
      const app = new KoaApp()
        .use(cors)
        .use(
          vkMiniAppAuth({
            secret: SECRET,
            now,
            resolveUser: (params) => {
              resolved++;
              return users.getOrCreate(params.vk_user_id);
            },
          }),
        )
        .use((ctx) => {
          ctx.body = { user_id: ctx.state.vk.user.id };
        });
      const server = app.callback();
      const answered = await preflight(server);
      expect(answered.status).toBe(204);
      expect(answered.headers['access-control-allow-origin']).toBe('*');
      expect(answered.headers['access-control-allow-headers']).toBe('authorization');
      expect(answered.headers['www-authenticate']).toBeUndefined();
      expect(resolved).toBe(0);
      // The request the preflight was for is still checked, and its refusal carries the CORS header.
      const refused = await get(server).set('Origin', 'https://example.com');
      expectRefusal(refused, 'MISSING_CREDENTIALS');
      expect(refused.headers['access-control-allow-origin']).toBe('*');
      const allowed = await get(server, `Bearer ${await launch()}`).set('Origin', 'https://example.com');
      expect(allowed.body).toEqual({ user_id: 494075 });
      expect(resolved).toBe(1);
    });
  });

  describe('onError restyles refusals', () => {
    it('answers in the app’s own style, possibly asynchronously', async () => {
      const { server, caught } = build(KoaApp, {
        onError: async (error, ctx) => {
          await Promise.resolve();
          ctx.status = 403;
          ctx.body = { ok: false, reason: error.code };
        },
      });
      const response = await get(server, `Bearer ${await launch({ vk_ts: NOW_S - 7200 })}`);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ ok: false, reason: 'EXPIRED' });
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(caught).toEqual([]);
    });

    it('can throw the refusal to the app’s error-handling middleware, Koa’s idiom', async () => {
      const handled: unknown[] = [];
      const app = new KoaApp()
        .use(async (ctx, next) => {
          try {
            await next();
          } catch (error) {
            if (!VkAuthError.is(error)) throw error;
            handled.push(error);
            ctx.status = error.status;
            ctx.body = { errors: [{ code: error.code }] };
          }
        })
        .use(
          vkMiniAppAuth({
            secret: SECRET,
            now,
            onError: (error) => {
              throw error;
            },
          }),
        )
        .use((ctx) => {
          ctx.body = 'never';
        });
      const response = await request(app.callback()).get('/');
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ errors: [{ code: 'MISSING_CREDENTIALS' }] });
      expect(handled).toHaveLength(1);
      expect(VkAuthError.is(handled[0], 'MISSING_CREDENTIALS')).toBe(true);
    });

    it('lets an onError that throws or rejects reach Koa’s error handling, never swallowing it', async () => {
      const failure = new Error('onError broke');
      const broken = [
        () => {
          throw failure;
        },
        async () => Promise.reject(failure),
      ];
      for (const onError of broken) {
        const { server, reported } = build(KoaApp, { onError });
        expect((await get(server)).status).toBe(500);
        expect(reported).toEqual([failure]);
      }
    });

    it('does not see errors of the middleware after it', async () => {
      let called = 0;
      const reported: unknown[] = [];
      const app = new KoaApp()
        .use(
          vkMiniAppAuth({
            secret: SECRET,
            now,
            onError: () => {
              called++;
            },
          }),
        )
        .use(() => {
          throw new VkAuthError('EXPIRED', 'thrown by a handler');
        });
      app.on('error', (error) => reported.push(error));
      const response = await request(app.callback())
        .get('/')
        .set('Authorization', `Bearer ${await launch()}`);
      expect(response.status).toBe(401); // Koa's own handling of an error with status 401
      expect(called).toBe(0);
      expect(reported).toHaveLength(1);
    });
  });

  it('validates options when the middleware is created, with a TypeError naming the option', () => {
    for (const [options, message] of BAD_OPTIONS) {
      expect(() => vkMiniAppAuth(options as KoaVkMiniAppAuthOptions)).toThrow(TypeError);
      expect(() => vkMiniAppAuth(options as KoaVkMiniAppAuthOptions)).toThrow(message);
    }
  });
});

describe('vk-miniapp-auth/koa types', () => {
  it('infers the user type from resolveUser into ctx.state.vk, through Koa’s Middleware<StateT>', () => {
    const middleware = vkMiniAppAuth({ secret: SECRET, resolveUser: (params) => users.getOrCreate(params.vk_user_id) });
    expectTypeOf(middleware).toEqualTypeOf<Middleware<VkState<User>>>();
    new Koa().use(middleware).use((ctx) => {
      expectTypeOf(ctx.state.vk).toEqualTypeOf<VkContext<User>>();
      expectTypeOf(ctx.state.vk.params).toEqualTypeOf<LaunchParams>();
      expectTypeOf(ctx.state.vk.user).toEqualTypeOf<User>();
      expectTypeOf(ctx.state.vk.user.name).toEqualTypeOf<string>();
      // @ts-expect-error: the inferred user has no such field.
      ctx.state.vk.user.email;
    });
  });

  it('makes vk nullable with optional: true, and the user undefined without resolveUser', () => {
    new Koa()
      .use(vkMiniAppAuth({ secret: SECRET, optional: true, resolveUser }))
      .use((ctx) => expectTypeOf(ctx.state.vk).toEqualTypeOf<VkContext<User> | null>());
    const optional: boolean = Math.random() > 2;
    new Koa()
      .use(vkMiniAppAuth({ secret: SECRET, optional }))
      .use((ctx) => expectTypeOf(ctx.state.vk).toEqualTypeOf<VkContext<undefined> | null>());
    new Koa()
      .use(vkMiniAppAuth({ secret: SECRET, optional: false }))
      .use((ctx) => expectTypeOf(ctx.state.vk).toEqualTypeOf<VkContext<undefined>>());
  });

  it('types the state of a typed Koa app too', () => {
    const app = new Koa<VkState<User>>();
    app.use(vkMiniAppAuth({ secret: SECRET, resolveUser }));
    app.use((ctx) => expectTypeOf(ctx.state.vk.user).toEqualTypeOf<User>());
  });

  it('gives resolveUser, getCredentials and onError the Koa context', () => {
    vkMiniAppAuth({
      secret: SECRET,
      getCredentials: (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<Context>();
        return ctx.cookies.get('vk_launch');
      },
      resolveUser: (params, ctx) => {
        expectTypeOf(params).toEqualTypeOf<LaunchParams>();
        expectTypeOf(ctx).toEqualTypeOf<Context>();
        return null;
      },
      onError: (error, ctx) => {
        expectTypeOf(error).toEqualTypeOf<VkAuthError>();
        expectTypeOf(ctx).toEqualTypeOf<Context>();
      },
    });
  });
});
