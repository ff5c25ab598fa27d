// An app that declares `max: true` in `Register`: Express, Fastify and NestJS then take the `max`
// option and type `vk` as a VK, OK or MAX launch. `Register` is global to a TypeScript program,
// so this file is compiled as a program of its own (register-max.node-only.test.ts), apart from
// the rest of the repository, where no `max` is declared. `// @ts-expect-error` lines must err.
import express from 'express';
import Fastify from 'fastify';
import type { MaxLaunch, VkLaunch, VkOrMaxContext } from '../../../src/adapters/express/index.js';
import { vkMiniAppAuth as expressAuth } from '../../../src/adapters/express/index.js';
import { vkMiniAppAuth as fastifyAuth } from '../../../src/adapters/fastify/index.js';
import { VkMiniAppAuthModule, type VkRequest } from '../../../src/adapters/nestjs/index.js';
import type { LaunchParams } from '../../../src/index.js';

interface AppUser {
  key: string;
}

declare module '../../../src/adapters/express/index.js' {
  interface Register {
    user: AppUser;
    max: true;
  }
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function equalTypes<A, B>(..._same: Equal<A, B> extends true ? [] : [actual: A, expected: B]): void {}

const max = { botToken: process.env.MAX_BOT_TOKEN ?? '' };
const resolveUser = (params: LaunchParams | undefined, _request: unknown, launch: VkLaunch | MaxLaunch) => ({
  key: `${launch.platform}:${launch.userId}:${params?.vk_app_id ?? ''}`,
});

// Express: req.vk is VkOrMaxContext of the declared user.
const app = express();
app.use(expressAuth({ secret: 'secret', max, resolveUser }));
app.get('/me', (req, res) => {
  equalTypes<typeof req.vk, VkOrMaxContext<AppUser> | null | undefined>();
  const vk = req.vk;
  if (!vk) return res.status(401).end();
  // @ts-expect-error: a MAX launch has no launch params; narrow on platform first.
  vk.params.vk_user_id;
  return res.json(vk.platform === 'max' ? { name: vk.max.user?.first_name } : { id: vk.params.vk_user_id });
});
// @ts-expect-error: with max declared, resolveUser's params is undefined for a MAX launch.
expressAuth({ secret: 'secret', max, resolveUser: (params) => ({ key: String(params.vk_user_id) }) });

// Fastify: request.vk likewise.
const fastify = Fastify();
fastify.register(fastifyAuth, { secret: 'secret', max, resolveUser });
fastify.get('/me', async (request) => {
  equalTypes<typeof request.vk, VkOrMaxContext<AppUser> | null>();
  return { userId: request.vk?.userId };
});

// NestJS: the module takes max, and VkRequest's vk is the same union.
VkMiniAppAuthModule.forRoot({ secret: 'secret', max, resolveUser });
equalTypes<VkRequest['vk'], VkOrMaxContext<AppUser> | null | undefined>();

export { app, fastify };
