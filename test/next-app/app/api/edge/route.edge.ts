// Built only without cacheComponents (see next.config.mjs). No RouteContext
// here: the build with cacheComponents type-checks this file too, and
// '/api/edge' is no route there.
import { withVk } from '@/lib/vk';

export const runtime = 'edge';

export const GET = withVk(async (_request, ctx) =>
  Response.json({ user: ctx.vk.user, vk_user_id: ctx.vk.params.vk_user_id, runtime: process.env.NEXT_RUNTIME }),
);
