/**
 * NestJS module, guard and parameter decorators: `VkMiniAppAuthModule.forRoot(options)`,
 * `VkMiniAppAuthGuard`, `@Public()`, `@VkLaunchParams()`, `@VkUser()`.
 *
 * @example
 * ```ts
 * import { VkMiniAppAuthGuard, VkMiniAppAuthModule } from 'vk-miniapp-auth/nestjs';
 *
 * @Module({
 *   imports: [VkMiniAppAuthModule.forRoot({ secret: process.env.VK_APP_SECRET! })],
 *   providers: [{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }],
 * })
 * export class AppModule {}
 * ```
 *
 * @module vk-miniapp-auth/nestjs
 */
import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type DynamicModule,
  type ExecutionContext,
  type FactoryProvider,
  Inject,
  Injectable,
  Module,
  type ModuleMetadata,
  type PipeTransform,
  SetMetadata,
  type Type,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { VkAuthError, VkAuthErrorCode } from '../errors.js';
import type { LaunchParams } from '../launch-params/types.js';
import type { SecretOption } from '../options.js';
import {
  type CheckCreateHash,
  createCheckCreateHash,
  type RequireCreateHashOptions,
  singleHeader,
} from './create-hash.js';
import {
  type Authenticate,
  createAuthenticate,
  type RegisteredUser,
  refusalOf,
  type VkContext,
  type VkMiniAppAuthOptions,
  wwwAuthenticate,
} from './http.js';

// This file applies Nest's decorators as plain function calls (what
// TypeScript's `experimentalDecorators` compiles `@Injectable()` to), so it
// builds with any compiler settings and needs no `emitDecoratorMetadata`:
// every constructor dependency is named by an explicit `@Inject` token.

/**
 * The request as the guard sees it on either platform: Express's `Request`
 * or Fastify's `FastifyRequest`. Only `headers` are read (by the default
 * `getCredentials`); `vk` is written.
 *
 * @example
 * ```ts
 * VkMiniAppAuthModule.forRoot({
 *   secret,
 *   getCredentials: (req: VkHttpRequest) => req.headers['x-launch-params'] as string | undefined,
 * });
 * ```
 */
export interface VkHttpRequest {
  /** The HTTP method. A CORS preflight is checked like any request: `app.enableCors()` answers it before guards run. */
  method?: string;
  /** The request headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** Set by the guard: the verified launch params and user, or `null` for an anonymous request. */
  vk?: VkContext<unknown> | null;
}

/**
 * A request the guard has passed: `vk` holds the verified launch params and
 * user, `null` for an anonymous request let through by `optional`. For
 * handlers that take the whole request (`@Req()`) rather than
 * {@link VkUser} / {@link VkLaunchParams}.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@Req() req: VkRequest<User>) {
 *   return { user_id: req.vk?.user.id };
 * }
 * ```
 */
export interface VkRequest<User = RegisteredUser> {
  /** The verified launch params and user; `null` for an anonymous request let through by `optional`. */
  vk?: VkContext<User> | null;
}

/**
 * Options of {@link VkMiniAppAuthModule}: the shared {@link VkMiniAppAuthOptions}.
 * `User` is inferred from `resolveUser`; `Req` is the platform's request
 * (annotate `getCredentials`' or `resolveUser`'s parameter to pick it,
 * e.g. `FastifyRequest`), by default {@link VkHttpRequest}.
 *
 * @example
 * ```ts
 * const options: NestVkMiniAppAuthOptions<User> = {
 *   secret: process.env.VK_APP_SECRET!,
 *   resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 * };
 * ```
 */
export type NestVkMiniAppAuthOptions<User = undefined, Req = VkHttpRequest> = VkMiniAppAuthOptions<Req, User>;

/**
 * Options of {@link VkMiniAppAuthModule.forRootAsync}: a factory, with the
 * providers it needs, that resolves to the module options. Use it when
 * `resolveUser` needs one of your services.
 *
 * @example
 * ```ts
 * VkMiniAppAuthModule.forRootAsync({
 *   imports: [UsersModule],
 *   inject: [UserService],
 *   useFactory: (users: UserService) => ({
 *     secret: process.env.VK_APP_SECRET!,
 *     resolveUser: (params) => users.getOrCreate(params.vk_user_id),
 *   }),
 * });
 * ```
 */
