import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { indent, run } from './run-command.mjs';

/**
 * Typechecks a TypeScript file the way a strict consumer's project would, against the packages
 * installed in `project` (their published declarations, skipLibCheck off): the file is copied to
 * `project/<target>` beside a tsconfig.json that includes only it.
 */
export async function typecheckConsumer({ root, project, source, target }) {
  await mkdir(path.dirname(path.join(project, target)), { recursive: true });
  await writeFile(path.join(project, target), readFileSync(source));
  await writeFile(
    path.join(project, 'tsconfig.json'),
    `${JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      include: [target],
    })}\n`,
  );
  const typescript = path.join(root, 'node_modules/typescript/bin/tsc');
  const result = await run(process.execPath, [typescript, '-p', 'tsconfig.json'], { cwd: project });
  if (result.code !== 0)
    throw new Error(
      `tsc on ${path.relative(root, source)} against the installed packages failed:\n${indent(result.output)}`,
    );
}
