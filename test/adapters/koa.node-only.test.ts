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
import { launch, now, SECRET } from '../helpers.js';
import { challengeFor } from './fixtures.js';

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

type Options = Partial<KoaVkMiniAppAuthOptions<User>>;

/** A `KoaApp` (Koa 3 or Koa 2) app: the adapter, then a handler answering the seed example's `{ user_id }`. */
function build(KoaApp: typeof Koa, options: Options = {}) {
  const app = new KoaApp().use(vkMiniAppAuth({ secret: SECRET, now, resolveUser, ...options })).use((ctx) => {
    ctx.body = { user_id: ctx.state.vk?.user.id };
  });
  return { server: app.callback() };
}

function get(server: ReturnType<Koa['callback']>, authorization?: string) {
  const test = request(server).get('/protected');
  return authorization === undefined ? test : test.set('Authorization', authorization);
}

function preflight(server: ReturnType<Koa['callback']>) {
  return request(server)
    .options('/protected')
    .set('Origin', 'https://example.com')
    .set('Access-Control-Request-Method', 'GET')
    .set('Access-Control-Request-Headers', 'authorization');
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

// What every adapter does (valid launches, refusals, resolveUser, optional, getCredentials,
// onError restyling, CORS preflights, the cache, bad options) is the contract suite's, on
// Koa 3 and 2 (contract.node-only.test.ts). Here: what is Koa's own.
describe.each(versions)('vk-miniapp-auth/koa on %s', (_version, KoaApp) => {
  it('reads the credentials from a cookie through ctx.cookies (base64url of the query)', async () => {
    const { server } = build(KoaApp, { getCredentials: (ctx) => ctx.cookies.get('vk_launch') });
    const cookie = `theme=dark; vk_launch=${Buffer.from(await launch()).toString('base64url')}`;
    const response = await request(server).get('/protected').set('Cookie', cookie);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user_id: 494075 });
    expectRefusal(await request(server).get('/protected').set('Cookie', 'theme=dark'), 'MISSING_CREDENTIALS');
  });

  it('leaves CORS preflights to a CORS middleware used before it, which leaves the rest to the check', async () => {
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

  describe('onError', () => {
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
