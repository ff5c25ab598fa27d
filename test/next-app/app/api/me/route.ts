import type { NextRequest } from 'next/server';
import { withVk } from '@/lib/vk';

// NextRequest as the second type argument: the handler gets Next's own request, nextUrl included.
export const GET = withVk<RouteContext<'/api/me'>, NextRequest>(async (request, ctx) =>
  Response.json(
    { user: ctx.vk.user, vk_user_id: ctx.vk.params.vk_user_id, runtime: process.env.NEXT_RUNTIME },
    { headers: { 'x-next-url-pathname': request.nextUrl.pathname } },
  ),
);
