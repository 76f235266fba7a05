// build-server.ts: `npm run build:server`: bundle the server (server/main.ts and the engine it
// loads) into dist/server.mjs with esbuild, packages left as imports. `lvzhi serve` runs the
// bundle when it is newer than every source file (bin/lvzhi.mjs), and the TypeScript through tsx
// otherwise, so an edited source is never served stale. Without tsx's loader (its hooks thread,
// the sources compiled on the fly) the server starts faster and holds about 35 MB less
// (docs/benchmarks.md). Run by `prestart`; under a second.
//
// dist/ sits one level below the repository root, as engine/ and server/ do, so the paths the
// code finds from its own location (templates/, workflows/, calendars/) are the same. The studio's check
// runs in worker threads (engine/runtime/authoring/check-pool.ts), whose entry is bundled beside it as
// dist/check-worker.mjs: the bundled pool starts that file, as the sources start check-worker-boot.mjs.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE = path.join(ROOT, 'dist', 'server.mjs');
export const CHECK_WORKER_BUNDLE = path.join(ROOT, 'dist', 'check-worker.mjs');

export async function buildServer(): Promise<void> {
  await bundle(path.join(ROOT, 'server', 'main.ts'), SERVER_BUNDLE);
  await bundle(path.join(ROOT, 'engine', 'runtime', 'authoring', 'check-worker.ts'), CHECK_WORKER_BUNDLE);
}

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ['node20'],
    packages: 'external',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = Date.now();
  await buildServer();
  process.stdout.write(`built ${path.relative(ROOT, SERVER_BUNDLE)} in ${Date.now() - t} ms\n`);
}
