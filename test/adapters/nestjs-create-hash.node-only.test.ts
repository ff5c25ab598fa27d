import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { Controller, type INestApplication, Post, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RequireCreateHash,
  VkCreateHashGuard,
  type VkHttpRequest,
  VkMiniAppAuthGuard,
  VkMiniAppAuthModule,
  VkUser,
} from '../../src/adapters/nestjs/index.js';
import type { VkAuthErrorCode } from '../../src/index.js';
import { createHashSign } from '../bridge/signers.js';
import { launch, NOW_S, now, SECRET } from '../helpers.js';
import { challengeFor } from './fixtures.js';
import { decorate, decorateMethod } from './nestjs-decorate.js';
import { expectNestMajor, NEST_PACKAGES, REPO_NEST_MAJOR } from './nestjs-smoke-answers.js';

// Decorators are applied as the plain calls TypeScript compiles them to, as in
// nestjs.node-only.test.ts; each carries, in a comment, the syntax it stands for.

const USER_ID = 494075;
const APP_ID = 6736218;
const OTHER_SECRET = 'a-second-app-secret';

/** The body's `requestId`, on Express's and Fastify's request alike. */
const fromBody = (req: VkHttpRequest) => (req as VkHttpRequest & { body?: { requestId?: string } }).body?.requestId;

/** `@Controller('transfer') class TransferController` */
class TransferController {
  /** `@Post() @RequireCreateHash({ payload: fromBody, now }) transfer(@VkUser() user)` */
  transfer(user: { id: number } | undefined) {
    return { ok: true, user };
  }

  /** `@Post('header') @RequireCreateHash({ payload: (req) => req.headers['x-vk-sign-payload'], now })` */
  header() {
    return { ok: true };
  }

  /** `@Post('own-secret') @RequireCreateHash({ secret: OTHER_SECRET, payload: fromBody, now })` */
  ownSecret() {
    return { ok: true };
  }

  /** `@Post('plain')`: no CreateHash sign needed. */
  plain() {
    return { ok: true };
  }
}
decorate(TransferController, Controller('transfer'));
decorateMethod(TransferController, 'transfer', [Post(), RequireCreateHash({ payload: fromBody, now })], VkUser());
decorateMethod(TransferController, 'header', [
  Post('header'),
  RequireCreateHash({ payload: (req) => req.headers['x-vk-sign-payload'] as string | undefined, now }),
]);
decorateMethod(TransferController, 'ownSecret', [
  Post('own-secret'),
  RequireCreateHash({ secret: OTHER_SECRET, payload: fromBody, now }),
]);
decorateMethod(TransferController, 'plain', [Post('plain')]);

/** `@RequireCreateHash({ payload: fromBody, now }) @Controller('all') class AllController { @Post() any() }` */
class AllController {
  any() {
    return { ok: true };
  }
}
decorate(AllController, RequireCreateHash({ payload: fromBody, now }), Controller('all'));
decorateMethod(AllController, 'any', [Post()]);

/** Both guards on one method, without a global guard. */
class PerRouteController {
  /** `@Post('right') @RequireCreateHash({ payload: fromBody, now }) @UseGuards(VkMiniAppAuthGuard)` */
  right() {
    return { ok: true };
  }

  /** `@Post('wrong') @UseGuards(VkMiniAppAuthGuard) @RequireCreateHash({ payload: fromBody, now })`: a wiring mistake. */
  wrong() {
    return { ok: true };
  }
}
decorate(PerRouteController, Controller('route'));
decorateMethod(PerRouteController, 'right', [
  Post('right'),
  RequireCreateHash({ payload: fromBody, now }),
  UseGuards(VkMiniAppAuthGuard),
]);
decorateMethod(PerRouteController, 'wrong', [
  Post('wrong'),
  UseGuards(VkMiniAppAuthGuard),
  RequireCreateHash({ payload: fromBody, now }),
]);

type Platform = 'express' | 'fastify';

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(platform: Platform, { appGuard = true, optional = false } = {}): Promise<void> {
  const moduleRef = await Test.createTestingModule({
    imports: [VkMiniAppAuthModule.forRoot({ secret: { [APP_ID]: SECRET, 7: OTHER_SECRET }, now, optional })],
    controllers: [TransferController, AllController, PerRouteController],
    providers: appGuard ? [{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }] : [],
  }).compile();
  app =
    platform === 'express'
      ? moduleRef.createNestApplication({ logger: false })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.init();
  if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
}

