// `npm start`: build the library, then run the demo mini app (examples/demo).
// The build goes through tsdown's API rather than its command line: the command
// line prints notices about the build tool itself, and the first screen a
// newcomer sees should be the demo's own. Build errors and warnings still show.
import { build } from 'tsdown';

await build({ logLevel: 'warn' });
await import('../examples/demo/server/main.mjs');
