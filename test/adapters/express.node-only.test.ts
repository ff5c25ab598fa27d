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
import { launch, now, SECRET } from '../helpers.js';
import { challengeFor } from './fixtures.js';

/**
 * `req.vk.user` is typed from `Register`, which is global to the program: another test file
 * (express-register.types.node-only.test.ts) declares it. These tests hold whatever it says,
 * hence the cast to `RegisteredUser`.
 */
const resolveUser = async (params: LaunchParams) => ({ id: params.vk_user_id, name: 'Ivan' }) as RegisteredUser;

type Options = Partial<ExpressVkMiniAppAuthOptions>;

/**
 * An app with the middleware on `/api`, `GET /api/protected` answering what it saw of `req.vk`,
 * `GET /public` outside the guard, and an error-handling middleware after everything that
 * records what reaches it and answers 500.
 */
function build(createApp: () => Express, options: Options = {}) {
  const errors: unknown[] = [];
  const app = createApp();
  app.set('env', 'test'); // Express's own final handler: no stack traces on stderr
  app.get('/public', (_req, res) => {
    res.json({ public: true });
  });
  app.use('/api', vkMiniAppAuth({ secret: SECRET, now, resolveUser, ...options }));
  app.get('/api/protected', (req, res) => {
    res.json({ vk: req.vk ?? null });
  });
  const handler: ErrorRequestHandler = (error, _req, res, _next) => {
    errors.push(error);
    res.status(500).json({ handled: error instanceof Error ? error.message : String(error) });
  };
  app.use(handler);
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

// What every adapter does (valid launches, refusals, resolveUser, optional, getCredentials,
// onError restyling, CORS preflights, the cache, bad options) is the contract suite's, on
// Express 5 and 4 (contract.node-only.test.ts). Here: what is Express's own.
describe.each(versions)('vk-miniapp-auth/express on %s', (_version, createApp) => {
  const get = (app: Express, authorization?: string, url = '/api/protected') => {
    const test = request(app).get(url);
    return authorization === undefined ? test : test.set('Authorization', authorization);
  };

  it('only guards the path it is mounted on', async () => {
    const { app } = build(createApp);
    const response = await get(app, undefined, '/public');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ public: true });
    expectRefusal(await get(app), 'MISSING_CREDENTIALS');
  });

  describe('onError', () => {
    it('can hand the refusal to the app’s error-handling middleware with next(error)', async () => {
      const { app, errors } = build(createApp, { onError: (error, _req, _res, next) => next(error) });
      const response = await get(app);
      expect(response.status).toBe(500); // the test's error middleware answers 500 for everything
      expect(errors).toHaveLength(1);
      expect(VkAuthError.is(errors[0], 'MISSING_CREDENTIALS')).toBe(true);
      expect((errors[0] as VkAuthError).status).toBe(401);
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
