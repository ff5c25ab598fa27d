// In the mini app's page (a module script, or your bundler's entry).
import { createVkFetch } from 'vk-miniapp-auth/client';

const vkFetch = createVkFetch(); // once, at start-up, before a router rewrites the URL
const me = await (await vkFetch('/api/me')).json(); // Authorization: Bearer vk_…&sign=…
console.log(me.user_id);
