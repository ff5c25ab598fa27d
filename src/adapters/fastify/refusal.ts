import type { FastifyReply, FastifyRequest } from 'fastify';
import { REPLAY_RETRY_AFTER_SECONDS } from '../../replay/store.js';
import { isPreflight } from '../common/authenticate.js';
import { isReplayStoreUnavailable } from '../common/create-hash.js';
import { refusalOf, wwwAuthenticate } from '../common/refusal.js';

/**
 * What a failure is thrown into Fastify's error handling as: a refusal, with
 * its challenge set on the reply whatever error handler answers it; anything
 * else (resolveUser failing) untouched, as a 500.
 */
export function challenge(error: unknown, reply: FastifyReply): unknown {
  const refusal = refusalOf(error);
  if (refusal === undefined) return error;
  reply.header('www-authenticate', wwwAuthenticate(refusal));
  return refusal;
}

/**
 * A route guard's hook (`requireCreateHash`, `requireGroupRole`): runs `check`
 * on the request and its `vk`; a refusal is thrown into Fastify's error
 * handling with its challenge set. CORS preflights pass, as they pass the plugin.
 */
export function guardRoute(
  check: (request: FastifyRequest, vk: FastifyRequest['vk']) => Promise<unknown>,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return (request, reply) => {
    if (isPreflight(request.method, request.headers['access-control-request-method'])) return Promise.resolve();
    return check(request, request.vk).then(
      () => undefined,
      (error: unknown) => {
        // Fastify sends any error's message to the client: a store's reason is for the server's log only.
        if (isReplayStoreUnavailable(error)) {
          // `headers` on the error, not the reply: Fastify's error handling applies them, and an app's own keeps the choice.
          const headers = { 'Retry-After': String(REPLAY_RETRY_AFTER_SECONDS) };
          throw Object.assign(new Error('Service Unavailable'), { statusCode: 503, headers, cause: error });
        }
        throw challenge(error, reply);
      },
    );
  };
}
