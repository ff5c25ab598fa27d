// The CreateHash route guard of every adapter: what it does on a route (valid, missing,
// tampered, another user's and expired signs, the launch params first, optional, onError,
// CORS preflights, the 500 of a wiring mistake) is the contract suite's, for every adapter
// (contract.ts, run by contract.node-only.test.ts, and under Web Crypto for Hono and Next.js by
// hono.test.ts and next.test.ts). Here: its options.

import type express from 'express';
import { Hono } from 'hono';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as expressAdapter from '../../src/adapters/express/index.js';
import * as fastifyAdapter from '../../src/adapters/fastify/index.js';
import * as honoAdapter from '../../src/adapters/hono/index.js';
import * as koaAdapter from '../../src/adapters/koa/index.js';
import * as nextAdapter from '../../src/adapters/next/index.js';
import type { VkAuthError } from '../../src/index.js';
import { createHashSign } from '../bridge/signers.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';

const USER_ID = 494075;
const APP_ID = 6736218;

const guardOptions = { secret: SECRET, now };

function requestIdOf(body: unknown): string | undefined {
  return (body as { requestId?: string } | null | undefined)?.requestId;
}

let authorization: string;
beforeAll(async () => {
  authorization = `Bearer ${await launch()}`;
});

/** The `X-VK-Sign` and `X-VK-Sign-Ts` headers VKWebAppCreateHash's result becomes. */
function hashHeaders(payload: string, { ts = NOW_S }: { ts?: number } = {}): Record<string, string> {
  return {
    'x-vk-sign': createHashSign({ appId: APP_ID, userId: USER_ID, payload, ts }, SECRET),
    'x-vk-sign-ts': String(ts),
  };
}

describe('requireCreateHash options', () => {
  // Fastify restyles refusals with setErrorHandler, so its guard has no onError.
  const factories: [string, (options: never) => unknown, boolean][] = [
    ['express', expressAdapter.requireCreateHash, true],
    ['fastify', fastifyAdapter.requireCreateHash, false],
    ['hono', honoAdapter.requireCreateHash, true],
    ['koa', koaAdapter.requireCreateHash, true],
    ['next', nextAdapter.requireCreateHash, true],
  ];
  const payload = () => 'p';
  const bad: [unknown, RegExp][] = [
    [undefined, /options are required/],
    [{ secret: 42, payload }, /options\.secret/],
    [{ secret: [], payload }, /options\.secret/],
    [{ secret: SECRET }, /options\.payload/],
    [{ secret: SECRET, payload: 'requestId' }, /options\.payload/],
    [{ secret: SECRET, payload, sign: 'x-vk-sign' }, /options\.sign/],
    [{ secret: SECRET, payload, ts: 'x-vk-sign-ts' }, /options\.ts/],
    [{ secret: SECRET, payload, maxAge: -1 }, /options\.maxAge/],
    [{ secret: SECRET, payload, now: 'now' }, /options\.now/],
  ];

  it.each(factories)(
    '%s: a bad option throws a TypeError naming it, when the guard is created',
    (_name, factory, hasOnError) => {
      for (const [options, message] of bad) expect(() => factory(options as never)).toThrow(message);
      if (hasOnError)
        expect(() => factory({ secret: SECRET, payload, onError: 401 } as never)).toThrow(/options\.onError/);
      expect(() => factory({ secret: SECRET, payload } as never)).not.toThrow();
    },
  );

  it('reads sign and ts where the options say', async () => {
    const { requireCreateHash, vkMiniAppAuth } = honoAdapter;
    const app = new Hono().use(vkMiniAppAuth(guardOptions)).post(
      '/',
      requireCreateHash({
        ...guardOptions,
        maxAge: 60,
        payload: async (c) => requestIdOf(await c.req.json()),
        sign: async (c) => ((await c.req.json()) as { sign?: string }).sign,
        ts: async (c) => ((await c.req.json()) as { ts?: number }).ts,
      }),
      (c) => c.json({ ok: true }),
    );
    const sign = hashHeaders('order-42')['x-vk-sign'];
    const post = (body: unknown) =>
      app.request('/', { method: 'POST', headers: { authorization }, body: JSON.stringify(body) });
    expect((await post({ requestId: 'order-42', sign, ts: NOW_S })).status).toBe(200);
    const old = hashHeaders('order-42', { ts: NOW_S - 120 })['x-vk-sign'];
    const expired = await post({ requestId: 'order-42', sign: old, ts: NOW_S - 120 });
    expect(((await expired.json()) as { error: string }).error).toBe('CREATE_HASH_EXPIRED');
  });

  it('types the getters with the framework request, and the Next wrapper keeps ctx.vk', () => {
    expressAdapter.requireCreateHash({
      secret: SECRET,
      payload: (req) => {
        expectTypeOf(req).toEqualTypeOf<express.Request>();
        return req.get('x');
      },
    });
    const withVk = nextAdapter.vkMiniAppAuth({ secret: SECRET });
    const withHash = nextAdapter.requireCreateHash({ secret: SECRET, payload: () => 'p' });
    withVk(
      withHash(async (_request, ctx) => {
        expectTypeOf(ctx.vk.params.vk_user_id).toEqualTypeOf<number>();
        return Response.json({});
      }),
    );
    expectTypeOf<VkAuthError['code']>().toExtend<string>();
  });
});
