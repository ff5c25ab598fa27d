import type { FastifyReply } from 'fastify';
import { refusalOf, wwwAuthenticate } from '../shared/refusal.js';

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
