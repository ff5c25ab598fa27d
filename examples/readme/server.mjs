// server.mjs: run with VK_APP_SECRET=<your app's Secure key> node server.mjs
import express from 'express';
import { vkMiniAppAuth } from 'vk-miniapp-auth/express';

const app = express();
// Every request under /api must carry launch params that VK signed for this app.
app.use('/api', vkMiniAppAuth({
  secret: process.env.VK_APP_SECRET, // the app's Secure key (Защищённый ключ)
  appId: 6736218, // your app's id: launches of other apps are refused
  resolveUser: (params) => ({ id: params.vk_user_id }), // your get-or-create
}));
app.get('/api/me', (req, res) => res.json({ user_id: req.vk.user.id }));

app.listen(process.env.PORT ?? 3000);
