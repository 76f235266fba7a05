// spawn.ts (test helper): real `node bin/lvzhi.mjs serve` processes on a test database, for the
// crash and several-process tests: started on a free port (PORT=0, the port is read from the
// start line), killed with any signal, their output kept for the failure message.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestDatabase } from './db.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Where the servers' clocks start (engine/runtime/clock.ts): 09:00 on a Monday in Shanghai. */
export const FAKE_NOW = '2026-03-02T01:00:00Z';

export interface ServerProcess {
  proc: ChildProcess;
  pid: number;
  base: string;
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  args?: string[];
  /** What to wait for on stdout before resolving (default: the start line with its port). */
  ready?: RegExp;
  timeoutMs?: number;
  /** false: serve without --demo (a production-like install); default true. */
  demo?: boolean;
}

/** Starts `lvzhi serve --demo` (or without --demo: opts.demo) on the test database `place`; resolves once it listens. */
export async function spawnServer(place: TestDatabase, opts: SpawnOptions = {}): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    // The working-day calendar covers 2025–2026: a fixed start keeps deadlines inside it.
    ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: place.dataDir, LOG_LEVEL: 'warn', LVZHI_FAKE_NOW: FAKE_NOW, ...opts.env,
  };
  if (place.databaseUrl) env.DATABASE_URL = place.databaseUrl;
  else delete env.DATABASE_URL;
  const proc = spawn(process.execPath, ['bin/lvzhi.mjs', 'serve', ...(opts.demo === false ? [] : ['--demo']), ...(opts.args ?? [])], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  proc.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const ready = opts.ready ?? /lvzhi: http:\/\/127\.0\.0\.1:(\d+)\//;
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), opts.timeoutMs ?? 30_000);
    const check = (): void => {
      const m = ready.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1] ?? ''); }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`server exited (${code}) before it listened:\n${out}`)); });
  });
  return {
    proc, pid: proc.pid!, base: `http://127.0.0.1:${port}`, output: () => out, exited,
    kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** A JSON API call with a bearer token; never throws on a status, only on a dead connection. */
export async function api(base: string, method: string, url: string, opts: { token?: string; body?: unknown } = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: {
      ...(opts.token && { authorization: `Bearer ${opts.token}` }),
      ...(opts.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = { raw: text }; }
  return { status: res.status, json };
}

export async function apiToken(base: string, username: string): Promise<string> {
  const r = await api(base, 'POST', '/tokens', { body: { username, password: 'lvzhi2026' } });
  if (r.status !== 201) throw new Error(`token for ${username}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.token as string;
}
