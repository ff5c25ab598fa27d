import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import expressV4 from 'express-v4';
import request from 'supertest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ExpressVkMiniAppAuthOptions,
  type RegisteredUser,
  type VkContext,
  vkMiniAppAuth,
} from '../../src/adapters/express/index.js';
import { type LaunchParams, VkAuthError } from '../../src/index.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';
import { ACCEPTED_APP_ID, BAD_OPTIONS, challengeFor, REFUSED_CREDENTIALS } from './fixtures.js';

/**
 * `req.vk.user` is typed from `Register`, which is global to the program: another test file
 * (express-register.types.node-only.test.ts) declares it. These tests hold whatever it says,
 * hence the cast to `RegisteredUser`.
 */
const resolveUser = async (params: LaunchParams) => ({ id: params.vk_user_id, name: 'Ivan' }) as RegisteredUser;

type Options = Partial<ExpressVkMiniAppAuthOptions>;

/**
 * An app with the middleware on `/api`, `GET /api/protected` answering the seed example's
 * `{ user_id }` (plus the verified `vk_user_id`), `GET /public` outside the guard, and an
 * error-handling middleware after everything that records what reaches it and answers 500.
 */
function build(createApp: () => Express, options: Options = {}, { errorHandler = true } = {}) {
  const errors: unknown[] = [];
  const app = createApp();
  app.set('env', 'test'); // Express's own final handler: no stack traces on stderr
  app.get('/public', (_req, res) => {
    res.json({ public: true });
  });
  app.use('/api', vkMiniAppAuth({ secret: SECRET, now, resolveUser, ...options }));
  app.get('/api/protected', (req, res) => {
    const user = req.vk?.user as { id: number } | undefined;
    res.json({ user_id: user?.id ?? null, vk_user_id: req.vk?.params.vk_user_id ?? null, vk: req.vk ?? null });
  });
  app.options('/api/protected', (req, res) => {
    res.status(204).set('Access-Control-Allow-Origin', '*').set('X-Saw-Vk', String(req.vk)).end();
  });
  if (errorHandler) {
    const handler: ErrorRequestHandler = (error, _req, res, _next) => {
      errors.push(error);
      res.status(500).json({ handled: error instanceof Error ? error.message : String(error) });
    };
    app.use(handler);
  }
  return { app, errors };
}

function expectRefusal(response: request.Response, code: string) {
  expect(response.status).toBe(401);
  expect(response.headers['www-authenticate']).toBe(challengeFor(code));
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body).toEqual({ error: code, message: expect.any(String) });
  expect(response.body.message).not.toContain(SECRET);
}

const versions = [
  ['Express 5', express],
  ['Express 4', expressV4],
] as const;

