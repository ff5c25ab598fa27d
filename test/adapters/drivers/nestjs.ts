import 'reflect-metadata';
import {
  All,
  type ArgumentsHost,
  Body,
  Catch,
  Controller,
  type ExceptionFilter,
  HttpCode,
  type INestApplication,
  Inject,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { expect } from 'vitest';
import {
  Public,
  RequireCreateHash,
  Vk,
  VkForbiddenException,
  VkGroupRole,
  type VkHttpRequest,
  VkLaunchParams,
  VkMiniAppAuthGuard,
  VkMiniAppAuthModule,
  type VkOrMaxContext,
  VkUnauthorizedException,
  VkUser,
} from '../../../src/adapters/nestjs/index.js';
import { type LaunchParams, statusOf, type VkAuthError, type VkAuthErrorCode } from '../../../src/index.js';
import { decorate, decorateMethod } from '../nestjs-decorate.js';
import {
  type Answer,
  adapterOptions,
  brokenPayload,
  creatorsOf,
  type Driver,
  type DriverOptions,
  fromNode,
  GROUP_ROLES,
  groupIdOf,
  type Incoming,
  normalise,
  overHttp,
  replayOf,
  requestIdOf,
  single,
} from './driver.js';

// Decorators are applied as the plain calls TypeScript compiles them to (the project compiles
// without `experimentalDecorators`; see nestjs-decorate.ts), each commented with its syntax.

const incoming = (req: VkHttpRequest): Incoming => ({ header: (name) => single(req.headers[name]) });

const bodyOf = (req: VkHttpRequest) => (req as VkHttpRequest & { body?: unknown }).body;

type Seen = VkOrMaxContext<unknown> | null;

/**
 * What a handler saw of vk, through `@Vk()` (`null` for an anonymous request), after checking
 * that `@VkLaunchParams()` and `@VkUser()` gave the same params and user: a mismatch throws,
 * which the test sees as a 500.
 */
function sawVk(seen: unknown[], vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
  if (params !== (vk === null ? null : vk.params) || user !== (vk === null ? null : vk.user)) {
    throw new Error('@VkLaunchParams() or @VkUser() disagrees with @Vk()');
  }
  seen.push(vk);
  return { vk };
}

/** The controllers of one app, made afresh for its options (RequireCreateHash takes them when applied). */
function controllers(options: DriverOptions, seen: unknown[]) {
  const now = options.now;
  /** `@Controller('api') class ApiController`, guarded by the global VkMiniAppAuthGuard. */
  class ApiController {
    /** `@All('p') @HttpCode(200) p(@Vk() vk, @VkLaunchParams() params, @VkUser() user)` */
    p(vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
      return sawVk(seen, vk, params, user);
    }
    /** `@All('hash') @HttpCode(200) @RequireCreateHash({ payload: (req) => req.body?.requestId, now }) hash(…)` */
    hash(vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
      return sawVk(seen, vk, params, user);
    }
    /** `@All('hash-header') @HttpCode(200) @RequireCreateHash({ payload: (req) => req.headers['x-vk-sign-payload'], now })` */
    hashHeader(vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
      return sawVk(seen, vk, params, user);
    }
    /** `@All('hash-throws') @HttpCode(200) @RequireCreateHash({ payload: brokenPayload, now })` */
    hashThrows(vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
      return sawVk(seen, vk, params, user);
    }
    /** `@All('role') @HttpCode(200) @VkGroupRole('admin', 'editor') role(…)` */
    role(vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
      return sawVk(seen, vk, params, user);
    }
    /** `@All('groups/:groupId/role') @HttpCode(200) @VkGroupRole('admin', 'editor', { groupId: (req) => req.params.groupId })` */
    groupRole(vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
      return sawVk(seen, vk, params, user);
    }
    /** `@All('hash-body') @HttpCode(200) @RequireCreateHash({ bindBody: true, replay, now }) hashBody(…, @Body() body)` */
    hashBody(vk: Seen, params: LaunchParams | null | undefined, user: unknown, body: unknown) {
      return { ...sawVk(seen, vk, params, user), body };
    }
  }
  decorate(ApiController, Controller('api'));
  const fromBody = RequireCreateHash({ payload: (req) => requestIdOf(bodyOf(req)), now });
  const roles = VkGroupRole(...GROUP_ROLES);
  for (const [method, path, guard] of [
    ['p', 'p', undefined],
    ['hash', 'hash', fromBody],
    [
      'hashHeader',
      'hash-header',
      RequireCreateHash({ payload: (req) => single(req.headers['x-vk-sign-payload']), now }),
    ],
    ['hashThrows', 'hash-throws', RequireCreateHash({ payload: brokenPayload, now })],
    ['role', 'role', roles],
    [
      'groupRole',
      'groups/:groupId/role',
      VkGroupRole<VkHttpRequest & { params: Record<string, string | undefined> }>(...GROUP_ROLES, {
        groupId: (req) => groupIdOf(options, req.params.groupId),
      }),
    ],
  ] as const) {
    decorateMethod(
      ApiController,
      method,
      [All(path), HttpCode(200), ...(guard ? [guard] : [])],
      Vk(),
      VkLaunchParams(),
      VkUser(),
    );
  }
  // The raw body where NestFactory.create(…, { rawBody: true }) keeps it; the payload from
  // X-VK-Sign-Payload, the default with bindBody.
  const bodyBound = RequireCreateHash({ bindBody: true, replay: replayOf(options), now });
  decorateMethod(
    ApiController,
    'hashBody',
    [All('hash-body'), HttpCode(200), bodyBound],
    Vk(),
    VkLaunchParams(),
    VkUser(),
    Body(),
  );

  /** `@Public() @Controller('open') class OpenController`: the CreateHash and group-role guards with no launch-params check. */
  class OpenController {
    /** `@All('hash') @HttpCode(200) @RequireCreateHash({ payload: (req) => req.body?.requestId, now }) hash(…)` */
    hash(vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
      return sawVk(seen, vk, params, user);
    }
    /** `@All('role') @HttpCode(200) @VkGroupRole('admin', 'editor') role(…)` */
    role(vk: Seen, params: LaunchParams | null | undefined, user: unknown) {
      return sawVk(seen, vk, params, user);
    }
  }
  decorate(OpenController, Public(), Controller('open'));
  decorateMethod(OpenController, 'hash', [All('hash'), HttpCode(200), fromBody], Vk(), VkLaunchParams(), VkUser());
  decorateMethod(OpenController, 'role', [All('role'), HttpCode(200), roles], Vk(), VkLaunchParams(), VkUser());
  return [ApiController, OpenController];
}

/** The tokens of what a driver hands its filters: the restyling function, the list of server errors. */
const RESTYLE = Symbol('restyle');
const SERVER_ERRORS = Symbol('server errors');

/**
 * `@Catch(VkUnauthorizedException, VkForbiddenException) class RestyleFilter`: the app's own
 * refusal style, written through whichever platform runs.
 */
class RestyleFilter implements ExceptionFilter {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly restyle: (error: VkAuthError) => Answer | Promise<Answer>,
  ) {}

  async catch(exception: VkUnauthorizedException | VkForbiddenException, host: ArgumentsHost) {
    const { status, body } = await this.restyle(exception.cause as VkAuthError);
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, status);
  }
}
decorate(RestyleFilter, Catch(VkUnauthorizedException, VkForbiddenException));
Inject(HttpAdapterHost)(RestyleFilter, undefined, 0);
Inject(RESTYLE)(RestyleFilter, undefined, 1);

