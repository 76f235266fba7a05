// build-studio.ts: `npm run build:studio`: bundle the studio's editor (CodeMirror 6 from the @codemirror/*
// packages, the DSL's JSON Schemas, server/studio-client/) into server/public/studio/editor.js with
// esbuild, so the page loads one local file (no CDN). Run by `prestart` and `pretest`; about a second.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STUDIO_BUNDLE = path.join(ROOT, 'server', 'public', 'studio', 'editor.js');

export async function buildStudio(): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, 'server', 'studio-client', 'editor.ts')],
    outfile: STUDIO_BUNDLE,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = Date.now();
  await buildStudio();
  process.stdout.write(`built ${path.relative(ROOT, STUDIO_BUNDLE)} in ${Date.now() - t} ms\n`);
}
