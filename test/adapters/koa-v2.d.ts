// Koa 2, installed under the npm alias `koa-v2`, ships no types of its own (nor does Koa 3: both
// take theirs from @types/koa). The middleware's types come from @types/koa (3), whose surface
// the tests use is the same on Koa 2.
declare module 'koa-v2' {
  import Koa = require('koa');
  export = Koa;
}
