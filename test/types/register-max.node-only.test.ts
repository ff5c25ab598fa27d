// Compiles test/types/register-max/app.ts as a program of its own (its `Register` declaration is
// global to the program it is in): the compile-time assertions there must all hold, and each
// `@ts-expect-error` must meet its error. A type that regresses fails this test.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = fileURLToPath(new URL('./register-max/app.ts', import.meta.url));

describe('Register { max: true } (Express, Fastify, NestJS)', () => {
  it('types vk as a VK, OK or MAX launch of the declared user, and resolveUser for both', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      `${root}/tsconfig.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error('tsconfig.json could not be read');
    const program = ts.createProgram([app], { ...config.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where = diagnostic.file?.fileName.replace(root, '') ?? '';
      const line =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
          : 0;
      return `${where}:${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  }, 60_000);
});
