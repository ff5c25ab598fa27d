// Behind proxy.js: reached only with launch params the proxy verified.
export function GET(request) {
  return Response.json({ vk_user_id: Number(request.headers.get('x-vk-user-id')) });
}
