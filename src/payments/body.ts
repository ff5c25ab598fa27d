import { fail, VkAuthError } from '../errors.js';
import { MAX_NOTIFICATION_LENGTH } from './form.js';

const encoder = new TextEncoder();

/** VK posts `application/x-www-form-urlencoded`; a body of another declared type is refused. */
export function checkContentType(header: string | readonly string[] | null | undefined): void {
  // Node gives a repeated header as a list; the first one is what a parser would read.
  const contentType = Array.isArray(header) ? header[0] : header;
  if (contentType === null || contentType === undefined || contentType === '') return;
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    fail('MALFORMED', 'VK posts payment notifications as application/x-www-form-urlencoded.');
  }
}

/** The body of a Web `Request`, read up to {@link MAX_NOTIFICATION_LENGTH} bytes. */
export async function readRequestBody(request: Request): Promise<Uint8Array> {
  checkContentType(request.headers.get('content-type'));
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_NOTIFICATION_LENGTH) tooLarge();
  if (request.bodyUsed) alreadyRead();
  if (request.body === null) return new Uint8Array(0);
  return collect(request.body as unknown as AsyncIterable<unknown>);
}

/** The events of a Node readable stream that the Express mount listens to. */
export interface NodeStreamLike {
  /** A chunk of the body. */
  on(event: 'data', listener: (chunk: unknown) => void): unknown;
  /** The body is complete. */
  on(event: 'end', listener: () => void): unknown;
  /** The request failed (the client went away). */
  on(event: 'error', listener: (error: unknown) => void): unknown;
  /** Stops listening. */
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * A Node `IncomingMessage` (or Express's request), read from its events. A
 * body that is too large is refused at once, and the rest of it drained
 * unbuffered (the stream keeps flowing with no listener): destroying the
 * request instead would close the socket before the answer is written.
 */
export function readNodeStream(stream: NodeStreamLike): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    let total = 0;
    const stop = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    const onData = (chunk: unknown) => {
      const part = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      if (!(part instanceof Uint8Array)) {
        stop();
        reject(new VkAuthError('MALFORMED', 'The request body is not bytes.'));
        return;
      }
      total += part.length;
      if (total > MAX_NOTIFICATION_LENGTH) {
        stop();
        reject(tooLargeError());
        return;
      }
      parts.push(part);
    };
    const onEnd = () => {
      stop();
      resolve(concat(parts, total));
    };
    const onError = (error: unknown) => {
      stop();
      reject(error);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

async function collect(chunks: AsyncIterable<unknown>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const iterator = iterate(chunks);
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    const part = typeof value === 'string' ? encoder.encode(value) : value;
    if (!(part instanceof Uint8Array)) fail('MALFORMED', 'The request body is not bytes.');
    total += part.length;
    if (total > MAX_NOTIFICATION_LENGTH) {
      // Cancels the stream: the rest of the body is never read.
      await iterator.return?.();
      throw tooLargeError();
    }
    parts.push(part);
  }
  return concat(parts, total);
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.length;
  }
  return body;
}

/** An iterator over a stream: its async iterator, or a Web `ReadableStream`'s reader where that is missing. */
function iterate(chunks: AsyncIterable<unknown>): AsyncIterator<unknown> {
  if (typeof (chunks as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function') {
    return chunks[Symbol.asyncIterator]();
  }
  const reader = (chunks as unknown as ReadableStream<unknown>).getReader();
  return {
    next: () => reader.read() as Promise<IteratorResult<unknown>>,
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}

function alreadyRead(): never {
  return fail(
    'MALFORMED',
    'The request body was already read; give the payments handler the request before anything parses its body.',
  );
}

function tooLarge(): never {
  throw tooLargeError();
}

/** The refusal of a notification body over the size limit, wherever it is read. */
export function tooLargeError(): VkAuthError {
  return new VkAuthError(
    'TOO_LARGE',
    `The notification is over ${MAX_NOTIFICATION_LENGTH / 1024} KiB; VK's are far smaller.`,
  );
}
