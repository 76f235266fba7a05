// servers.ts: the two servers under test as child processes (so autocannon never shares their
// event loop): the bare fastify route and the real `lvzhi serve`. Every wait is bounded.

import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface Child {
  pid: number;
  port: number;
  /** The last lines the process printed (for an error message). */
  tail(): string;
  /** SIGINT, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `node <args>` and waits (at most `timeoutMs`) for a line matching `ready` on stdout. */
async function start(args: string[], env: NodeJS.ProcessEnv, port: number, ready: RegExp, timeoutMs: number): Promise<Child> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    running.delete(child);
    resolve();
  }));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: ${args.join(' ')} did not start within ${timeoutMs / 1000} s:\n${lines.join('\n')}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (ready.test(chunk.toString('utf8'))) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench: ${args.join(' ')} exited with ${code} before listening:\n${lines.join('\n')}`));
    });
  });
  return {
    pid: child.pid!, port,
    tail: () => lines.join('\n'),
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

export async function startBare(): Promise<Child> {
  const port = await freePort();
  return start(['--max-old-space-size=512', '--import', 'tsx', 'bench/bare-server.ts'], { PORT: String(port), LOG_LEVEL: 'warn' }, port, /bare: listening/, 60_000);
}

/** `node --max-old-space-size=512 --max-semi-space-size=16 bin/lvzhi.mjs serve --demo` (as `npm start` and the `lvzhi` command run it) on the seeded data; `nodeArgs` go before the script (e.g. --cpu-prof). */
export async function startLvzhi(dataDir: string, nodeArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<Child> {
  const port = await freePort();
  // MALLOC_ARENA_MAX as `npm start` and the lvzhi command set it (docs/deploy.md, "Memory").
  const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', MALLOC_ARENA_MAX: '2', ...extraEnv };
  // The heap limit `npm start` and the lvzhi command set (bin/lvzhi.mjs).
  return start(['--max-old-space-size=512', '--max-semi-space-size=16', ...nodeArgs, 'bin/lvzhi.mjs', 'serve', '--demo'], env, port, /lvzhi: http:/, 180_000);
}