export interface VkMiniAppAuthAsyncOptions<User = undefined, Req = VkHttpRequest> {
  /** Modules that export the providers `inject` names. */
  imports?: ModuleMetadata['imports'];
  /** Providers passed to `useFactory`, in order. */
  inject?: FactoryProvider['inject'];
  /** Resolves to the module options; they are validated as soon as it has. */
  // biome-ignore lint/suspicious/noExplicitAny: the same signature as Nest's own `useFactory`
  useFactory: (...args: any[]) => NestVkMiniAppAuthOptions<User, Req> | Promise<NestVkMiniAppAuthOptions<User, Req>>;
}

/**
 * The injection token of the options given to {@link VkMiniAppAuthModule}.
 *
 * @example
 * ```ts
 * constructor(@Inject(VK_MINIAPP_AUTH_OPTIONS) options: NestVkMiniAppAuthOptions) {}
 * ```
 */
export const VK_MINIAPP_AUTH_OPTIONS: unique symbol = Symbol('VK_MINIAPP_AUTH_OPTIONS');

/** The injection token of the request check built from the options (validated once). */
const VK_MINIAPP_AUTHENTICATE: unique symbol = Symbol('VkMiniAppAuthModule.forRoot()');

/**
 * The metadata key {@link Public} sets. Set it from your own decorator to
 * share one `@Public()` between several guards.
 *
 * @example
 * ```ts
 * export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), SetMetadata(VK_PUBLIC_KEY, true));
 * ```
 */
export const VK_PUBLIC_KEY = 'vk-miniapp-auth:public';

/**
 * Exempts a route, or every route of a controller, from {@link VkMiniAppAuthGuard}
 * (used globally or on the controller). `vk` is not set on such a request.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() {
 *   return { ok: true };
 * }
 * ```
 */
export function Public(): ClassDecorator & MethodDecorator {
  return SetMetadata(VK_PUBLIC_KEY, true);
}

/**
 * The refusal the guard throws: Nest's `UnauthorizedException` (so
 * `@Catch(UnauthorizedException)` filters see it) with the stable `code` in
 * its body, `{ statusCode: 401, error: 'Unauthorized', message, code }`, and
 * the `VkAuthError` as `cause`.
 *
 * @example
 * ```ts
 * @Catch(VkUnauthorizedException)
 * export class VkRefusalFilter implements ExceptionFilter {
 *   catch(exception: VkUnauthorizedException, host: ArgumentsHost) {
 *     // exception.code: 'EXPIRED', 'SIGN_INVALID', …
 *   }
 * }
 * ```
 */
export class VkUnauthorizedException extends UnauthorizedException {
  /** The stable reason; see `VkAuthErrorCode`. */
  readonly code: VkAuthErrorCode;

  constructor(error: VkAuthError) {
    super({ statusCode: 401, error: 'Unauthorized', message: error.message, code: error.code }, { cause: error });
    this.code = error.code;
  }
}

