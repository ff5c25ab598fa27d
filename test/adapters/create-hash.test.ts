// The CreateHash route guard of every adapter, over real HTTP (Next.js: its handlers called
// with Web Requests, as Next does): one scenario table, the same answers everywhere.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import fc from 'fast-check';
import Fastify, { type FastifyRequest } from 'fastify';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import Koa, { type Context as KoaContext, type Middleware as KoaMiddleware } from 'koa';
import compose from 'koa-compose';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as expressAdapter from '../../src/adapters/express/index.js';
import * as fastifyAdapter from '../../src/adapters/fastify/index.js';
import * as honoAdapter from '../../src/adapters/hono/index.js';
import * as koaAdapter from '../../src/adapters/koa/index.js';
import * as nextAdapter from '../../src/adapters/next/index.js';
import type { VkContext } from '../../src/adapters/shared/context.js';
import { VK_AUTH_ERROR_CODES, type VkAuthError } from '../../src/index.js';
import { createHashSign } from '../bridge/signers.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';
import { CHALLENGE_NO_CREDENTIALS, challengeFor } from './fixtures.js';

const USER_ID = 494075;
const APP_ID = 6736218;

/** What every app is built with: the launch-params check's `optional`, and a custom `onError` on the CreateHash guard. */
interface BuildOptions {
  optional?: boolean;
  restyle?: boolean;
}

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | null;
  /** The stable code of a refusal, whatever the framework's body shape. */
  code: unknown;
}

type Send = (path: string, headers?: Record<string, string>, body?: unknown) => Promise<Reply>;

interface Harness {
  send: Send;
  close: () => Promise<void>;
}

/**
 * Every app serves:
 * - POST /api/transfer: launch params, then a CreateHash sign over the body's `requestId`;
 * - POST /api/header: the same, the payload in the `X-VK-Sign-Payload` header;
 * - POST /api/plain: launch params only (the CreateHash guard is per route);
 * - POST /api/throws: a payload getter that throws (a server error, not a refusal);
 * - POST /open/transfer: the CreateHash guard without the launch-params check (a wiring mistake).
 * The guarded routes answer `{ user_id, requestId }`.
 */
type Build = (options: BuildOptions) => Promise<Harness>;

const guardOptions = { secret: SECRET, now };
const RESTYLED = 418;

function requestIdOf(body: unknown): string | undefined {
  return (body as { requestId?: string } | null | undefined)?.requestId;
}

const broken = (): string => {
  throw new Error('payload getter failed');
};

async function fromResponse(response: Response): Promise<Reply> {
  const text = await response.text();
  let body: Record<string, unknown> | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const code = typeof body?.code === 'string' ? body.code : body?.error;
  return { status: response.status, headers: response.headers, body, code };
}

async function listen(server: Server): Promise<Harness> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    send: (path, headers = {}, body = {}) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then(fromResponse),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

const buildExpress: Build = async ({ optional = false, restyle = false }) => {
  const { requireCreateHash, vkMiniAppAuth } = expressAdapter;
  const onError: expressAdapter.ExpressRequireCreateHashOptions['onError'] = restyle
    ? (error, _req, res) => {
        res.status(RESTYLED).json({ restyled: error.code });
      }
    : undefined;
  const app = express();
  app.set('env', 'test');
  app.use('/api', vkMiniAppAuth({ ...guardOptions, optional }));
  const answer: express.RequestHandler = (req, res) => {
    res.json({ user_id: req.vk?.params.vk_user_id ?? null, requestId: requestIdOf(req.body) ?? null });
  };
  const fromBody = requireCreateHash({ ...guardOptions, onError, payload: (req) => requestIdOf(req.body) });
  app.post('/api/transfer', express.json(), fromBody, answer);
  app.post(
    '/api/header',
    express.json(),
    requireCreateHash({ ...guardOptions, onError, payload: (req) => req.get('x-vk-sign-payload') }),
    answer,
  );
  app.post('/api/plain', express.json(), answer);
  app.post('/api/throws', requireCreateHash({ ...guardOptions, payload: broken }), answer);
  app.post('/open/transfer', express.json(), fromBody, answer);
  const handler: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(500).json({ handled: error instanceof Error ? error.message : String(error) });
  };
  app.use(handler);
  return listen(createServer(app));
};

