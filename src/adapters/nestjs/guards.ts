import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REPLAY_RETRY_AFTER_SECONDS } from '../../replay/store.js';
import type { Authenticate } from '../common/authenticate.js';
import type { VkOrMaxContext } from '../common/context.js';
import {
  type CheckCreateHash,
  createCheckCreateHash,
  isReplayStoreUnavailable,
  keptRawBody,
  type RequireCreateHashOptions,
  singleHeader,
} from '../common/create-hash.js';
import {
  type CheckGroupRole,
  createCheckGroupRole,
  type GroupRoleArguments,
  type RequireGroupRoleOptions,
} from '../common/group-role.js';
import { refusalOf, wwwAuthenticate } from '../common/refusal.js';
import { sendSessionHeaders } from '../common/session.js';
import { VkForbiddenException, VkUnauthorizedException } from './exception.js';
import type { NestRequireCreateHashOptions, NestVkMiniAppAuthOptions, VkHttpRequest } from './options.js';
import {
  VK_CREATE_HASH_KEY,
  VK_GROUP_ROLE_KEY,
  VK_MINIAPP_AUTH_OPTIONS,
  VK_MINIAPP_AUTHENTICATE,
  VK_PUBLIC_KEY,
} from './tokens.js';

// This file applies Nest's decorators as plain function calls (what
// TypeScript's `experimentalDecorators` compiles `@Injectable()` to), so it
// builds with any compiler settings and needs no `emitDecoratorMetadata`:
// every constructor dependency is named by an explicit `@Inject` token.

/**
 * What the guards share: a refusal (CORS preflights included) sets
 * `WWW-Authenticate` and becomes {@link VkUnauthorizedException} (401), or
 * {@link VkForbiddenException} when its status is 403 (`GROUP_ROLE_FORBIDDEN`),
 * and any other error (a failing `resolveUser`) reaches Nest's exception
 * handling as a 500.
 * Override `getRequest` / `getResponse` for other transports (GraphQL).
 */
export abstract class VkHttpGuard implements CanActivate {
  abstract canActivate(context: ExecutionContext): Promise<boolean>;

  /** Runs `check` on the request of `context`, answering refusals the Nest way. */
  protected async guard(
    context: ExecutionContext,
    check: (request: VkHttpRequest) => Promise<unknown>,
  ): Promise<boolean> {
    // No exemption for CORS preflights: @VkUser() and @VkLaunchParams() are typed as present, so
    // a preflight that reaches a guarded route is a request like any other (app.enableCors()
    // answers preflights before any guard runs; a @Public() route is not guarded).
    const request = this.getRequest(context);
    try {
      await check(request);
    } catch (error) {
      const refusal = refusalOf(error);
      // Nest answers an unknown error 500: a replay store that cannot answer is a 503 (try again).
      if (refusal === undefined && isReplayStoreUnavailable(error)) {
        setHeader(this.getResponse(context), 'Retry-After', String(REPLAY_RETRY_AFTER_SECONDS));
        throw new ServiceUnavailableException(undefined, { cause: error });
      }
      if (refusal === undefined) throw error;
      setHeader(this.getResponse(context), 'WWW-Authenticate', wwwAuthenticate(refusal));
      throw refusal.status === 403 ? new VkForbiddenException(refusal) : new VkUnauthorizedException(refusal);
    }
    return true;
  }

  /** The request to read and to put `vk` on. */
  protected getRequest(context: ExecutionContext): VkHttpRequest {
    return context.switchToHttp().getRequest<VkHttpRequest>();
  }

  /** The response to set `WWW-Authenticate` on. */
  protected getResponse(context: ExecutionContext): unknown {
    return context.switchToHttp().getResponse<unknown>();
  }
}

/**
 * Verifies the launch params of the requests it guards and puts the result
 * on the request (read it with {@link VkUser} and {@link VkLaunchParams}).
 * Works on `@nestjs/platform-express` and `@nestjs/platform-fastify`.
 * Needs {@link VkMiniAppAuthModule} imported once (it is global).
 *
 * A refusal throws {@link VkUnauthorizedException} (401) after setting
 * `WWW-Authenticate` on the response; any other error (a throwing
 * `resolveUser`) goes to Nest's exception handling as it is (500).
 *
 * @example
 * ```ts
 * // Per controller or route:
 * @UseGuards(VkMiniAppAuthGuard)
 * @Controller()
 * export class ProtectedController {}
 *
 * // Or for the whole app, in any module's providers (then use @Public() to exempt routes):
 * { provide: APP_GUARD, useClass: VkMiniAppAuthGuard }
 * // or, in main.ts:
 * app.useGlobalGuards(app.get(VkMiniAppAuthGuard));
 * ```
 */
export class VkMiniAppAuthGuard extends VkHttpGuard {
  /**
   * Nest creates the guard from {@link VkMiniAppAuthModule}'s providers; it is
   * not meant to be called directly.
   *
   * @hidden
   */
  constructor(
    private readonly authenticate: Authenticate<unknown, unknown>,
    private readonly reflector: Reflector,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(VK_PUBLIC_KEY, [context.getHandler(), context.getClass()])) {
      return true;
    }
    return this.guard(context, async (request) => {
      const vk = (await this.authenticate(
        request,
        firstValue(request.headers?.authorization),
      )) as VkOrMaxContext<unknown>;
      // A MAX context comes only with the `max` option, which RegisteredMax declares.
      request.vk = vk as VkHttpRequest['vk'];
      if (vk?.session !== undefined) {
        const response = this.getResponse(context);
        sendSessionHeaders(
          vk.session,
          (name) => getHeader(response, name),
          (name, value) => setHeader(response, name, value),
        );
      }
    });
  }
}
Injectable()(VkMiniAppAuthGuard);
Inject(VK_MINIAPP_AUTHENTICATE)(VkMiniAppAuthGuard, undefined, 0);
Inject(Reflector)(VkMiniAppAuthGuard, undefined, 1);

