// The backend the Node build uses. The Web build (tsdown.config.ts) and the
// Web Crypto test project (vitest.config.ts) swap this file for runtime.web.ts.
export { nodeBackend as backend } from './node.js';
