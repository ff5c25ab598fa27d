import { withVk } from '../../../lib/vk.js';

export const GET = withVk(async (_request, ctx) =>
  Response.json({ user: ctx.vk.user, vk_user_id: ctx.vk.params.vk_user_id, runtime: process.env.NEXT_RUNTIME }),
);
