#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-old-space-size=512 --max-semi-space-size=16 --enable-experimental-regexp-engine-on-excessive-backtracks
// lvzhi.mjs: the `lvzhi` command. Plain ESM so npx can run it. `lvzhi serve` runs the bundle
// `npm run build:server` made (dist/server.mjs) when it is newer than every TypeScript source;
// everything else, and a stale or missing bundle, runs the TypeScript through tsx.
// --max-old-space-size=512 (here and in `npm start`): at that limit V8 grows its heap as on a
// small device, and the server's peak memory under load fell from 230-310 MB to 160-167 MB
// (docs/benchmarks.md, docs/deploy.md); the live heap is about 50 MB.
// --max-semi-space-size=16: Node 24 lets V8 size the young generation itself, up to 64 MB of it
// under load; 16 MB held the peak at 211-215 MB instead of 297-301 for the same CPU per request
// (docs/benchmarks.md, "What we tried", 22).
// MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool, V8's GC helpers) an arena
// of its own; two held the peak under load 40-50 MB lower at the same CPU (docs/benchmarks.md,
// "What we tried", 28). Set before Node starts: glibc reads it once.
// --enable-experimental-regexp-engine-on-excessive-backtracks: a regex that backtracks too much is re-run
// by V8's linear engine (engine/expr/linear-regexp.ts also sets it, for every other way the engine runs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = path.join(ROOT, 'dist', 'server.mjs');
const CHECK_WORKER = path.join(ROOT, 'dist', 'check-worker.mjs'); // the studio's check (built with the bundle)
const SOURCES = ['engine', 'server', 'cli'];

/** The newest modification time of the .ts files under `dir` (0 when none). */
function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function isBundleFresh() {
  if (process.env.LVZHI_NO_BUNDLE === '1' || !fs.existsSync(BUNDLE) || !fs.existsSync(CHECK_WORKER)) return false;
  const built = fs.statSync(BUNDLE).mtimeMs;
  return SOURCES.every((d) => newestSource(path.join(ROOT, d)) <= built);
}

const argv = process.argv.slice(2);
if (argv[0] === 'serve' && isBundleFresh()) {
  const { main } = await import(BUNDLE);
  await main(argv.slice(1));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(argv);
}
