// The backend the Node build uses: package.json's "imports" maps #crypto here
// under the `node` condition, and to runtime.web.ts otherwise (the Web build,
// and the Web Crypto test project through a condition of its own).
export { nodeBackend as backend } from './node.js';
