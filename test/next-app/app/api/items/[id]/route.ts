import { withVk } from '@/lib/vk';

export const GET = withVk<RouteContext<'/api/items/[id]'>>(async (_request, ctx) => {
  const { id } = await ctx.params;
  return Response.json({ id, user: ctx.vk.user });
});
