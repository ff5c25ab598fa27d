// With the extension: Next has no "exports", so nodenext ESM resolves only the file itself.
import type { NextRequest } from 'next/server.js';
import type { LaunchParams } from 'vk-miniapp-auth';
import {
  type MaxLaunch,
  type NextVk,
  requireCreateHash,
  type VkContext,
  type VkLaunch,
  type VkOrMaxContext,
  vkMiniAppAuth,
  type WithVk,
} from 'vk-miniapp-auth/next';
import { equalTypes } from './assert.js';
import { getOrCreate, secret, type User } from './user.js';

// docs/next.md: the user is inferred from resolveUser into ctx.vk.
export const withVk = vkMiniAppAuth({
  secret,
  appId: 6736218,
  resolveUser: (params, request) => {
    equalTypes<typeof request, Request>();
    return getOrCreate(params.vk_user_id);
  },
});
equalTypes<typeof withVk, WithVk<VkContext<User>>>();

export const GET = withVk(async (request, ctx) => {
  equalTypes<typeof request, Request>();
  equalTypes<typeof ctx.vk, VkContext<User>>();
  equalTypes<typeof ctx.vk.params.vk_user_id, number>();
  const user: User = ctx.vk.user;
  // @ts-expect-error: the inferred user has no such field.
  ctx.vk.user.name;
  return Response.json({ user_id: user.id });
});
// Left out, the context is unknown, which Next's route check accepts for any route.
equalTypes<typeof GET, (request: Request, context: unknown) => Promise<Response>>();

// Next's context and NextRequest pass through.
export const ITEM = withVk<{ params: Promise<{ id: string }> }, NextRequest>(async (request, ctx) => {
  equalTypes<typeof request, NextRequest>();
  equalTypes<typeof ctx.params, Promise<{ id: string }>>();
  const { id } = await ctx.params;
  return Response.json({ id, owner: ctx.vk.user.id, path: request.nextUrl.pathname });
});

// `optional: true`, written literally: vk may be null.
export const OPTIONAL = vkMiniAppAuth({ secret, optional: true })(async (_request, ctx) => {
  equalTypes<typeof ctx.vk, VkContext<undefined> | null>();
  return new Response();
});

// A CreateHash sign, inside withVk: the handler keeps its types.
const withCreateHash = requireCreateHash({
  secret,
  payload: async (request) =>
    (
      await request
        .clone()
        .json()
        .catch(() => null)
    )?.requestId,
});
export const POST = withVk(
  withCreateHash(async (_request, ctx) => {
    equalTypes<typeof ctx.vk, VkContext<User>>();
    return Response.json({ user_id: ctx.vk.params.vk_user_id, id: ctx.vk.user.id });
  }),
);

// docs/max.md: with `max`, ctx.vk is a VK, OK or MAX launch.
export const withAnyLaunch = vkMiniAppAuth({
  secret,
  max: { botToken: process.env.MAX_BOT_TOKEN ?? '' },
  resolveUser: (params, _request, launch) => {
    equalTypes<typeof params, LaunchParams | undefined>();
    equalTypes<typeof launch, VkLaunch | MaxLaunch>();
    return getOrCreate(launch.userId);
  },
});
equalTypes<typeof withAnyLaunch, WithVk<NextVk<User, false, true>>>();
export const ANY = withAnyLaunch(async (_request, ctx) => {
  equalTypes<typeof ctx.vk, VkOrMaxContext<User>>();
  return Response.json(ctx.vk.platform === 'max' ? { chat: ctx.vk.max.chat?.id } : { app: ctx.vk.params.vk_app_id });
});