/**
 * What both guards share: a refusal (CORS preflights included) sets
 * `WWW-Authenticate` and becomes {@link VkUnauthorizedException}, and any other
 * error (a failing `resolveUser`) reaches Nest's exception handling as a 500.
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
      if (refusal === undefined) throw error;
      setHeader(this.getResponse(context), 'WWW-Authenticate', wwwAuthenticate(refusal));
      throw new VkUnauthorizedException(refusal);
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
      request.vk = await this.authenticate(request, firstValue(request.headers?.authorization));
    });
  }
}
Injectable()(VkMiniAppAuthGuard);
Inject(VK_MINIAPP_AUTHENTICATE)(VkMiniAppAuthGuard, undefined, 0);
Inject(Reflector)(VkMiniAppAuthGuard, undefined, 1);

/**
 * Configures the guard once for the whole app. The module is global: import
 * it in your root module, and the guard works in every module.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     VkMiniAppAuthModule.forRoot({ secret: process.env.VK_APP_SECRET!, appId: 6736218 }),
 *   ],
 *   providers: [{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }],
 * })
 * export class AppModule {}
 * ```
 */
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest module is a class; forRoot/forRootAsync are Nest's idiom
export class VkMiniAppAuthModule {
  /**
   * The module with static options, validated right here: a misconfiguration
   * throws a `TypeError` while the app module is being declared.
   *
   * @example
   * ```ts
   * VkMiniAppAuthModule.forRoot({ secret: process.env.VK_APP_SECRET!, appId: 6736218 })
   * ```
   */
  static forRoot<User = undefined, Req = VkHttpRequest>(options: NestVkMiniAppAuthOptions<User, Req>): DynamicModule {
    const authenticate = createAuthenticate(options);
    return moduleWith([
      { provide: VK_MINIAPP_AUTH_OPTIONS, useValue: options },
      { provide: VK_MINIAPP_AUTHENTICATE, useValue: authenticate },
    ]);
  }

  /**
   * The module with options from a factory that may use your providers
   * (`resolveUser` calling a service). They are validated when the factory
   * resolves, so a misconfiguration fails the app's start-up.
   *
   * @example
   * ```ts
   * VkMiniAppAuthModule.forRootAsync({
   *   imports: [UsersModule, ConfigModule],
   *   inject: [UserService, ConfigService],
   *   useFactory: (users: UserService, config: ConfigService) => ({
   *     secret: config.getOrThrow('VK_APP_SECRET'),
   *     resolveUser: (params) => users.getOrCreate(params.vk_user_id),
   *   }),
   * })
   * ```
   */
  static forRootAsync<User = undefined, Req = VkHttpRequest>(
    options: VkMiniAppAuthAsyncOptions<User, Req>,
  ): DynamicModule {
    if (options === null || typeof options !== 'object' || typeof options.useFactory !== 'function') {
      throw new TypeError('vk-miniapp-auth: VkMiniAppAuthModule.forRootAsync needs { useFactory }.');
    }
    return moduleWith(
      [
        { provide: VK_MINIAPP_AUTH_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: VK_MINIAPP_AUTHENTICATE,
          useFactory: (resolved: NestVkMiniAppAuthOptions<User, Req>) => createAuthenticate(resolved),
          inject: [VK_MINIAPP_AUTH_OPTIONS],
        },
      ],
      options.imports,
    );
  }
}
Module({})(VkMiniAppAuthModule);

function moduleWith(providers: NonNullable<ModuleMetadata['providers']>, imports?: ModuleMetadata['imports']) {
  return {
    module: VkMiniAppAuthModule,
    global: true,
    imports: imports ?? [],
    providers: [...providers, VkMiniAppAuthGuard, VkCreateHashGuard],
    exports: [VK_MINIAPP_AUTH_OPTIONS, VK_MINIAPP_AUTHENTICATE, VkMiniAppAuthGuard, VkCreateHashGuard],
  } satisfies DynamicModule;
}

/**
 * Options of {@link RequireCreateHash}: {@link RequireCreateHashOptions}, with
 * `secret` defaulting to the module's. `Req` is the platform's request, by
 * default {@link VkHttpRequest}.
 *
 * @example
 * ```ts
 * import type { Request } from 'express';
 *
 * const options: NestRequireCreateHashOptions<Request> = {
 *   payload: (req) => req.body.requestId,
 *   maxAge: 300,
 * };
 * ```
 */
export interface NestRequireCreateHashOptions<Req = VkHttpRequest>
  extends Omit<RequireCreateHashOptions<Req>, 'secret'> {
  /** The Secure key(s). Default: the `secret` given to {@link VkMiniAppAuthModule}. */
  secret?: SecretOption;
}

/**
 * The metadata key {@link RequireCreateHash} sets: its options.
 *
 * @example
 * ```ts
 * const options = reflector.get<NestRequireCreateHashOptions>(VK_CREATE_HASH_KEY, context.getHandler());
 * ```
 */
