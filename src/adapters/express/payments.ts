import type { PaymentsReply } from '../../payments/answers.js';
import { checkContentType, type NodeStreamLike, readNodeStream } from '../../payments/body.js';
import type { PaymentFormInput } from '../../payments/form.js';
import {
  createPaymentsHandler,
  notPostReply,
  type PaymentsHandler,
  type PaymentsHandlerOptions,
  REPLY_HEADERS,
  refusal,
} from '../../payments/handler.js';

/**
 * The parts of a Node request (Express's, Connect's, `node:http`'s) the
 * payments mount reads. Structural, so this entry needs no Express types.
 *
 * @example
 * ```ts
 * const req: NodeRequestLike = expressRequest; // or an http.IncomingMessage
 * ```
 */
export interface NodeRequestLike extends NodeStreamLike {
  /** The HTTP method. */
  method?: string;
  /** The request headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** What a body parser left, if one ran. */
  body?: unknown;
  /** `true` once the body stream has been read (by a body parser). */
  readableEnded?: boolean;
}

/**
 * The parts of a Node response the payments mount writes.
 *
 * @example
 * ```ts
 * const res: NodeResponseLike = expressResponse; // or an http.ServerResponse
 * ```
 */
export interface NodeResponseLike {
  /** The status to send. */
  statusCode: number;
  /** Sets a response header. */
  setHeader(name: string, value: string): unknown;
  /** Sends the body and ends the response. */
  end(chunk: string): unknown;
}

/**
 * An Express (4 and 5) route handler, also a Connect or `node:http` request
 * listener, made by {@link paymentsExpress}.
 *
 * @example
 * ```ts
 * const handle: NodePaymentsHandler = paymentsExpress(options);
 * http.createServer((req, res) => (req.url === '/payments' ? handle(req, res) : notFound(res)));
 * ```
 */
export type NodePaymentsHandler = (
  req: NodeRequestLike,
  res: NodeResponseLike,
  next?: (error?: unknown) => void,
) => void;

/**
 * Mounts VK's payment notifications on Express (4 or 5), Connect or plain
 * `node:http`: the handler of {@link createPaymentsHandler}, answering
 * through Node's `res` with the same JSON.
 *
 * The body is read from the request stream unless a body parser already read
 * it; then `req.body` is used, whether text or bytes (`express.text()`,
 * `express.raw()`) or an object (`express.urlencoded()`: a repeated field
 * becomes an array and is refused; with `extended: true`, a field named like
 * `a[b]` becomes a nested object and is refused as malformed, and VK sends
 * none). Every notification gets VK's JSON answer; `next` is called only if
 * writing the answer fails.
 *
 * @param options The handler's options, or a handler made by {@link createPaymentsHandler}.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { paymentsExpress } from 'vk-miniapp-auth/payments';
 *
 * const app = express();
 * app.post('/payments', paymentsExpress({
 *   secret: process.env.VK_APP_SECRET!,
 *   getItem: (n) => shop.find(n.item) ?? null,
 *   orderStatusChange: async (n) => ({ app_order_id: await shop.recordOrder(n) }),
 * }));
 * ```
 */
export function paymentsExpress(options: PaymentsHandlerOptions | PaymentsHandler): NodePaymentsHandler {
  const handler = typeof options === 'function' ? options : createPaymentsHandler(options);
  return (req, res, next) => {
    answer(handler, req)
      .then((reply) => send(res, reply))
      .catch((error: unknown) => next?.(error));
  };
}

interface NodeAnswer {
  status: number;
  body: PaymentsReply;
  headers?: Record<string, string>;
}

async function answer(handler: PaymentsHandler, req: NodeRequestLike): Promise<NodeAnswer> {
  if (req.method !== undefined && req.method !== 'POST') {
    return { status: 405, body: notPostReply(), headers: { allow: 'POST' } };
  }
  let form: PaymentFormInput;
  try {
    checkContentType(req.headers['content-type']);
    form = await formOf(req);
  } catch (error) {
    return { status: 200, body: refusal(error) };
  }
  return { status: 200, body: await handler.reply(form) };
}

async function formOf(req: NodeRequestLike): Promise<PaymentFormInput> {
  const { body } = req;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  // body-parser marks the requests it read with `_body`; an unread stream is ours to read.
  const consumed = req.readableEnded === true || (req as { _body?: unknown })._body === true;
  if (!consumed) return readNodeStream(req);
  if (body !== null && typeof body === 'object') return body as PaymentFormInput;
  return '';
}

function send(res: NodeResponseLike, { status, body, headers = {} }: NodeAnswer): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries({ ...REPLY_HEADERS, ...headers })) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}
