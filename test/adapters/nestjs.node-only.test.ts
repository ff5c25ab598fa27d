import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Controller,
  type DynamicModule,
  Get,
  Header,
  HttpCode,
  type INestApplication,
  Injectable,
  Module,
  Options,
  type Type,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  type NestVkMiniAppAuthOptions,
  Public,
  type VkContext,
  VkLaunchParams,
  VkMiniAppAuthGuard,
  VkMiniAppAuthModule,
  type VkRequest,
  VkUnauthorizedException,
  VkUser,
} from '../../src/adapters/nestjs/index.js';
import type { LaunchParams, VkAuthError, VkAuthErrorCode } from '../../src/index.js';
import { launch, now, SECRET } from '../helpers.js';
import { ACCEPTED_APP_ID, challengeFor } from './fixtures.js';
import { decorate, decorateMethod } from './nestjs-decorate.js';
import { expectNestMajor, expectSmokeAnswers, NEST_PACKAGES, REPO_NEST_MAJOR } from './nestjs-smoke-answers.js';

// The project's tsconfig does not enable `experimentalDecorators`, so this
// file applies Nest's decorators as the plain calls TypeScript compiles them
// to; each class carries, in a comment, the decorator syntax it stands for.
// Constructor dependencies are named with explicit `@Inject` tokens, so no
// `emitDecoratorMetadata` is needed either.

const BROKEN = 500;

interface User {
  id: number;
  vkUserId: number;
}

class DatabaseDown extends Error {}

/** `@Injectable() class UserService`: the seed example's get_or_create, in memory. */
class UserService {
  readonly users = new Map<number, User>();

  async getOrCreate(vkUserId: number): Promise<User | null> {
    if (vkUserId === BROKEN) throw new DatabaseDown('the database is down');
    let user = this.users.get(vkUserId);
    if (!user) {
      user = { id: this.users.size + 1, vkUserId };
      this.users.set(vkUserId, user);
    }
    return user;
  }
}
decorate(UserService, Injectable());

/** `@Module({ providers: [UserService], exports: [UserService] }) class UsersModule` */
class UsersModule {}
decorate(UsersModule, Module({ providers: [UserService], exports: [UserService] }));

/** The module as an app would set it up: resolveUser calls the injected UserService. */
function authWithUsers(options: Partial<NestVkMiniAppAuthOptions<User>> = {}): DynamicModule {
  return VkMiniAppAuthModule.forRootAsync({
    imports: [UsersModule],
    inject: [UserService],
    useFactory: (users: UserService) => ({
      secret: SECRET,
      now,
      appId: ACCEPTED_APP_ID,
      resolveUser: (params) => users.getOrCreate(params.vk_user_id),
      ...options,
    }),
  });
}

/** `@Controller() class ApiController`: guarded by whatever the test sets up (APP_GUARD, useGlobalGuards). */
class ApiController {
  /** `@Get('protected') getProtected(@VkUser() user: User | null)` */
  getProtected(user: User | null) {
    return { user_id: user?.id ?? null };
  }

  /** `@Get('params') getParams(@VkLaunchParams() params: LaunchParams | null, @VkLaunchParams('vk_platform') platform: string | null)` */
  getParams(params: LaunchParams | null, platform: string | null) {
    return { vk_user_id: params?.vk_user_id ?? null, platform };
  }

  /** `@Get('user-kind') userKind(@VkUser() user: User | null | undefined)`: tells null from undefined. */
  userKind(user: User | null | undefined) {
    return { kind: user === null ? 'null' : typeof user };
  }

  /** `@Public() @Get('health') health(@VkUser() user: User | null)` */
  health(user: User | null) {
    return { ok: true, user };
  }

  /** `@Options('protected') @HttpCode(204) preflight()`: an OPTIONS route the global guard covers. */
  preflight() {}