interface Reply {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
}

async function post(platform: Platform, url: string, headers: Record<string, string>, body: unknown): Promise<Reply> {
  if (!app) throw new Error('start an app first');
  if (platform === 'express') {
    const response = await request(app.getHttpServer())
      .post(url)
      .set(headers)
      .send(body as object);
    return { status: response.status, headers: response.headers, body: response.body };
  }
  const response = await (app as NestFastifyApplication).inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
  return { status: response.statusCode, headers: response.headers, body: response.json() };
}

function hashHeaders(
  payload: string,
  { userId = USER_ID, ts = NOW_S, secret = SECRET }: { userId?: number; ts?: number; secret?: string } = {},
): Record<string, string> {
  return {
    'x-vk-sign': createHashSign({ appId: APP_ID, userId, payload, ts }, secret),
    'x-vk-sign-ts': String(ts),
  };
}

function expectRefusal(reply: Reply, code: VkAuthErrorCode) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(401);
  expect(reply.headers['www-authenticate']).toBe(challengeFor(code));
  expect(reply.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), code });
}

// What every adapter's CreateHash guard does (a valid sign; missing, tampered, another user's
// and expired ones; the launch params checked first; an anonymous request under optional) is the
// contract suite's, NestJS on both platforms included (contract.node-only.test.ts). Here: what
// is the decorator's own.
describe.each<Platform>(['express', 'fastify'])('@RequireCreateHash on %s', (platform) => {
  const body = { requestId: 'order-42' };

  it('reads the payload where the options say, and the secret from the module unless given', async () => {
    await start(platform);
    const authorization = `Bearer ${await launch()}`;
    const header = { authorization, 'x-vk-sign-payload': 'p-1', ...hashHeaders('p-1') };
    expect((await post(platform, '/transfer/header', header, {})).status).toBe(201);
    const own = { authorization, ...hashHeaders('order-42', { secret: OTHER_SECRET }) };
    expect((await post(platform, '/transfer/own-secret', own, body)).status).toBe(201);
    expectRefusal(
      await post(platform, '/transfer/own-secret', { authorization, ...hashHeaders('order-42') }, body),
      'CREATE_HASH_INVALID',
    );
  });

  it('guards only the routes, or controllers, that carry the decorator', async () => {
    await start(platform);
    const authorization = `Bearer ${await launch()}`;
    expect((await post(platform, '/transfer/plain', { authorization }, body)).status).toBe(201);
    expectRefusal(await post(platform, '/all', { authorization }, body), 'CREATE_HASH_MISSING');
    expect((await post(platform, '/all', { authorization, ...hashHeaders('order-42') }, body)).status).toBe(201);
  });

  it('runs after the launch-params guard on the same method when written above it, and answers 500 otherwise', async () => {
    await start(platform, { appGuard: false });
    const headers = { authorization: `Bearer ${await launch()}`, ...hashHeaders('order-42') };
    expect((await post(platform, '/route/right', headers, body)).status).toBe(201);
    expectRefusal(await post(platform, '/route/right', hashHeaders('order-42'), body), 'MISSING_CREDENTIALS');
    expect((await post(platform, '/route/wrong', headers, body)).status).toBe(500);
  });
});

describe('@RequireCreateHash options', () => {
  it('throws a TypeError when the decorator is applied without a payload getter', () => {
    expect(() => RequireCreateHash(undefined as never)).toThrow(/payload/);
    expect(() => RequireCreateHash({} as never)).toThrow(/payload/);
    expect(() => RequireCreateHash({ payload: 'requestId' } as never)).toThrow(/payload/);
  });

  it('is exported with its guard, which lets undecorated routes through', async () => {
    expect(typeof VkCreateHashGuard).toBe('function');
    await start('express');
    const reply = await post('express', '/transfer/plain', { authorization: `Bearer ${await launch()}` }, {});
    expect(reply.status).toBe(201);
  });
});

describe('the NestJS this suite runs on', () => {
  it(`is the repo's NestJS ${REPO_NEST_MAJOR}`, () => {
    expectNestMajor(fileURLToPath(import.meta.url), REPO_NEST_MAJOR, [...NEST_PACKAGES, '@nestjs/testing']);
  });
});