/**
 * `@Catch() class RecordingFilter extends BaseExceptionFilter`: Nest's own handling of every
 * exception, recording those that are not refusals.
 */
class RecordingFilter extends BaseExceptionFilter {
  constructor(private readonly errors: unknown[]) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost) {
    if (!(exception instanceof VkUnauthorizedException || exception instanceof VkForbiddenException)) {
      this.errors.push(exception);
    }
    super.catch(exception, host);
  }
}
decorate(RecordingFilter, Catch());
Inject(SERVER_ERRORS)(RecordingFilter, undefined, 0);

/**
 * NestJS on its Express or Fastify platform: `VkMiniAppAuthModule.forRoot(…)` and
 * `{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }`; the handlers read vk through
 * `@Vk()`, checked against `@VkLaunchParams()` and `@VkUser()`. Refusals are restyled by an app-wide
 * `@Catch(VkUnauthorizedException)` exception filter (`APP_FILTER`). Requests go over real HTTP
 * on Express, through `inject` on Fastify.
 */
function nestDriver(platform: 'express' | 'fastify'): Driver {
  return {
    name: `nestjs on ${platform}`,
    framework: 'nestjs',
    restyleThrough: 'an exception filter',
    preflight: 'checked',
    refusalBody: (code) => ({
      statusCode: statusOf(code as VkAuthErrorCode),
      error: statusOf(code as VkAuthErrorCode) === 403 ? 'Forbidden' : 'Unauthorized',
      message: expect.any(String),
      code,
    }),
    codeOf: (body) => (body as { code?: unknown } | undefined)?.code,
    ...creatorsOf({ launchParams: VkMiniAppAuthModule.forRoot, groupRole: VkGroupRole, createHash: RequireCreateHash }),
    async start(options: DriverOptions) {
      const seen: unknown[] = [];
      const serverErrors: unknown[] = [];
      const { restyle } = options;
      const moduleRef = await Test.createTestingModule({
        imports: [VkMiniAppAuthModule.forRoot(adapterOptions(options, incoming) as never)],
        controllers: controllers(options, seen),
        providers: [
          { provide: APP_GUARD, useClass: VkMiniAppAuthGuard },
          // App-wide filters are tried last registered first: the app's restyling one, then the catch-all.
          { provide: SERVER_ERRORS, useValue: serverErrors },
          { provide: APP_FILTER, useClass: RecordingFilter },
          ...(restyle
            ? [
                { provide: RESTYLE, useValue: restyle },
                { provide: APP_FILTER, useClass: RestyleFilter },
              ]
            : []),
        ],
      }).compile();
      // As docs/nestjs.md says: `rawBody: true` keeps the raw body, as NestFactory.create(AppModule, { rawBody: true }).
      const rawBody = options.keepRawBody !== false;
      const app: INestApplication =
        platform === 'express'
          ? moduleRef.createNestApplication({ logger: false, rawBody })
          : moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false, rawBody });
      await app.init();
      if (platform === 'express') {
        return { seen, serverErrors, send: overHttp(app.getHttpServer()), close: () => app.close() };
      }
      const fastify = app as NestFastifyApplication;
      await fastify.getHttpAdapter().getInstance().ready();
      return {
        seen,
        serverErrors,
        async send(sent) {
          const { method, path, headers, payload } = normalise(sent);
          const response = await fastify.inject({
            method,
            url: path,
            headers,
            ...(payload === undefined ? {} : { payload }),
          });
          return fromNode(response.statusCode, response.headers, response.body);
        },
        close: () => app.close(),
      };
    },
  };
}

export const nestExpress = nestDriver('express');
export const nestFastify = nestDriver('fastify');
