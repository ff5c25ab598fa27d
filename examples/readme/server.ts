// server.ts: the same server in TypeScript, with req.vk.user typed as your User.
import express from 'express';
import { vkMiniAppAuth } from 'vk-miniapp-auth/express';

interface User { id: number }
declare module 'vk-miniapp-auth/express' {
  interface Register { user: User } // Express types request state globally: declare it once
}

const app = express();
app.use('/api', vkMiniAppAuth({
  secret: process.env.VK_APP_SECRET!, // unset: each request is a 500, and the reason is logged
  appId: 6736218,
  resolveUser: (params): User => ({ id: params.vk_user_id }),
}));
app.get('/api/me', (req, res) => { res.json({ user_id: req.vk?.user.id }); });
app.listen(Number(process.env.PORT ?? 3000));