/**
 * The guard {@link RequireCreateHash} applies: checks the CreateHash sign of
 * the routes that carry its options and lets every other route through. Its
 * options are validated on the first request of each route (a `TypeError`
 * then answers 500).
 *
 * @example
 * ```ts
 * // Usually applied by @RequireCreateHash; globally, after the launch-params guard:
 * providers: [
 *   { provide: APP_GUARD, useClass: VkMiniAppAuthGuard },
 *   { provide: APP_GUARD, useClass: VkCreateHashGuard },
 * ]
 * ```
 */
export class VkCreateHashGuard extends VkHttpGuard {
  private readonly checks = new WeakMap<object, CheckCreateHash<VkHttpRequest>>();

  /**
   * Nest creates the guard from {@link VkMiniAppAuthModule}'s providers; it is
   * not meant to be called directly.
   *
   * @hidden
   */
  constructor(
    private readonly moduleOptions: NestVkMiniAppAuthOptions<unknown, unknown>,
    private readonly reflector: Reflector,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const options = this.reflector.getAllAndOverride<NestRequireCreateHashOptions<unknown> | undefined>(
      VK_CREATE_HASH_KEY,
      [context.getHandler(), context.getClass()],
    );
    if (options === undefined) return true;
    return this.guard(context, (request) => this.checkFor(options)(request, request.vk));
  }

  private checkFor(options: NestRequireCreateHashOptions<unknown>): CheckCreateHash<VkHttpRequest> {
    let check = this.checks.get(options);
    if (check === undefined) {
      check = createCheckCreateHash<VkHttpRequest>(
        { ...options, secret: options.secret ?? this.moduleOptions.secret } as RequireCreateHashOptions<VkHttpRequest>,
        (request, name) => singleHeader(request.headers?.[name]),
        // NestFactory.create(AppModule, { rawBody: true }) keeps it, on both platforms.
        (request) => keptRawBody(request as { rawBody?: unknown; body?: unknown }),
      );
      this.checks.set(options, check);
    }
    return check;
  }
}
Injectable()(VkCreateHashGuard);
Inject(VK_MINIAPP_AUTH_OPTIONS)(VkCreateHashGuard, undefined, 0);
Inject(Reflector)(VkCreateHashGuard, undefined, 1);

/**
 * The guard {@link VkGroupRole} applies: on the routes that carry its roles,
 * lets in only a launch from a VK community whose viewer has one of them
 * there, and, with `groupId`, only for the community the request acts on;
 * every other route goes through. A refusal is a {@link VkForbiddenException}
 * (403, `GROUP_ROLE_FORBIDDEN`), or a {@link VkUnauthorizedException} (401
 * `MISSING_CREDENTIALS`) for an anonymous request let through by `optional`.
 *
 * @example
 * ```ts
 * // Usually applied by @VkGroupRole; globally, after the launch-params guard:
 * providers: [
 *   { provide: APP_GUARD, useClass: VkMiniAppAuthGuard },
 *   { provide: APP_GUARD, useClass: VkGroupRoleGuard },
 * ]
 * ```
 */
export class VkGroupRoleGuard extends VkHttpGuard {
  private readonly checks = new WeakMap<object, CheckGroupRole<VkHttpRequest>>();

  /**
   * Nest creates the guard from {@link VkMiniAppAuthModule}'s providers; it is
   * not meant to be called directly.
   *
   * @hidden
   */
  constructor(private readonly reflector: Reflector) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<GroupRoleArguments<RequireGroupRoleOptions<unknown>> | undefined>(
      VK_GROUP_ROLE_KEY,
      [context.getHandler(), context.getClass()],
    );
    if (rule === undefined) return true;
    return this.guard(context, (request) => this.checkFor(rule)(request, request.vk));
  }

  private checkFor(rule: GroupRoleArguments<RequireGroupRoleOptions<unknown>>): CheckGroupRole<VkHttpRequest> {
    let check = this.checks.get(rule);
    if (check === undefined) {
      check = createCheckGroupRole<VkHttpRequest>(
        rule.roles,
        rule.options.groupId,
        '@VkGroupRole found no launch-params check on this route: VkMiniAppAuthGuard must run first (as APP_GUARD, on the controller, or in @UseGuards below @VkGroupRole), and a @Public() route has none.',
      );
      this.checks.set(rule, check);
    }
    return check;
  }
}
Injectable()(VkGroupRoleGuard);
Inject(Reflector)(VkGroupRoleGuard, undefined, 0);

function firstValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/** Express's `res.header` / Fastify's `reply.header`, or Node's `setHeader`. */
function setHeader(response: unknown, name: string, value: string): void {
  const target = response as {
    header?: (name: string, value: string) => unknown;
    setHeader?: (name: string, value: string) => unknown;
  } | null;
  if (typeof target?.header === 'function') target.header(name, value);
  else if (typeof target?.setHeader === 'function') target.setHeader(name, value);
}

/** Express's `res.get` / Fastify's `reply.getHeader`, or Node's `getHeader`. */
function getHeader(response: unknown, name: string): unknown {
  const target = response as {
    getHeader?: (name: string) => unknown;
    get?: (name: string) => unknown;
  } | null;
  if (typeof target?.getHeader === 'function') return target.getHeader(name);
  if (typeof target?.get === 'function') return target.get(name);
  return undefined;
}
