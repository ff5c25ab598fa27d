// The backend for every runtime that is not Node; see runtime.ts.
export { webBackend as backend } from './web.js';
