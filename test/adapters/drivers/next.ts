import type { VkContext } from '../../../src/adapters/common/context.js';
import { requireCreateHash, requireGroupRole, vkMiniAppAuth } from '../../../src/adapters/next/index.js';
import type { VkAuthError } from '../../../src/index.js';
import type { SecretOption } from '../../../src/options.js';
import {
  adapterOptions,
  bodyBoundHashOptions,
  brokenPayload,
  creatorsOf,
  type Driver,
  type DriverOptions,
  fromResponse,
  GROUP_ROLES,
  groupIdOf,
  type Incoming,
  LIBRARY_REFUSAL_BODY,
  normalise,
  requestIdOf,
} from './driver.js';

const incoming = (request: Request): Incoming => ({ header: (name) => request.headers.get(name) ?? undefined });

/** What Next 15+ passes a route handler besides the request: the route's dynamic segments. */
const routeContext = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });

/** `app/api/groups/[groupId]/role/route.ts`: the one dynamic route, matched as Next's router would. */
const GROUP_ROUTE = /^\/api\/groups\/([^/]+)\/role$/;

/**
 * Next.js (App Router): each route's handler wrapped in `withVk` (and `withCreateHash`), called
 * with a Web `Request` as Next calls it; a handler that throws is answered 500, as Next does,
 * and recorded.
 */
export const next: Driver = {
  name: 'next',
  framework: 'next',
  restyleThrough: 'onError',
  preflight: 'checked',
  ...LIBRARY_REFUSAL_BODY,
  ...creatorsOf({ launchParams: vkMiniAppAuth, groupRole: requireGroupRole, createHash: requireCreateHash }),
  async start(options: DriverOptions) {
    const seen: unknown[] = [];
    const serverErrors: unknown[] = [];
    const { restyle } = options;
    const onError = restyle
      ? async (error: VkAuthError) => {
          const { status, body } = await restyle(error);
          return Response.json(body, { status });
        }
      : undefined;
    const guard = (payload: (request: Request) => string | undefined | Promise<string | undefined>) =>
      requireCreateHash({ secret: options.secret as SecretOption, now: options.now, payload, onError });
    const fromBody = guard(async (request) =>
      requestIdOf(
        await request
          .clone()
          .json()
          .catch(() => undefined),
      ),
    );

    const withVk = vkMiniAppAuth({ ...adapterOptions(options, incoming), onError });
    const roles = requireGroupRole(...GROUP_ROLES, { onError });
    const answer = async (_request: Request, ctx: { vk: VkContext<unknown> | null }) => {
      seen.push(ctx.vk);
      return Response.json({ vk: ctx.vk ?? null });
    };
    // Nothing to keep: the guard hashes a clone of the request's body; the handler reads the body.
    const withBodyBoundHash = requireCreateHash({ ...bodyBoundHashOptions(options), onError });
    const answerWithBody = async (request: Request, ctx: { vk: VkContext<unknown> | null }) => {
      seen.push(ctx.vk);
      return Response.json({ vk: ctx.vk ?? null, body: await request.json().catch(() => undefined) });
    };
    // `never`: each handler wants its own Next context; they are all called with the same one.
    const routes: Record<string, (request: Request, context: never) => Promise<Response>> = {
      '/api/p': withVk(answer),
      '/api/hash': withVk(fromBody(answer)),
      '/api/hash-header': withVk(guard((request) => request.headers.get('x-vk-sign-payload') ?? undefined)(answer)),
      '/api/hash-throws': withVk(guard(brokenPayload)(answer)),
      '/open/hash': async (request, context) => fromBody(answer)(request, context),
      '/api/role': withVk(roles(answer)),
      '/api/groups/[groupId]/role': withVk(
        requireGroupRole(...GROUP_ROLES, {
          groupId: async (_request, ctx) => groupIdOf(options, (await ctx.params).groupId),
          onError,
        })(answer),
      ),
      '/open/role': async (request, context) => roles(answer)(request, context),
      '/api/hash-body': withVk(withBodyBoundHash(answerWithBody)),
    };
    return {
      seen,
      serverErrors,
      async send(sent) {
        const { method, path, headers, payload } = normalise(sent);
        const group = GROUP_ROUTE.exec(path);
        const route = routes[group ? '/api/groups/[groupId]/role' : path];
        if (route === undefined) throw new Error(`no route ${path}`);
        const params: Record<string, string> = group ? { groupId: decodeURIComponent(group[1] as string) } : {};
        const request = new Request(`http://localhost${path}`, { method, headers, body: payload });
        let response: Response;
        try {
          response = await route(request, routeContext(params) as never);
        } catch (error) {
          serverErrors.push(error);
          response = new Response('Internal Server Error', { status: 500 });
        }
        return fromResponse(response);
      },
      close: async () => {},
    };
  },
};
