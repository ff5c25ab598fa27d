// Run by cache-memory.node-only.test.ts in a fresh process, `node --expose-gc
// cache-flood.mjs <one-byte|two-byte>`, against the built package: one genuine
// launch sent in 1024 spellings, each padded to the size limit with tiny
// unsigned pairs (`&0&1&2…`), through one adapter instance. Prints, as JSON, how
// much the heap grew while the instance (alive) remembered them, and how many
// were accepted. A fresh process, so nothing else shares or frees memory meanwhile.
import { Hono } from 'hono';
import { MAX_INPUT_LENGTH, signLaunchParams } from 'vk-miniapp-auth';
import { vkMiniAppAuth } from 'vk-miniapp-auth/hono';

const SECRET = 'flood-secret';
const SPELLINGS = 1024;
const twoByte = process.argv[2] === 'two-byte';

function settledHeap() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** The n-th spelling, as one flat string: a marker naming n, then unsigned pairs up to the size limit. */
function padded(authorization, n) {
  const parts = [authorization, twoByte ? `&ж${n}` : `&p${n}`];
  let length = parts[0].length + parts[1].length;
  for (let i = 0; length + `&${i}`.length <= MAX_INPUT_LENGTH; i++) {
    parts.push(`&${i}`);
    length += `&${i}`.length;
  }
  return parts.join('');
}

const launch = await signLaunchParams({ vk_user_id: 1, vk_app_id: 1, vk_ts: Math.floor(Date.now() / 1000) }, SECRET);
// Headers are one byte a character; a getCredentials reading, say, a body field may hand over two-byte text.
let credential = '';
const app = new Hono()
  .use(vkMiniAppAuth({ secret: SECRET, getCredentials: () => credential }))
  .get('/', (c) => c.text('ok'));

const before = settledHeap();
let accepted = 0;
for (let n = 0; n < SPELLINGS; n++) {
  credential = padded(`Bearer ${launch}`, n);
  if ((await app.request('/')).status === 200) accepted++;
}
credential = '';
const grownBytes = settledHeap() - before;
console.log(JSON.stringify({ accepted, grownBytes, alive: typeof app.fetch === 'function' }));
