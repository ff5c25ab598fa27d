// Behind proxy.ts: reached only with launch params the proxy verified.
export function GET(request: Request) {
  return Response.json({ vk_user_id: Number(request.headers.get('x-vk-user-id')) });
}
