import { type NextFetchEvent, type NextRequest, NextResponse } from 'next/server';
import { vkMiniAppAuth } from 'vk-miniapp-auth/next';

const withVk = vkMiniAppAuth({
  secret: process.env.VK_APP_SECRET!,
  appId: Number(process.env.VK_APP_ID),
});

export const proxy = withVk<NextFetchEvent, NextRequest>(async (request, ctx) => {
  const headers = new Headers(request.headers);
  headers.set('x-vk-user-id', String(ctx.vk.params.vk_user_id));
  // ctx is Next's NextFetchEvent, with vk added: its waitUntil still works.
  ctx.waitUntil(Promise.resolve().then(() => console.log(`proxy: let vk_user_id ${ctx.vk.params.vk_user_id} through`)));
  return NextResponse.next({ request: { headers } });
});

export const config = { matcher: '/guarded/:path*' };
