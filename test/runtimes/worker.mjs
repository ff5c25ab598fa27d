// Cloudflare Worker runner, loaded into workerd by runtimes.node-only.test.ts
// through miniflare. No `nodejs_compat` flag is set, so a `node:` import in the
// Web build would fail to load here. `./vectors.json` is a Text module the test
// supplies from test/fixtures/vectors.json (workerd has no JSON module type in
// miniflare's API).
import * as lib from '../../dist/web/index.mjs';
import * as payments from '../../dist/web/payments.mjs';
import { runSuite } from './suite.mjs';
import vectorsText from './vectors.json';

export default {
  async fetch() {
    const result = await runSuite(lib, JSON.parse(vectorsText), payments);
    // The user agent shows the suite really ran inside workerd.
    const report = { runtime: 'workerd', userAgent: navigator.userAgent, ...result };
    return Response.json(report, { status: result.failed > 0 ? 500 : 200 });
  },
};