  /**
   * `@Public() @Options('health') @HttpCode(204) @Header('Access-Control-Allow-Origin', '*') publicPreflight()`:
   * a route that answers CORS preflights itself, exempt from the guard.
   */
  publicPreflight() {}
}
decorate(ApiController, Controller());
decorateMethod(ApiController, 'getProtected', [Get('protected')], VkUser());
decorateMethod(ApiController, 'getParams', [Get('params')], VkLaunchParams(), VkLaunchParams('vk_platform'));
decorateMethod(ApiController, 'userKind', [Get('user-kind')], VkUser());
decorateMethod(ApiController, 'health', [Public(), Get('health')], VkUser());
decorateMethod(ApiController, 'preflight', [Options('protected'), HttpCode(204)]);
decorateMethod(ApiController, 'publicPreflight', [
  Public(),
  Options('health'),
  HttpCode(204),
  Header('Access-Control-Allow-Origin', '*'),
]);

/** `@Public() @Controller('open') class OpenController { @Get() index() }` */
class OpenController {
  index() {
    return { open: true };
  }
}
decorate(OpenController, Public(), Controller('open'));
decorateMethod(OpenController, 'index', [Get()]);

/** `@Controller('route') class PerRouteController`: the guard on one route only. */
class PerRouteController {
  /** `@UseGuards(VkMiniAppAuthGuard) @Get('guarded') guarded(@VkUser() user: User)` */
  guarded(user: User) {
    return { user_id: user.id };
  }

  /** `@Get('unguarded') unguarded(@VkUser() user: User | null)` */
  unguarded(user: User | null) {
    return { user };
  }
}
decorate(PerRouteController, Controller('route'));
decorateMethod(PerRouteController, 'guarded', [UseGuards(VkMiniAppAuthGuard), Get('guarded')], VkUser());
decorateMethod(PerRouteController, 'unguarded', [Get('unguarded')], VkUser());

type Platform = 'express' | 'fastify';

interface Reply {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
  text: string;
}

interface Setup {
  imports: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>;
  controllers?: Type[];
  /** Guard every route with `{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }` (default true). */
  appGuard?: boolean;
  providers?: NonNullable<Parameters<typeof Test.createTestingModule>[0]['providers']>;
  /** Runs on the app before `init()`. */
  configure?: (app: INestApplication) => void;
}

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(platform: Platform, setup: Setup): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: setup.imports,
    controllers: setup.controllers ?? [ApiController, OpenController],
    providers: [
      ...(setup.appGuard === false ? [] : [{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }]),
      ...(setup.providers ?? []),
    ],
  }).compile();
  app =
    platform === 'express'
      ? moduleRef.createNestApplication({ logger: false })
      : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  setup.configure?.(app);
  await app.init();
  if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  return app;
}

/** One request through the platform: supertest over real HTTP on Express, `fastify.inject` on Fastify. */
async function send(
  platform: Platform,
  url: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'OPTIONS' = 'GET',
): Promise<Reply> {
  if (!app) throw new Error('start an app first');
  if (platform === 'express') {
    const agent = request(app.getHttpServer());
    const response = await (method === 'GET' ? agent.get(url) : agent.options(url)).set(headers);
    return { status: response.status, headers: response.headers, body: response.body, text: response.text };
  }
  const response = await (app as NestFastifyApplication).inject({ method, url, headers });
  const json = /^application\/json/.test(String(response.headers['content-type']));
  return {
    status: response.statusCode,
    headers: response.headers,
    body: json ? response.json() : {},
    text: response.body,
  };
}

function bearer(query: string) {
  return { authorization: `Bearer ${query}` };
}

/** Nest's usual 401 shape with the stable code, and the challenge header. */
function expectRefusal(reply: Reply, code: VkAuthErrorCode) {
  expect(reply.status).toBe(401);
  expect(reply.headers['www-authenticate']).toBe(challengeFor(code));
  expect(reply.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), code });
  expect(reply.text).not.toContain(SECRET);
}