describe.each(versions)('vk-miniapp-auth/express on %s', (_version, createApp) => {
  const get = (app: Express, authorization?: string, url = '/api/protected') => {
    const test = request(app).get(url);
    return authorization === undefined ? test : test.set('Authorization', authorization);
  };

  it('lets a valid launch in, with the user resolveUser returned on req.vk', async () => {
    const { app } = build(createApp);
    const query = await launch();
    for (const authorization of [`Bearer ${query}`, `VK ${query}`, query, `Bearer ?${query}`]) {
      const response = await get(app, authorization);
      expect(response.status).toBe(200);
      expect(response.body.user_id).toBe(494075);
      expect(response.body.vk_user_id).toBe(494075);
      expect(response.body.vk.user).toEqual({ id: 494075, name: 'Ivan' });
      expect(response.body.vk.params).toMatchObject({
        vk_user_id: 494075,
        vk_app_id: 6736218,
        vk_platform: 'mobile_android',
      });
    }
  });

  it('passes resolveUser the verified params and the Express request', async () => {
    const seen: unknown[] = [];
    const { app } = build(createApp, {
      resolveUser: (params, req) => {
        seen.push(params.vk_user_id, req.get('x-request-id'));
        return { id: params.vk_user_id } as RegisteredUser;
      },
    });
    const response = await get(app, `Bearer ${await launch()}`).set('X-Request-Id', 'r1');
    expect(response.status).toBe(200);
    expect(seen).toEqual([494075, 'r1']);
  });

  it('without resolveUser, lets a valid launch in with the params and an undefined user', async () => {
    const { app } = build(createApp, { resolveUser: undefined });
    const response = await get(app, `Bearer ${await launch()}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ vk_user_id: 494075, user_id: null });
    expect(response.body.vk).not.toHaveProperty('user');
  });

  it('only guards the path it is mounted on', async () => {
    const { app } = build(createApp);
    const response = await get(app, undefined, '/public');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ public: true });
  });

  describe('refuses with 401, WWW-Authenticate and {"error": CODE, "message"}', () => {
    it('MISSING_CREDENTIALS without an Authorization header, or with an empty one or a scheme alone', async () => {
      const { app, errors } = build(createApp);
      expectRefusal(await get(app), 'MISSING_CREDENTIALS');
      expectRefusal(await get(app, ''), 'MISSING_CREDENTIALS');
      expectRefusal(await get(app, 'Bearer'), 'MISSING_CREDENTIALS');
      expect(errors).toEqual([]); // a refusal is an answer, not an error for the error middleware
    });

    for (const { name, authorization, code } of REFUSED_CREDENTIALS) {
      it(`${code} for ${name}`, async () => {
        const { app } = build(createApp, { appId: ACCEPTED_APP_ID });
        expectRefusal(await get(app, await authorization()), code);
      });
    }

    it('USER_REJECTED when resolveUser returns null or undefined', async () => {
      for (const rejecting of [() => null, async () => undefined]) {
        const { app, errors } = build(createApp, { resolveUser: rejecting });
        expectRefusal(await get(app, `Bearer ${await launch()}`), 'USER_REJECTED');
        expect(errors).toEqual([]);
      }
    });
  });

  describe('resolveUser throwing', () => {
    it('refuses with the code of a VkAuthError it throws on purpose, a refusal like any other', async () => {
      const banned = new VkAuthError('USER_REJECTED', 'Banned.');
      const { app, errors } = build(createApp, {
        resolveUser: () => {
          throw banned;
        },
      });
      expectRefusal(await get(app, `Bearer ${await launch()}`), 'USER_REJECTED');
      expect(errors).toEqual([]);
      const seen: unknown[] = [];
      const { app: restyled } = build(createApp, {
        resolveUser: async () => Promise.reject(banned),
        onError: (error, _req, res) => {
          seen.push(error);
          res.status(403).json({ reason: error.code });
        },
      });
      const response = await get(restyled, `Bearer ${await launch()}`);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ reason: 'USER_REJECTED' });
      expect(seen).toEqual([banned]);
    });

    it('hands any other exception, as it is, to a later error-handling middleware, sync or async', async () => {
      const failure = new Error('database is down');
      const throwing = [
        () => {
          throw failure;
        },
        async () => Promise.reject(failure),
      ];
      for (const resolveUser of throwing) {
        const { app, errors } = build(createApp, { resolveUser });
        const response = await get(app, `Bearer ${await launch()}`);
        expect(response.status).toBe(500);
        expect(response.body).toEqual({ handled: 'database is down' });
        expect(response.headers['www-authenticate']).toBeUndefined();
        expect(errors).toEqual([failure]);
      }
    });

    it('answers 500 from Express’s own final handler when the app has no error middleware', async () => {
      const { app } = build(
        createApp,
        { resolveUser: () => Promise.reject(new Error('database is down')) },
        { errorHandler: false },
      );
      const response = await get(app, `Bearer ${await launch()}`);
      expect(response.status).toBe(500);
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('treats getCredentials failing the same way', async () => {
      const failure = new Error('session store is down');
      const { app, errors } = build(createApp, {
        getCredentials: () => {
          throw failure;
        },
      });
      expect((await get(app, `Bearer ${await launch()}`)).status).toBe(500);
      expect(errors).toEqual([failure]);
    });
  });

  describe('optional mode', () => {
    it('lets a request without credentials through with req.vk = null', async () => {
      const { app } = build(createApp, { optional: true });
      for (const authorization of [undefined, '', '  ']) {
        const response = await get(app, authorization);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ user_id: null, vk_user_id: null, vk: null });
      }
    });

    it('still lets valid credentials in and refuses bad ones', async () => {
      const { app } = build(createApp, { optional: true });
      expect((await get(app, `Bearer ${await launch()}`)).body.user_id).toBe(494075);
      expectRefusal(await get(app, `Bearer ${await launch({ vk_ts: NOW_S - 7200 })}`), 'EXPIRED');
      expectRefusal(await get(app, 'Bearer garbage'), 'MALFORMED');
    });

    it('still refuses a user resolveUser rejects', async () => {
      const { app } = build(createApp, { optional: true, resolveUser: () => null });
      expectRefusal(await get(app, `Bearer ${await launch()}`), 'USER_REJECTED');
    });
  });

  describe('getCredentials', () => {
    it('reads a custom header instead of Authorization', async () => {
      const { app } = build(createApp, { getCredentials: (req) => req.get('X-Launch-Params') });
      const query = await launch();
      const response = await request(app).get('/api/protected').set('X-Launch-Params', query);
      expect(response.status).toBe(200);
      expect(response.body.user_id).toBe(494075);
      // Authorization is no longer looked at.
      expectRefusal(await get(app, `Bearer ${query}`), 'MISSING_CREDENTIALS');
    });

    it('reads a cookie (base64url of the query), asynchronously', async () => {
      const { app } = build(createApp, {
        getCredentials: async (req) => /(?:^|;\s*)vk_launch=([^;]*)/.exec(req.headers.cookie ?? '')?.[1],
      });
      const cookie = `theme=dark; vk_launch=${Buffer.from(await launch()).toString('base64url')}`;
      const response = await request(app).get('/api/protected').set('Cookie', cookie);
      expect(response.status).toBe(200);
      expect(response.body.user_id).toBe(494075);
      expectRefusal(await request(app).get('/api/protected').set('Cookie', 'theme=dark'), 'MISSING_CREDENTIALS');
    });

    it('combines with optional: no cookie means anonymous', async () => {
      const { app } = build(createApp, { optional: true, getCredentials: (req) => req.get('X-Launch-Params') });
      expect((await get(app)).body).toEqual({ user_id: null, vk_user_id: null, vk: null });
    });
  });

  describe('CORS preflight', () => {
    it('passes an OPTIONS request with Access-Control-Request-Method untouched', async () => {
      let resolved = 0;
      const { app } = build(createApp, {
        resolveUser: (params) => {
          resolved++;
          return { id: params.vk_user_id } as RegisteredUser;
        },
      });
      const response = await request(app)
        .options('/api/protected')
        .set('Origin', 'https://example.com')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['x-saw-vk']).toBe('undefined');
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(resolved).toBe(0);
    });

    it('still guards an OPTIONS request that is not a preflight', async () => {
      const { app } = build(createApp);
      const response = await request(app).options('/api/protected');
      expectRefusal(response, 'MISSING_CREDENTIALS');
    });
  });

  describe('onError restyles refusals', () => {
    it('answers in the app’s own style', async () => {
      const { app } = build(createApp, {
        onError: (error, _req, res) => {
          res.status(403).json({ ok: false, reason: error.code });
        },
      });
      const response = await get(app, `Bearer ${await launch({ vk_ts: NOW_S - 7200 })}`);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ ok: false, reason: 'EXPIRED' });
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('can hand the refusal to the app’s error-handling middleware with next(error)', async () => {
      const { app, errors } = build(createApp, { onError: (error, _req, _res, next) => next(error) });
      const response = await get(app);
      expect(response.status).toBe(500); // the test's error middleware answers 500 for everything
      expect(errors).toHaveLength(1);
      expect(VkAuthError.is(errors[0], 'MISSING_CREDENTIALS')).toBe(true);
      expect((errors[0] as VkAuthError).status).toBe(401);
    });

    it('sends an onError that throws or rejects to the error middleware, never swallowing it', async () => {
      const failure = new Error('onError broke');
      const broken = [
        () => {
          throw failure;
        },
        async () => Promise.reject(failure),
      ];
      for (const onError of broken) {
        const { app, errors } = build(createApp, { onError });
        expect((await get(app)).status).toBe(500);
        expect(errors).toEqual([failure]);
      }
    });

    it('does not see errors of the handlers after the middleware', async () => {
      let called = 0;
      const app = createApp();
      app.set('env', 'test');
      app.use(
        vkMiniAppAuth({
          secret: SECRET,
          now,
          resolveUser,
          onError: () => {
            called++;
          },
        }),
      );
      app.get('/', () => {
        throw new VkAuthError('EXPIRED', 'thrown by a handler');
      });
      const errors: unknown[] = [];
      app.use(((error, _req, res, _next) => {
        errors.push(error);
        res.status(418).end();
      }) as ErrorRequestHandler);
      expect(
        (
          await request(app)
            .get('/')
            .set('Authorization', `Bearer ${await launch()}`)
        ).status,
      ).toBe(418);
      expect(called).toBe(0);
      expect(errors).toHaveLength(1);
    });
  });
});

describe('vk-miniapp-auth/express options', () => {
  it('are validated when the middleware is created, with a TypeError naming the option', () => {
    for (const [options, message] of BAD_OPTIONS) {
      expect(() => vkMiniAppAuth(options as ExpressVkMiniAppAuthOptions)).toThrow(TypeError);
      expect(() => vkMiniAppAuth(options as ExpressVkMiniAppAuthOptions)).toThrow(message);
    }
  });

  it('never put the secret in the message', () => {
    expect(() => vkMiniAppAuth({ secret: SECRET, maxAge: -1 })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(SECRET) }),
    );
  });
});

describe('vk-miniapp-auth/express types', () => {
  it('is an Express RequestHandler putting VkContext<RegisteredUser> | null on req.vk', () => {
    expectTypeOf(vkMiniAppAuth({ secret: SECRET })).toEqualTypeOf<RequestHandler>();
    const handler: RequestHandler = (req) => {
      expectTypeOf(req.vk).toEqualTypeOf<VkContext<RegisteredUser> | null | undefined>();
      if (!req.vk) return;
      expectTypeOf(req.vk.params).toEqualTypeOf<LaunchParams>();
      expectTypeOf(req.vk.params.vk_user_id).toEqualTypeOf<number>();
      expectTypeOf(req.vk.user).toEqualTypeOf<RegisteredUser>();
    };
    expect(handler).toBeTypeOf('function');
  });

  it('gives resolveUser, getCredentials and onError the Express request', () => {
    vkMiniAppAuth({
      secret: SECRET,
      getCredentials: (req) => {
        expectTypeOf(req).toEqualTypeOf<express.Request>();
        return req.get('X-Launch-Params');
      },
      resolveUser: (params, req) => {
        expectTypeOf(params).toEqualTypeOf<LaunchParams>();
        expectTypeOf(req).toEqualTypeOf<express.Request>();
        return null;
      },
      onError: (error, req, res, next) => {
        expectTypeOf(error).toEqualTypeOf<VkAuthError>();
        expectTypeOf(req).toEqualTypeOf<express.Request>();
        expectTypeOf(res).toEqualTypeOf<express.Response>();
        expectTypeOf(next).toEqualTypeOf<express.NextFunction>();
      },
    });
  });
});