export const VK_CREATE_HASH_KEY = 'vk-miniapp-auth:create-hash';

/**
 * Requires, on a route or every route of a controller, a valid
 * `VKWebAppCreateHash` sign (by default in the `X-VK-Sign` and `X-VK-Sign-Ts`
 * headers) made for the user and app of the verified launch params: it sets
 * the options and applies {@link VkCreateHashGuard}.
 *
 * {@link VkMiniAppAuthGuard} must run first: global (`APP_GUARD`) or on the
 * controller does it; on the same method, write `@RequireCreateHash(…)`
 * above `@UseGuards(VkMiniAppAuthGuard)` (Nest runs the guards of decorators
 * closer to the method first). A refusal is a {@link VkUnauthorizedException}
 * with the code `CREATE_HASH_MISSING`, `CREATE_HASH_INVALID` or
 * `CREATE_HASH_EXPIRED` (`MISSING_CREDENTIALS` for an anonymous request let
 * through by `optional`).
 *
 * @example
 * ```ts
 * @Post('transfer')
 * @RequireCreateHash<Request>({ payload: (req) => req.body.requestId }) // Express's Request, or FastifyRequest
 * transfer(@VkUser() user: User, @Body() body: Transfer) {
 *   return this.payments.transfer(user, body);
 * }
 * ```
 */
export function RequireCreateHash<Req = VkHttpRequest>(
  options: NestRequireCreateHashOptions<Req>,
): ClassDecorator & MethodDecorator {
  if (options === null || typeof options !== 'object' || typeof options.payload !== 'function') {
    throw new TypeError(
      'vk-miniapp-auth: @RequireCreateHash needs { payload }, a function returning the payload VK signed for the request.',
    );
  }
  return applyDecorators(SetMetadata(VK_CREATE_HASH_KEY, options), UseGuards(VkCreateHashGuard));
}

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
      );
      this.checks.set(options, check);
    }
    return check;
  }
}
Injectable()(VkCreateHashGuard);
Inject(VK_MINIAPP_AUTH_OPTIONS)(VkCreateHashGuard, undefined, 0);
Inject(Reflector)(VkCreateHashGuard, undefined, 1);

type Pipe = Type<PipeTransform> | PipeTransform;

/**
 * The verified launch params of the request (`LaunchParams`), or one of them
 * by name; `null` when the request carries none (an anonymous request let
 * through by `optional`, or a `@Public()` route). Type the parameter
 * yourself, as with Nest's own decorators.
 *
 * @example
 * ```ts
 * @Get('whoami')
 * whoami(@VkLaunchParams() params: LaunchParams, @VkLaunchParams('vk_platform') platform: string) {
 *   return { id: params.vk_user_id, platform };
 * }
 * ```
 */
export const VkLaunchParams: (key?: keyof LaunchParams, ...pipes: Pipe[]) => ParameterDecorator = createParamDecorator(
  (key: keyof LaunchParams | undefined, context: ExecutionContext) => {
    const vk = vkOf(context);
    if (!vk) return null;
    return key === undefined ? vk.params : vk.params[key];
  },
);

/**
 * The user `resolveUser` returned for the request (`undefined` without
 * `resolveUser`); `null` when the request carries no launch params (an
 * anonymous request let through by `optional`, or a `@Public()` route).
 * Type the parameter with your user type.
 *
 * @example
 * ```ts
 * @Get('protected')
 * protected(@VkUser() user: User) {
 *   return { user_id: user.id };
 * }
 * ```
 */
export const VkUser: (...pipes: Pipe[]) => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => {
    const vk = vkOf(context);
    return vk ? vk.user : null;
  },
);

function vkOf(context: ExecutionContext): VkContext<unknown> | null | undefined {
  return context.switchToHttp().getRequest<VkHttpRequest>().vk;
}

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

export type { LaunchParams } from '../launch-params/types.js';
export type { CreateHashSource, RequireCreateHashOptions } from './create-hash.js';
export type { Register, RegisteredUser, ResolveUser, VkContext, VkMiniAppAuthOptions } from './http.js';
