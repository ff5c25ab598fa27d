import { requireCreateHash, vkMiniAppAuth } from '../../../src/adapters/next/index.js';
import type { VkContext } from '../../../src/adapters/shared/context.js';
import type { VkAuthError } from '../../../src/index.js';
import type { SecretOption } from '../../../src/options.js';
import {
  adapterOptions,
  brokenPayload,
  type Driver,
  type DriverOptions,
  fromResponse,
  type Incoming,
  LIBRARY_REFUSAL_BODY,
  normalise,
  requestIdOf,
} from './driver.js';

const incoming = (request: Request): Incoming => ({ header: (name) => request.headers.get(name) ?? undefined });

/** What Next 15+ passes a route handler besides the request. */
const routeContext = () => ({ params: Promise.resolve({}) });

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
  async create(options) {
    vkMiniAppAuth(options as never);
  },
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
    const answer = async (_request: Request, ctx: { vk: VkContext<unknown> | null }) => {
      seen.push(ctx.vk);
      return Response.json({ vk: ctx.vk ?? null });
    };
    // `never`: each handler wants its own Next context; they are all called with the same one.
    const routes: Record<string, (request: Request, context: never) => Promise<Response>> = {
      '/api/p': withVk(answer),
      '/api/hash': withVk(fromBody(answer)),
      '/api/hash-header': withVk(guard((request) => request.headers.get('x-vk-sign-payload') ?? undefined)(answer)),
      '/api/hash-throws': withVk(guard(brokenPayload)(answer)),
      '/open/hash': async (request, context) => fromBody(answer)(request, context),
    };
    return {
      seen,
      serverErrors,
      async send(sent) {
        const { method, path, headers, payload } = normalise(sent);
        const route = routes[path];
        if (route === undefined) throw new Error(`no route ${path}`);
        const request = new Request(`http://localhost${path}`, { method, headers, body: payload });
        let response: Response;
        try {
          response = await route(request, routeContext() as never);
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