const buildFastify: Build = async ({ optional = false }) => {
  const { requireCreateHash, vkMiniAppAuth } = fastifyAdapter;
  const app = Fastify();
  const answer = async (request: FastifyRequest) => ({
    user_id: request.vk?.params.vk_user_id ?? null,
    requestId: requestIdOf(request.body) ?? null,
  });
  const fromBody = requireCreateHash({ ...guardOptions, payload: (request) => requestIdOf(request.body) });
  await app.register(async (scope) => {
    await scope.register(vkMiniAppAuth, { ...guardOptions, optional });
    scope.post('/api/transfer', { preHandler: fromBody }, answer);
    scope.post(
      '/api/header',
      {
        preHandler: requireCreateHash({
          ...guardOptions,
          payload: (request) => request.headers['x-vk-sign-payload'] as string | undefined,
        }),
      },
      answer,
    );
    scope.post('/api/plain', answer);
    scope.post('/api/throws', { preHandler: requireCreateHash({ ...guardOptions, payload: broken }) }, answer);
  });
  // Outside the scope the plugin guards: request.vk was never set.
  app.post('/open/transfer', { preHandler: fromBody }, answer);
  await app.ready();
  return listen(app.server);
};

const buildHono: Build = async ({ optional = false, restyle = false }) => {
  const { requireCreateHash, vkMiniAppAuth } = honoAdapter;
  const onError: honoAdapter.HonoRequireCreateHashOptions['onError'] = restyle
    ? (error, c) => c.json({ restyled: error.code }, RESTYLED)
    : undefined;
  const body = async (c: { req: { json: () => Promise<unknown> } }) => requestIdOf(await c.req.json());
  const fromBody = requireCreateHash({ ...guardOptions, onError, payload: body });
  const app = new Hono();
  app.use('/api/*', vkMiniAppAuth({ ...guardOptions, optional }));
  // biome-ignore lint/suspicious/noExplicitAny: an untyped Hono app, as most are
  const answer = async (c: any) =>
    c.json({ user_id: c.get('vk')?.params.vk_user_id ?? null, requestId: (await body(c)) ?? null });
  app.post('/api/transfer', fromBody, answer);
  app.post(
    '/api/header',
    requireCreateHash({ ...guardOptions, onError, payload: (c) => c.req.header('x-vk-sign-payload') }),
    answer,
  );
  app.post('/api/plain', answer);
  app.post('/api/throws', requireCreateHash({ ...guardOptions, payload: broken }), answer);
  app.post('/open/transfer', fromBody, answer);
  app.onError((error, c) =>
    error instanceof HTTPException ? error.getResponse() : c.json({ handled: error.message }, 500),
  );
  // Hono on Node's own HTTP server: a Web Request in, the Web Response out.
  const server = createServer(async (req, res) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const response = await app.fetch(
      new Request(`http://localhost${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }),
    );
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    res.writeHead(response.status);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return listen(server);
};

const buildKoa: Build = async ({ optional = false, restyle = false }) => {
  const { requireCreateHash, vkMiniAppAuth } = koaAdapter;
  const onError: koaAdapter.KoaRequireCreateHashOptions['onError'] = restyle
    ? (error, ctx) => {
        ctx.status = RESTYLED;
        ctx.body = { restyled: error.code };
      }
    : undefined;
  const bodyOf = (ctx: KoaContext) => (ctx.request as unknown as { body?: unknown }).body;
  // A minimal JSON body parser, as koa-bodyparser would set ctx.request.body.
  const jsonBody: KoaMiddleware = async (ctx, next) => {
    let raw = '';
    for await (const chunk of ctx.req) raw += chunk;
    (ctx.request as unknown as { body?: unknown }).body = raw === '' ? undefined : JSON.parse(raw);
    await next();
  };
  const auth = vkMiniAppAuth({ ...guardOptions, optional }) as KoaMiddleware;
  const answer: KoaMiddleware = (ctx) => {
    const vk = (ctx.state as { vk?: VkContext | null }).vk;
    ctx.body = { user_id: vk?.params.vk_user_id ?? null, requestId: requestIdOf(bodyOf(ctx)) ?? null };
  };
  const fromBody = requireCreateHash({ ...guardOptions, onError, payload: (ctx) => requestIdOf(bodyOf(ctx)) });
  const routes: Record<string, KoaMiddleware[]> = {
    '/api/transfer': [auth, fromBody, answer],
    '/api/header': [
      auth,
      requireCreateHash({ ...guardOptions, onError, payload: (ctx) => ctx.get('x-vk-sign-payload') || undefined }),
      answer,
    ],
    '/api/plain': [auth, answer],
    '/api/throws': [auth, requireCreateHash({ ...guardOptions, payload: broken }), answer],
    '/open/transfer': [fromBody, answer],
  };
  const app = new Koa();
  app.silent = true;
  app.use(jsonBody).use((ctx, next) => compose(routes[ctx.path] ?? [])(ctx, next));
  return listen(createServer(app.callback()));
};

const buildNext: Build = async ({ optional = false, restyle = false }) => {
  const { requireCreateHash, vkMiniAppAuth } = nextAdapter;
  const onError: nextAdapter.NextRequireCreateHashOptions['onError'] = restyle
    ? (error) => Response.json({ restyled: error.code }, { status: RESTYLED })
    : undefined;
  const withVk = vkMiniAppAuth({ ...guardOptions, optional });
  const fromBody = requireCreateHash({
    ...guardOptions,
    onError,
    payload: async (request) => requestIdOf(await request.clone().json()),
  });
  const fromHeader = requireCreateHash({
    ...guardOptions,
    onError,
    payload: (request) => request.headers.get('x-vk-sign-payload'),
  });
  const answer = async (request: Request, ctx: { vk: VkContext | null }) =>
    Response.json({ user_id: ctx.vk?.params.vk_user_id ?? null, requestId: requestIdOf(await request.json()) ?? null });
  // `never`: each handler wants its own Next context; they are all called with the same one.
  const routes: Record<string, (request: Request, context: never) => Promise<Response>> = {
    '/api/transfer': withVk(fromBody(answer)),
    '/api/header': withVk(fromHeader(answer)),
    '/api/plain': withVk(answer),
    '/api/throws': withVk(requireCreateHash({ ...guardOptions, payload: broken })(answer)),
    '/open/transfer': async (request, context) => fromBody(answer)(request, context),
  };
  return {
    async send(path, headers = {}, body = {}) {
      const request = new Request(`http://localhost${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      const route = routes[path];
      if (!route) throw new Error(`no route ${path}`);
      // What Next does with a handler that throws: a 500.
      return route(request, { params: Promise.resolve({}) } as never).then(fromResponse, () =>
        fromResponse(new Response(null, { status: 500 })),
      );
    },
    close: async () => {},
  };
};

const adapters: [string, Build, { restyles: boolean }][] = [
  ['express', buildExpress, { restyles: true }],
  ['fastify', buildFastify, { restyles: false }],
  ['hono', buildHono, { restyles: true }],
  ['koa', buildKoa, { restyles: true }],
  ['next', buildNext, { restyles: true }],
];

let authorization: string;
beforeAll(async () => {
  authorization = `Bearer ${await launch()}`;
});

/** The `X-VK-Sign` and `X-VK-Sign-Ts` headers VKWebAppCreateHash's result becomes. */
function hashHeaders(
  payload: string,
  { userId = USER_ID, appId = APP_ID, ts = NOW_S }: { userId?: number; appId?: number; ts?: number } = {},
): Record<string, string> {
  return { 'x-vk-sign': createHashSign({ appId, userId, payload, ts }, SECRET), 'x-vk-sign-ts': String(ts) };
}

function expectRefusal(reply: Reply, code: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(401);
  expect(reply.code).toBe(code);
  expect(reply.headers.get('www-authenticate')).toBe(challengeFor(code));
  expect(typeof reply.body?.message).toBe('string');
  expect(String(reply.body?.message)).not.toContain(SECRET);
}

describe.each(adapters)('requireCreateHash, %s', (_name, build, { restyles }) => {
  let harness: Harness;
  let send: Send;
  /** The same app with `optional: true` on the launch-params check. */
  let optional: Harness;
  /** The same app with an `onError` on the CreateHash guard. */
  let restyled: Harness;
  beforeAll(async () => {
    [harness, optional, restyled] = await Promise.all([build({}), build({ optional: true }), build({ restyle: true })]);
    send = harness.send;
  });
  afterAll(async () => {
    await Promise.all([harness.close(), optional.close(), restyled.close()]);
  });

  it('lets in a request whose CreateHash sign is valid for the launch user, payload from the body', async () => {
    const reply = await send('/api/transfer', { authorization, ...hashHeaders('order-42') }, { requestId: 'order-42' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toEqual({ user_id: USER_ID, requestId: 'order-42' });
  });

  it('reads the payload from a header when told to', async () => {
    const headers = {
      authorization,
      'x-vk-sign-payload': 'pay 100 ₽'.replace('₽', 'RUB'),
      ...hashHeaders('pay 100 RUB'),
    };
    expect((await send('/api/header', headers)).status).toBe(200);
    expectRefusal(await send('/api/header', { ...headers, 'x-vk-sign-payload': 'pay 900 RUB' }), 'CREATE_HASH_INVALID');
  });

  it('guards only the routes that ask for it', async () => {
    const reply = await send('/api/plain', { authorization }, { requestId: 'x' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ user_id: USER_ID, requestId: 'x' });
  });

  it('CREATE_HASH_MISSING without the sign, the ts or the payload', async () => {
    const body = { requestId: 'order-42' };
    const { 'x-vk-sign': sign, 'x-vk-sign-ts': ts } = hashHeaders('order-42');
    expectRefusal(await send('/api/transfer', { authorization }, body), 'CREATE_HASH_MISSING');
    expectRefusal(
      await send('/api/transfer', { authorization, 'x-vk-sign': sign as string }, body),
      'CREATE_HASH_MISSING',
    );
    expectRefusal(
      await send('/api/transfer', { authorization, 'x-vk-sign-ts': ts as string }, body),
      'CREATE_HASH_MISSING',
    );
    expectRefusal(
      await send('/api/transfer', { authorization, ...hashHeaders('order-42') }, {}),
      'CREATE_HASH_MISSING',
    );
  });

  it('CREATE_HASH_INVALID for a tampered payload, ts or sign', async () => {
    const headers = { authorization, ...hashHeaders('order-42') };
    expectRefusal(await send('/api/transfer', headers, { requestId: 'order-43' }), 'CREATE_HASH_INVALID');
    const ts = { ...headers, 'x-vk-sign-ts': String(NOW_S - 1) };
    expectRefusal(await send('/api/transfer', ts, { requestId: 'order-42' }), 'CREATE_HASH_INVALID');
    const sign = hashHeaders('order-42')['x-vk-sign'] as string;
    const flipped = { ...headers, 'x-vk-sign': `${sign.slice(0, 10)}${sign[10] === 'A' ? 'B' : 'A'}${sign.slice(11)}` };
    expectRefusal(await send('/api/transfer', flipped, { requestId: 'order-42' }), 'CREATE_HASH_INVALID');
    expectRefusal(
      await send('/api/transfer', { ...headers, 'x-vk-sign': 'not-a-sign' }, { requestId: 'order-42' }),
      'CREATE_HASH_INVALID',
    );
  });

  it("CREATE_HASH_INVALID for another user's or another app's sign: the ids come from the launch params", async () => {
    const body = { requestId: 'order-42' };
    const otherUser = { authorization, ...hashHeaders('order-42', { userId: USER_ID + 1 }) };
    expectRefusal(await send('/api/transfer', otherUser, body), 'CREATE_HASH_INVALID');
    const otherApp = { authorization, ...hashHeaders('order-42', { appId: APP_ID + 1 }) };
    expectRefusal(await send('/api/transfer', otherApp, body), 'CREATE_HASH_INVALID');
    // The other user's own launch gets through with their sign.
    const theirs = `Bearer ${await launch({ vk_user_id: USER_ID + 1 })}`;
    const reply = await send('/api/transfer', { ...otherUser, authorization: theirs }, body);
    expect(reply.status).toBe(200);
    expect(reply.body?.user_id).toBe(USER_ID + 1);
  });

  it('CREATE_HASH_EXPIRED for a sign older than maxAge + clockSkew, TS_IN_FUTURE for one from the future', async () => {
    const body = { requestId: 'order-42' };
    const old = { authorization, ...hashHeaders('order-42', { ts: NOW_S - 3631 }) };
    expectRefusal(await send('/api/transfer', old, body), 'CREATE_HASH_EXPIRED');
    const edge = { authorization, ...hashHeaders('order-42', { ts: NOW_S - 3630 }) };
    expect((await send('/api/transfer', edge, body)).status).toBe(200);
    const future = { authorization, ...hashHeaders('order-42', { ts: NOW_S + 60 }) };
    expectRefusal(await send('/api/transfer', future, body), 'TS_IN_FUTURE');
  });

  it('refuses before the CreateHash check when the launch params are missing or bad', async () => {
    const hash = hashHeaders('order-42');
    expectRefusal(await send('/api/transfer', hash, { requestId: 'order-42' }), 'MISSING_CREDENTIALS');
    const forged = authorization.replace('vk_user_id=494075', 'vk_user_id=494076');
    expectRefusal(
      await send('/api/transfer', { ...hash, authorization: forged }, { requestId: 'order-42' }),
      'SIGN_INVALID',
    );
  });

  it('answers 500, not 401, when the guard has no launch-params check before it, or a getter throws', async () => {
    const headers = { authorization, ...hashHeaders('order-42') };
    expect((await send('/open/transfer', headers, { requestId: 'order-42' })).status).toBe(500);
    expect((await send('/api/throws', headers, { requestId: 'order-42' })).status).toBe(500);
  });

  it('answers random CreateHash headers with a 401 and a documented code, never a 500', async () => {
    const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(headerText, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
        fc.oneof(headerText, fc.nat().map(String)),
        fc.string(),
        async (sign, ts, requestId) => {
          const reply = await send(
            '/api/transfer',
            { authorization, 'x-vk-sign': sign, 'x-vk-sign-ts': ts },
            { requestId },
          );
          expect(reply.status).toBe(401);
          expect(VK_AUTH_ERROR_CODES).toContain(reply.code);
        },
      ),
      { numRuns: 40 },
    );
  });

  describe('with optional launch params', () => {
    it('refuses an anonymous request with MISSING_CREDENTIALS where a CreateHash sign is required', async () => {
      const hash = hashHeaders('order-42');
      expectRefusal(await optional.send('/api/transfer', hash, { requestId: 'order-42' }), 'MISSING_CREDENTIALS');
      expect((await optional.send('/api/plain', {}, { requestId: 'x' })).body).toEqual({
        user_id: null,
        requestId: 'x',
      });
      const reply = await optional.send('/api/transfer', { authorization, ...hash }, { requestId: 'order-42' });
      expect(reply.status).toBe(200);
    });
  });

  // Fastify restyles refusals with setErrorHandler (tested with its adapter), so its guard has no onError.
  if (!restyles) return;
  describe('with onError', () => {
    it("answers refusals the app's way", async () => {
      const reply = await restyled.send('/api/transfer', { authorization }, { requestId: 'order-42' });
      expect(reply.status).toBe(RESTYLED);
      expect(reply.body).toEqual({ restyled: 'CREATE_HASH_MISSING' });
      const ok = await restyled.send(
        '/api/transfer',
        { authorization, ...hashHeaders('order-42') },
        { requestId: 'order-42' },
      );
      expect(ok.status).toBe(200);
    });
  });
});

describe('requireCreateHash and CORS preflights', () => {
  const preflight = {
    origin: 'https://example.com',
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization, x-vk-sign, x-vk-sign-ts',
  };
  const payload = () => 'p';
  const noContent = () => new Response(null, { status: 204 });

  /** One OPTIONS request to `server`, with `headers`, over real HTTP. */
  async function options(server: Server, headers: Record<string, string>): Promise<Response> {
    const { close } = await listen(server);
    const { port } = server.address() as AddressInfo;
    try {
      return await fetch(`http://127.0.0.1:${port}/t`, { method: 'OPTIONS', headers });
    } finally {
      await close();
    }
  }

  // Express and Fastify type vk as possibly absent, so their guard lets a preflight through,
  // even where no launch-params check ran (any other request is then the wiring mistake's 500).
  it('express: lets a preflight through untouched', async () => {
    const app = express();
    app.set('env', 'test');
    app.options('/t', expressAdapter.requireCreateHash({ ...guardOptions, payload }), (_req, res) => {
      res.status(204).end();
    });
    expect((await options(createServer(app), preflight)).status).toBe(204);
    expect((await options(createServer(app), {})).status).toBe(500);
  });

  it('fastify: lets a preflight through untouched', async () => {
    const app = Fastify();
    app.options(
      '/t',
      { preHandler: fastifyAdapter.requireCreateHash({ ...guardOptions, payload }) },
      (_request, reply) => reply.code(204).send(),
    );
    await app.ready();
    const answer = (headers: Record<string, string>) => app.inject({ method: 'OPTIONS', url: '/t', headers });
    expect((await answer(preflight)).statusCode).toBe(204);
    expect((await answer({})).statusCode).toBe(500);
    await app.close();
  });

  // Hono, Koa and Next.js type vk as present: a preflight is checked like any request. Under
  // `optional`, it carries no launch, so the CreateHash guard refuses it.
  function expectNoCredentials(response: Response) {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(CHALLENGE_NO_CREDENTIALS);
  }

  it('hono: checks a preflight like any request', async () => {
    let handled = 0;
    const app = new Hono()
      .use(honoAdapter.vkMiniAppAuth({ ...guardOptions, optional: true }))
      .options('/t', honoAdapter.requireCreateHash({ ...guardOptions, payload }), () => {
        handled++;
        return noContent();
      });
    expectNoCredentials(await app.request('/t', { method: 'OPTIONS', headers: preflight }));
    expect(handled).toBe(0);
  });

  it('koa: checks a preflight like any request', async () => {
    let handled = 0;
    const app = new Koa()
      .use(koaAdapter.vkMiniAppAuth({ ...guardOptions, optional: true }) as KoaMiddleware)
      .use(koaAdapter.requireCreateHash({ ...guardOptions, payload }))
      .use((ctx) => {
        handled++;
        ctx.status = 204;
      });
    expectNoCredentials(await options(createServer(app.callback()), preflight));
    expect(handled).toBe(0);
  });

  it('next: checks a preflight like any request, in withCreateHash too', async () => {
    let handled = 0;
    const withVk = nextAdapter.vkMiniAppAuth({ ...guardOptions, optional: true });
    const withCreateHash = nextAdapter.requireCreateHash({ ...guardOptions, payload });
    const OPTIONS = withVk(
      withCreateHash(() => {
        handled++;
        return noContent();
      }),
    );
    expectNoCredentials(
      await OPTIONS(new Request('http://localhost/t', { method: 'OPTIONS', headers: preflight }), {}),
    );
    expect(handled).toBe(0);
  });
});

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
