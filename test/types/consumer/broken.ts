// The variant that must NOT compile: each line marked `// wrong` asserts a type the package does
// not have, and must get a diagnostic (no other line may). It proves that an assertion which no
// longer holds fails the compile, with every compiler and module setting. Compiled alone with the
// app's express.ts and fastify.ts (for their `Register`), not the whole consumer: it is quicker.
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { type LaunchParams, verifyLaunchParams } from 'vk-miniapp-auth';
import { vkMiniAppAuth as expressAuth } from 'vk-miniapp-auth/express';
import { vkMiniAppAuth as honoAuth } from 'vk-miniapp-auth/hono';
import { vkMiniAppAuth as koaAuth } from 'vk-miniapp-auth/koa';
import type { VkContext, VkRequest } from 'vk-miniapp-auth/nestjs';
import { vkMiniAppAuth as nextAuth } from 'vk-miniapp-auth/next';
import './express.js';
import './fastify.js';
import { equalTypes } from './assert.js';
import { getOrCreate, secret, type User } from './user.js';

const resolveUser = (params: LaunchParams) => getOrCreate(params.vk_user_id);

express()
  .use(expressAuth({ secret, resolveUser }))
  .get('/', (req) => {
    const user: string | undefined = req.vk?.user; // wrong
    return user;
  });

Fastify().get('/', async (request) => {
  const user: string | undefined = request.vk?.user; // wrong
  return user;
});

new Hono().use(honoAuth({ secret, resolveUser })).get('/', (c) => {
  const user: string = c.get('vk').user; // wrong
  return c.text(user);
});

new Koa().use(koaAuth({ secret, resolveUser })).use((ctx) => {
  const user: string = ctx.state.vk.user; // wrong
  ctx.body = user;
});

nextAuth({ secret, resolveUser })(async (_request, ctx) => {
  const user: string = ctx.vk.user; // wrong
  return new Response(user);
});

export function nest(req: VkRequest<User>): void {
  const user: string | undefined = req.vk?.user; // wrong
  void user;
}

export async function core(query: string): Promise<void> {
  const params: Promise<string> = verifyLaunchParams(query, { secret }); // wrong
  void params;
}

equalTypes<LaunchParams['vk_user_id'], string>(); // wrong
// biome-ignore lint/suspicious/noExplicitAny: the helper must tell any from the user type.
equalTypes<VkContext<User>['user'], any>(); // wrong