// What every adapter does (valid launches, refusals, resolveUser, optional, getCredentials,
// restyling through an exception filter, CORS preflights, the cache, bad options) is the
// contract suite's, on both platforms (contract.node-only.test.ts). Here: what is Nest's own,
// its module wiring, decorators and guards.
describe.each<Platform>(['express', 'fastify'])('vk-miniapp-auth/nestjs on %s', (platform) => {
  it('lets a valid launch in, with the user resolveUser got from the injected UserService', async () => {
    await start(platform, { imports: [authWithUsers()] });
    const reply = await send(platform, '/protected', bearer(await launch()));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ user_id: 1 });
    // The factory got the app's own UserService instance: the user it created is there.
    expect(app?.get(UserService).users.get(494075)).toEqual({ id: 1, vkUserId: 494075 });
  });

  it('exposes the launch params through @VkLaunchParams(), whole or by key', async () => {
    await start(platform, { imports: [authWithUsers()] });
    const reply = await send(platform, '/params', bearer(await launch({ vk_platform: 'desktop_web' })));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ vk_user_id: 494075, platform: 'desktop_web' });
  });

  it("answers 500 through Nest's exception handling when resolveUser throws anything else, never 401", async () => {
    await start(platform, { imports: [authWithUsers()] });
    const reply = await send(platform, '/protected', bearer(await launch({ vk_user_id: BROKEN })));
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    expect(reply.headers['www-authenticate']).toBeUndefined();
  });

  it('optional: @VkUser() and @VkLaunchParams() are null for an anonymous request', async () => {
    await start(platform, { imports: [authWithUsers({ optional: true })] });
    const anonymous = await send(platform, '/protected');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ user_id: null });
    expect((await send(platform, '/user-kind')).body).toEqual({ kind: 'null' });
    expect((await send(platform, '/params')).body).toEqual({ vk_user_id: null, platform: null });
  });
  describe('CORS preflights', () => {
    const preflight = {
      origin: 'https://example.com',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    };

    it('are answered by a @Public() OPTIONS route', async () => {
      await start(platform, { imports: [authWithUsers()] });
      const reply = await send(platform, '/health', preflight, 'OPTIONS');
      expect(reply.status).toBe(204);
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(reply.headers['www-authenticate']).toBeUndefined();
    });

    it('are answered by app.enableCors() before any guard runs, over real HTTP', async () => {
      const nest = await start(platform, { imports: [authWithUsers()], configure: (nest) => nest.enableCors() });
      await nest.listen(0, '127.0.0.1');
      const url = await nest.getUrl();
      // /protected has a guarded OPTIONS route of its own, /params none: the CORS layer answers both.
      for (const path of ['/protected', '/params']) {
        const answered = await fetch(`${url}${path}`, { method: 'OPTIONS', headers: preflight });
        expect(answered.status, path).toBe(204);
        expect(answered.headers.get('access-control-allow-origin'), path).toBe('*');
        expect(answered.headers.get('access-control-allow-headers'), path).toBe('authorization');
        expect(answered.headers.get('www-authenticate'), path).toBeNull();
      }
      // The request the preflight was for is still guarded, and its refusal carries the CORS header.
      const refused = await fetch(`${url}/protected`, { headers: { origin: 'https://example.com' } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
      expect(refused.headers.get('www-authenticate')).toBe(challengeFor('MISSING_CREDENTIALS'));
      const allowed = await fetch(`${url}/protected`, {
        headers: { origin: 'https://example.com', authorization: `Bearer ${await launch()}` },
      });
      expect(allowed.status).toBe(200);
      expect(await allowed.json()).toEqual({ user_id: 1 });
    });
  });

  it('@Public() exempts a route or a whole controller from the global guard', async () => {
    await start(platform, { imports: [authWithUsers()] });
    const health = await send(platform, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ ok: true, user: null });
    // Not even a bad credential is looked at on a public route.
    expect((await send(platform, '/health', bearer('garbage'))).status).toBe(200);
    expect((await send(platform, '/open')).body).toEqual({ open: true });
    expectRefusal(await send(platform, '/protected'), 'MISSING_CREDENTIALS');
  });

  it('guards one route with @UseGuards(VkMiniAppAuthGuard), leaving the others alone', async () => {
    await start(platform, { imports: [authWithUsers()], controllers: [PerRouteController], appGuard: false });
    expect((await send(platform, '/route/unguarded')).body).toEqual({ user: null });
    expectRefusal(await send(platform, '/route/guarded'), 'MISSING_CREDENTIALS');
    expect((await send(platform, '/route/guarded', bearer(await launch()))).body).toEqual({ user_id: 1 });
  });

  it('guards the whole app with app.useGlobalGuards(app.get(VkMiniAppAuthGuard))', async () => {
    await start(platform, {
      imports: [authWithUsers()],
      appGuard: false,
      configure: (nest) => nest.useGlobalGuards(nest.get(VkMiniAppAuthGuard)),
    });
    expectRefusal(await send(platform, '/protected'), 'MISSING_CREDENTIALS');
    expect((await send(platform, '/protected', bearer(await launch()))).body).toEqual({ user_id: 1 });
    expect((await send(platform, '/health')).status).toBe(200);
  });
});

