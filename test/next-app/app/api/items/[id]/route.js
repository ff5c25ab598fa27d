import { withVk } from '../../../../lib/vk.js';

export const GET = withVk(async (_request, ctx) => {
  const { id } = await ctx.params;
  return Response.json({ id, user: ctx.vk.user });
});
