// The `vk-miniapp-auth` executable (package.json "bin"); the build adds the shebang.
import { processIo } from './io.js';
import { run } from './run.js';

// Exit code for a bug in the CLI itself (sysexits' EX_SOFTWARE), distinct from 0, 1 and 2.
const INTERNAL_ERROR = 70;

// A closed pipe (`… | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `vk-miniapp-auth: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = INTERNAL_ERROR;
  },
);