describe('vk-miniapp-auth/nestjs start-up', () => {
  it('validates forRootAsync options when the factory resolves, failing the app before any request', async () => {
    expect(() =>
      VkMiniAppAuthModule.forRootAsync({} as unknown as Parameters<typeof VkMiniAppAuthModule.forRootAsync>[0]),
    ).toThrow(TypeError);
    const builder = Test.createTestingModule({
      imports: [VkMiniAppAuthModule.forRootAsync({ useFactory: async () => ({ secret: SECRET, maxAge: Number.NaN }) })],
      controllers: [ApiController],
    });
    await expect(builder.compile()).rejects.toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/maxAge/) }),
    );
  });

  it('fails at start-up when the guard is used without the module', async () => {
    const builder = Test.createTestingModule({ controllers: [PerRouteController] });
    // Nest names the guard and the missing module: "… dependencies of the VkMiniAppAuthGuard (?, Reflector) … Symbol(VkMiniAppAuthModule.forRoot()) …"
    await expect(builder.compile()).rejects.toThrow(/VkMiniAppAuthGuard[\s\S]*VkMiniAppAuthModule\.forRoot/);
  });

  it('throws an UnauthorizedException subclass carrying the code and the VkAuthError', () => {
    const exception = new VkUnauthorizedException(
      Object.assign(new Error('expired'), { code: 'EXPIRED', status: 401 }) as VkAuthError,
    );
    expect(exception).toBeInstanceOf(UnauthorizedException);
    expect(exception.getStatus()).toBe(401);
    expect(exception.getResponse()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'expired',
      code: 'EXPIRED',
    });
  });
});

