import type { PaymentsReply } from '../../payments/answers.js';
import { checkContentType, tooLargeError } from '../../payments/body.js';
import type { PaymentFormInput } from '../../payments/form.js';
import { MAX_NOTIFICATION_LENGTH } from '../../payments/form.js';
import { createPaymentsHandler, type PaymentsHandlerOptions, REPLY_HEADERS, refusal } from '../../payments/handler.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * The parts of a Fastify instance {@link paymentsFastify} uses. Structural,
 * so this entry needs no Fastify types; a `FastifyInstance` is one.
 *
 * @example
 * ```ts
 * const instance: FastifyInstanceLike = Fastify();
 * ```
 */
export interface FastifyInstanceLike {
  /** Whether a parser for this content type is in scope. */
  hasContentTypeParser(contentType: string): boolean;
  /** Removes a parser from this scope. */
  removeContentTypeParser(contentType: string): void;
  /** Adds a parser to this scope. */
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (request: never, body: Uint8Array, done: (error: Error | null, body?: unknown) => void) => void,
  ): void;
  /** Adds a POST route. */
  post(
    path: string,
    options: {
      errorHandler: (error: { code?: string }, request: unknown, reply: FastifyReplyLike) => unknown;
    },
    handler: (
      request: { body?: unknown; headers: Record<string, string | string[] | undefined> },
      reply: FastifyReplyLike,
    ) => Promise<unknown>,
  ): unknown;
}

/**
 * The parts of a Fastify reply {@link paymentsFastify} uses.
 *
 * @example
 * ```ts
 * const reply: FastifyReplyLike = fastifyReply;
 * ```
 */
export interface FastifyReplyLike {
  /** Sets the status code. */
  code(statusCode: number): unknown;
  /** Sets a header. */
  header(name: string, value: string): unknown;
  /** Sends the body. */
  send(payload: string): unknown;
}

/**
 * Options of {@link paymentsFastify}: the handler's, plus where to mount it.
 *
 * @example
 * ```ts
 * const options: PaymentsFastifyOptions = { path: '/vk/payments', secret, getItem, orderStatusChange };
 * ```
 */
export interface PaymentsFastifyOptions extends PaymentsHandlerOptions {
  /** The route's path, under the plugin's `prefix` if any. Default `/payments`. */
  path?: string;
}

/**
 * A Fastify 4 or 5 plugin that mounts `POST /payments` (see `path`) with the
 * handler of {@link createPaymentsHandler}. It reads the form body itself:
 * in its own encapsulated scope it replaces any parser of
 * `application/x-www-form-urlencoded` (such as `@fastify/formbody`'s) with a
 * raw one, so a repeated field is seen and refused; routes outside the plugin
 * keep theirs. Not wrapped with `fastify-plugin`, on purpose.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { paymentsFastify } from 'vk-miniapp-auth/payments';
 *
 * const app = Fastify();
 * await app.register(paymentsFastify, {
 *   secret: process.env.VK_APP_SECRET!,
 *   getItem: (n) => shop.find(n.item) ?? null,
 *   orderStatusChange: async (n) => ({ app_order_id: await shop.recordOrder(n) }),
 * });
 * ```
 */
export async function paymentsFastify(fastify: FastifyInstanceLike, options: PaymentsFastifyOptions): Promise<void> {
  const { path = '/payments', ...handlerOptions } = options ?? ({} as PaymentsFastifyOptions);
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError('vk-miniapp-auth/payments: path must be a route path such as "/payments".');
  }
  const handler = createPaymentsHandler(handlerOptions);

  if (fastify.hasContentTypeParser(FORM)) fastify.removeContentTypeParser(FORM);
  fastify.addContentTypeParser(
    FORM,
    { parseAs: 'buffer', bodyLimit: MAX_NOTIFICATION_LENGTH },
    (_request, body, done) => done(null, body),
  );

  const answer = (reply: FastifyReplyLike, body: PaymentsReply) => {
    reply.code(200);
    for (const [name, value] of Object.entries(REPLY_HEADERS)) reply.header(name, value);
    return reply.send(JSON.stringify(body));
  };
  fastify.post(
    path,
    {
      // Fastify refuses a body over the parser's limit before the handler runs, with its own
      // 413; VK expects its own format for every notification: HTTP 200 and error 11.
      errorHandler: (error, _request, reply) => {
        if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
        return answer(reply, refusal(tooLargeError()));
      },
    },
    async (request, reply) => {
      let form: PaymentFormInput;
      try {
        checkContentType(request.headers['content-type']);
        const { body } = request;
        form = body instanceof Uint8Array || typeof body === 'string' ? body : '';
      } catch (error) {
        return answer(reply, refusal(error));
      }
      // Not caught: a handler that cannot answer (a secret still missing) is Fastify's 500.
      return answer(reply, await handler.reply(form));
    },
  );
}
