import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import FastifyV4 from 'fastify-v4';
import { expect } from 'vitest';
import { requireCreateHash, requireGroupRole, vkMiniAppAuth } from '../../../src/adapters/fastify/index.js';
import { statusOf, type VkAuthErrorCode } from '../../../src/errors.js';
import type { SecretOption } from '../../../src/options.js';
import {
  adapterOptions,
  bodyBoundHashOptions,
  brokenPayload,
  creatorsOf,
  type Driver,
  type DriverOptions,
  fromNode,
  GROUP_ROLES,
  groupIdOf,
  type Incoming,
  isRefusal,
  normalise,
  requestIdOf,
  single,
} from './driver.js';

const incoming = (request: FastifyRequest): Incoming => ({ header: (name) => single(request.headers[name]) });

const METHODS: ('GET' | 'POST' | 'OPTIONS')[] = ['GET', 'POST', 'OPTIONS'];

/**
 * Fastify 5 (`fastify`) or 4 (`fastify-v4`, seen through Fastify 5's types): the plugin
 * registered in the `/api` scope, requests through `app.inject`. Refusals are restyled with
 * `setErrorHandler`; an `onError` hook records what reaches Fastify's error handling.
 */
function fastifyDriver(name: string, createApp: typeof Fastify): Driver {
  return {
    name,
    framework: 'fastify',
    restyleThrough: 'setErrorHandler',
    preflight: 'passes',
    refusalBody: (code) => ({
      statusCode: statusOf(code as VkAuthErrorCode),
      code,
      error: statusOf(code as VkAuthErrorCode) === 403 ? 'Forbidden' : 'Unauthorized',
      message: expect.any(String),
    }),
    codeOf: (body) => (body as { code?: unknown } | undefined)?.code,
    ...creatorsOf({ groupRole: requireGroupRole, createHash: requireCreateHash }),
    // The plugin is registered, as an app does, rather than called.
    async create(options) {
      const app = createApp();
      try {
        await app.register(vkMiniAppAuth, options as never);
      } finally {
        await app.close();
      }
    },
    async start(options: DriverOptions) {
      const seen: unknown[] = [];
      const serverErrors: unknown[] = [];
      const { restyle } = options;
      const guard = (payload: (request: FastifyRequest) => string | undefined) =>
        requireCreateHash({ secret: options.secret as SecretOption, now: options.now, payload });
      const fromBody = guard((request) => requestIdOf(request.body));
      const roles = requireGroupRole(...GROUP_ROLES);
      const answer = async (request: FastifyRequest) => {
        seen.push(request.vk);
        return { vk: request.vk ?? null };
      };
      const bodyBound = requireCreateHash(bodyBoundHashOptions(options));
      const answerWithBody = async (request: FastifyRequest) => {
        seen.push(request.vk);
        return { vk: request.vk ?? null, body: request.body };
      };

      const app: FastifyInstance = createApp();
      app.addHook('onError', async (_request, _reply, error) => {
        if (!isRefusal(error)) serverErrors.push(error);
      });
      if (restyle) {
        app.setErrorHandler(async (error, _request, reply: FastifyReply) => {
          if (!isRefusal(error)) return reply.send(error);
          const { status, body } = await restyle(error);
          return reply.code(status).send(body);
        });
      }
      await app.register(
        async (api) => {
          await api.register(vkMiniAppAuth, adapterOptions(options, incoming));
          api.route({ method: METHODS, url: '/p', handler: answer });
          api.route({ method: METHODS, url: '/hash', preHandler: fromBody, handler: answer });
          api.route({
            method: METHODS,
            url: '/hash-header',
            preHandler: guard((request) => single(request.headers['x-vk-sign-payload'])),
            handler: answer,
          });
          api.route({ method: METHODS, url: '/hash-throws', preHandler: guard(brokenPayload), handler: answer });
          api.route({ method: METHODS, url: '/role', preHandler: roles, handler: answer });
          api.route({
            method: METHODS,
            url: '/groups/:groupId/role',
            preHandler: requireGroupRole(...GROUP_ROLES, {
              groupId: (request) => groupIdOf(options, (request.params as { groupId?: string }).groupId),
            }),
            handler: answer,
          });
          // A scope of its own, as docs/fastify.md says: Fastify's JSON parser, keeping the raw text.
          await api.register(async (scope) => {
            if (options.keepRawBody !== false) {
              const parseJson = scope.getDefaultJsonParser('error', 'error');
              scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
                Object.assign(request, { rawBody: text });
                parseJson(request, text as string, done);
              });
            }
            scope.route({ method: ['GET', 'POST'], url: '/hash-body', preHandler: bodyBound, handler: answerWithBody });
          });
        },
        { prefix: '/api' },
      );
      // Outside the scope the plugin guards: request.vk is never set.
      app.route({ method: METHODS, url: '/open/hash', preHandler: fromBody, handler: answer });
      app.route({ method: METHODS, url: '/open/role', preHandler: roles, handler: answer });
      await app.ready();
      return {
        seen,
        serverErrors,
        async send(sent) {
          const { method, path, headers, payload } = normalise(sent);
          const response = await app.inject({
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

export const fastify5 = fastifyDriver('fastify 5', Fastify);
export const fastify4 = fastifyDriver('fastify 4', FastifyV4 as unknown as typeof Fastify);