describe('vk-miniapp-auth/nestjs types', () => {
  it('types resolveUser from LaunchParams and infers the user type', () => {
    VkMiniAppAuthModule.forRoot({
      secret: SECRET,
      resolveUser: (params, req) => {
        expectTypeOf(params).toEqualTypeOf<LaunchParams>();
        expectTypeOf(req.headers.authorization).toEqualTypeOf<string | string[] | undefined>();
        return { id: params.vk_user_id, vkUserId: params.vk_user_id };
      },
    });
    const options: NestVkMiniAppAuthOptions<User> = {
      secret: SECRET,
      // @ts-expect-error resolveUser must return the declared user type
      resolveUser: () => ({ name: 'not a user' }),
    };
    expectTypeOf(options.resolveUser).parameter(0).toEqualTypeOf<LaunchParams>();
    expectTypeOf(VkMiniAppAuthModule.forRoot).returns.toEqualTypeOf<DynamicModule>();
  });

  it("takes the platform's request type from an annotated getCredentials", () => {
    interface CookieRequest {
      headers: Record<string, string | string[] | undefined>;
      cookies: Record<string, string | undefined>;
    }
    VkMiniAppAuthModule.forRoot({
      secret: SECRET,
      getCredentials: (req: CookieRequest) => req.cookies.vk,
      resolveUser: (params, req) => {
        expectTypeOf(req).toEqualTypeOf<CookieRequest>();
        return { id: params.vk_user_id, vkUserId: params.vk_user_id };
      },
    });
  });

  it("checks forRootAsync's factory result against the options", () => {
    VkMiniAppAuthModule.forRootAsync({
      inject: [UserService],
      useFactory: (users: UserService) => ({
        secret: SECRET,
        resolveUser: (params) => {
          expectTypeOf(params).toEqualTypeOf<LaunchParams>();
          return users.getOrCreate(params.vk_user_id);
        },
      }),
    });
    VkMiniAppAuthModule.forRootAsync({
      // @ts-expect-error secret must be a string, a list or a per-app map
      useFactory: () => ({ secret: 42 }),
    });
  });

  it('types the param decorators in Nest idiom: the handler annotates, the decorator checks its key', () => {
    expectTypeOf(VkUser()).toEqualTypeOf<ParameterDecorator>();
    expectTypeOf(VkLaunchParams('vk_platform')).toEqualTypeOf<ParameterDecorator>();
    expectTypeOf(VkLaunchParams).parameter(0).toEqualTypeOf<keyof LaunchParams | undefined>();
    // @ts-expect-error not a launch param
    VkLaunchParams('platform');
    expectTypeOf(Public()).toMatchTypeOf<ClassDecorator & MethodDecorator>();
    // What the decorators read, for handlers that take the request (`@Req() req: VkRequest<User>`).
    expectTypeOf<VkRequest<User>['vk']>().toEqualTypeOf<VkContext<User> | null | undefined>();
    expectTypeOf<NonNullable<VkRequest<User>['vk']>['params']>().toEqualTypeOf<LaunchParams>();
    expectTypeOf<VkUnauthorizedException['code']>().toEqualTypeOf<VkAuthErrorCode>();
  });
});

describe('vk-miniapp-auth/nestjs as built', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));

  /** Runs a smoke app from the repo, where `vk-miniapp-auth` resolves to the repo's own build (a self-reference). */
  function smoke(file: string): Promise<string> {
    for (const built of ['dist/node/nestjs.mjs', 'dist/node/nestjs.cjs']) {
      if (!existsSync(`${root}/${built}`)) {
        throw new Error(`${built} is missing: run \`npm run build\` (npm test does).`);
      }
    }
    const script = fileURLToPath(new URL(file, import.meta.url));
    expectNestMajor(script, REPO_NEST_MAJOR);
    return new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [script], { cwd: root, timeout: 20_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      );
    });
  }

  it('works in an ESM app, imported and required by package name, on Express and Fastify', async () => {
    expectSmokeAnswers(await smoke('./nestjs-dist-smoke.mjs'), { app: 'esm', nest: REPO_NEST_MAJOR });
  });

  it('works in a CommonJS app, required by package name, on Express and Fastify', async () => {
    // Nest 12 is ESM only: the app's require() of it is Node's require(esm).
    expectSmokeAnswers(await smoke('./nestjs-dist-smoke.cjs'), { app: 'cjs', nest: REPO_NEST_MAJOR });
  });
});

describe('the NestJS this suite runs on', () => {
  it(`is the repo's NestJS ${REPO_NEST_MAJOR} (10 and 11 run in nestjs-versions.node-only.test.ts)`, () => {
    expectNestMajor(fileURLToPath(import.meta.url), REPO_NEST_MAJOR, [...NEST_PACKAGES, '@nestjs/testing']);
  });
});
