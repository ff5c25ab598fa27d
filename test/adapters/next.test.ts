import { describe, expect, expectTypeOf, it } from 'vitest';
import type { VkContext } from '../../src/adapters/common/context.js';
import { type NextVkMiniAppAuthOptions, vkMiniAppAuth, type WithVk } from '../../src/adapters/next/index.js';
import type { LaunchParams, VkAuthError, VkAuthErrorCode } from '../../src/index.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';
import { describeContract } from './contract.js';
import { next } from './drivers/next.js';
import { challengeFor, type User, users } from './fixtures.js';

const base = { secret: SECRET, now };

/** What Next 15+ passes as the second argument of a route handler. */
type RouteContext = { params: Promise<{ id: string }> };
const routeContext = (id = '7'): RouteContext => ({ params: Promise.resolve({ id }) });

function request(headers: Record<string, string> = {}, init: RequestInit = {}) {
  return new Request('http://localhost/api/items/7', { ...init, headers });
}

function bearer(value: string) {
  return request({ Authorization: `Bearer ${value}` });
}

/** `export const GET = withVk(…)` of app/api/items/[id]/route.ts. */
function routeWith(
  options: NextVkMiniAppAuthOptions<User> & { optional?: false } = {
    ...base,
    resolveUser: (p) => users.getOrCreate(p.vk_user_id),
  },
) {
  const withVk = vkMiniAppAuth(options);
  return withVk<RouteContext>(async (_request, ctx) => {
    const { id } = await ctx.params;
    return Response.json({ id, user_id: ctx.vk.user.id, vk_user_id: ctx.vk.params.vk_user_id });
  });
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

// What every adapter does (valid launches, refusals, resolveUser, optional, getCredentials,
// onError restyling, CORS preflights, the cache, bad options) is the contract suite's
// (contract.ts): contract.node-only.test.ts runs it in the node-crypto project, and the end of
// this file under Web Crypto. Here: what is Next's own.
describe('vk-miniapp-auth/next', () => {
  it('lets a valid launch through, with the user in ctx.vk and Next params kept', async () => {
    const GET = routeWith();
    const response = await GET(bearer(await launch()), routeContext('42'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '42', user_id: 494075, vk_user_id: 494075 });
  });

  it('keeps a Next 14 context (plain params) and any other key as they are, and does not mutate it', async () => {
    const withVk = vkMiniAppAuth({ ...base, resolveUser: (p) => users.getOrCreate(p.vk_user_id) });
    const seen: unknown[] = [];
    const GET = withVk<{ params: { id: string }; extra: number }>((_request, ctx) => {
      seen.push(ctx);
      return Response.json({ id: ctx.params.id, extra: ctx.extra, user_id: ctx.vk.user.id });
    });
    const context = { params: { id: 'x' }, extra: 1 };
    expect(await (await GET(bearer(await launch()), context)).json()).toEqual({ id: 'x', extra: 1, user_id: 494075 });
    expect(context).toEqual({ params: { id: 'x' }, extra: 1 });
    expect(seen[0]).not.toBe(context);
    expect((seen[0] as { params: unknown }).params).toBe(context.params);
  });

  it("keeps a class-instance context, as proxy.ts gets (Next's NextFetchEvent): its methods work, it is not mutated", async () => {
    // Shaped as NextFetchEvent: state under a symbol, waitUntil on the prototype.
    const pending = Symbol('pending');
    class FetchEventLike {
      readonly [pending]: Promise<unknown>[] = [];
      readonly sourcePage = '/proxy';
      waitUntil(promise: Promise<unknown>): void {
        this[pending].push(promise);
      }
    }
    const event = new FetchEventLike();
    const proxy = vkMiniAppAuth(base)<FetchEventLike>((_request, ctx) => {
      ctx.waitUntil(Promise.resolve('logged'));
      return Response.json({ page: ctx.sourcePage, vk_user_id: ctx.vk.params.vk_user_id });
    });
    const response = await proxy(bearer(await launch()), event);
    expect(await response.json()).toEqual({ page: '/proxy', vk_user_id: 494075 });
    expect(event[pending]).toHaveLength(1);
    expect('vk' in event).toBe(false);
  });

  it('passes the Request to resolveUser, and the handler gets the same Request', async () => {
    const seen: unknown[] = [];
    const withVk = vkMiniAppAuth({
      ...base,
      resolveUser: (params, req) => {
        seen.push(req);
        return users.getOrCreate(params.vk_user_id);
      },
    });
    const GET = withVk((req) => {
      seen.push(req);
      return new Response('ok');
    });
    const req = bearer(await launch());
    expect((await GET(req, routeContext())).status).toBe(200);
    expect(seen).toEqual([req, req]);
    expect(seen[0]).toBe(req);
  });

  it('rethrows an exception from the handler as it is', async () => {
    const failure = new Error('handler failed');
    const GET = vkMiniAppAuth(base)(() => {
      throw failure;
    });
    await expect(GET(bearer(await launch()), undefined)).rejects.toBe(failure);
  });

  it('answers with the Response the onError option returns, or the default when it returns nothing', async () => {
    const seen: unknown[] = [];
    const GET = routeWith({
      ...base,
      onError: (error, req) => {
        seen.push(error.code, req.url);
        return error.code === 'EXPIRED' ? Response.json({ relaunch: true }, { status: 403 }) : undefined;
      },
    });
    const expired = await GET(bearer(await launch({ vk_ts: NOW_S - 7200 })), routeContext());
    expect(expired.status).toBe(403);
    expect(await expired.json()).toEqual({ relaunch: true });
    await expectRefusal(await GET(request(), routeContext()), 'MISSING_CREDENTIALS');
    expect(seen).toEqual([
      'EXPIRED',
      'http://localhost/api/items/7',
      'MISSING_CREDENTIALS',
      'http://localhost/api/items/7',
    ]);
  });

  describe('CORS preflights', () => {
    const preflight = () =>
      request(
        {
          Origin: 'https://example.com',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization',
        },
        { method: 'OPTIONS' },
      );

    it('are answered by an OPTIONS export left unwrapped, beside a wrapped GET', async () => {
      // app/api/items/[id]/route.ts, as Next calls it: the export named by the request's method.
      const answerPreflight = () =>
        new Response(null, {
          status: 204,
          headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization' },
        });
      const route: Record<string, (request: Request, context: RouteContext) => Promise<Response> | Response> = {
        GET: routeWith(),
        OPTIONS: answerPreflight, // not wrapped in withVk
      };
      const call = async (req: Request) => {
        const handler = route[req.method];
        if (handler === undefined) throw new Error(`no ${req.method} export`);
        return handler(req, routeContext());
      };
      const answered = await call(preflight());
      expect(answered.status).toBe(204);
      expect(answered.headers.get('access-control-allow-headers')).toBe('authorization');
      expect(answered.headers.get('www-authenticate')).toBeNull();
      await expectRefusal(await call(request({ Origin: 'https://example.com' })), 'MISSING_CREDENTIALS');
      expect((await call(bearer(await launch()))).status).toBe(200);
    });
  });

  it('checks the handler when it is wrapped', () => {
    const withVk = vkMiniAppAuth(base);
    expect(() => withVk(undefined as never)).toThrow(/withVk\(handler\) takes your route handler/);
  });
});

describe('vk-miniapp-auth/next types', () => {
  const resolveUser = (params: LaunchParams) => users.getOrCreate(params.vk_user_id);

  it('infers the user from resolveUser into ctx.vk, non-null by default', () => {
    const withVk = vkMiniAppAuth({ secret: SECRET, resolveUser });
    expectTypeOf(withVk).toEqualTypeOf<WithVk<VkContext<User>>>();
    withVk(async (request, ctx) => {
      expectTypeOf(request).toEqualTypeOf<Request>();
      expectTypeOf(ctx.vk).toEqualTypeOf<VkContext<User>>();
      expectTypeOf(ctx.vk.user).toEqualTypeOf<User>();
      return Response.json({ user_id: ctx.vk.user.id });
    });
  });

  it('makes ctx.vk nullable with optional: true only', () => {
    vkMiniAppAuth({ secret: SECRET, resolveUser, optional: true })((_request, ctx) => {
      expectTypeOf(ctx.vk).toEqualTypeOf<VkContext<User> | null>();
      return new Response();
    });
    vkMiniAppAuth({ secret: SECRET, resolveUser, optional: false })((_request, ctx) => {
      expectTypeOf(ctx.vk).toEqualTypeOf<VkContext<User>>();
      return new Response();
    });
    const flag: boolean = Math.random() > 2;
    vkMiniAppAuth({ secret: SECRET, resolveUser, optional: flag })((_request, ctx) => {
      expectTypeOf(ctx.vk).toEqualTypeOf<VkContext<User> | null>();
      return new Response();
    });
  });

  it('keeps Next params typed, and a NextRequest-like request type', () => {
    class FakeNextRequest extends Request {
      readonly nextUrl = new URL(this.url);
    }
    const withVk = vkMiniAppAuth({
      secret: SECRET,
      resolveUser: (params, req) => ({ id: params.vk_user_id, url: req.url }),
    });
    const GET = withVk<{ params: Promise<{ id: string }> }, FakeNextRequest>(async (request, ctx) => {
      expectTypeOf(request.nextUrl).toEqualTypeOf<URL>();
      expectTypeOf(ctx.params).toEqualTypeOf<Promise<{ id: string }>>();
      expectTypeOf(ctx.vk.user).toEqualTypeOf<{ id: number; url: string }>();
      return Response.json({ id: (await ctx.params).id });
    });
    expectTypeOf(GET).toEqualTypeOf<
      (request: FakeNextRequest, context: { params: Promise<{ id: string }> }) => Promise<Response>
    >();
  });

  it('exports a handler whose context is unknown when left out, which Next accepts for any route', () => {
    const GET = vkMiniAppAuth({ secret: SECRET })(() => new Response());
    expectTypeOf(GET).toEqualTypeOf<(request: Request, context: unknown) => Promise<Response>>();
    // Next's route type check (Next 15 and 16) calls it with { params: Promise<…> }.
    expectTypeOf<{ params: Promise<{ slug: string }> }>().toExtend<Parameters<typeof GET>[1]>();
  });

  it('types onError and resolveUser with the Request', () => {
    vkMiniAppAuth({
      secret: SECRET,
      resolveUser: (_params, req) => {
        expectTypeOf(req).toEqualTypeOf<Request>();
        return 1;
      },
      onError: (error, req) => {
        expectTypeOf(error).toEqualTypeOf<VkAuthError>();
        expectTypeOf(req).toEqualTypeOf<Request>();
        return undefined;
      },
    });
  });
});

// The contract under Web Crypto, as on Vercel Edge: the web-crypto project runs this file, not
// contract.node-only.test.ts (which runs it for every adapter in the node-crypto project).
if (process.env.EXPECTED_CRYPTO_BACKEND === 'web') describeContract([next]);
