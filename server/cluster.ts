// cluster.ts: `lvzhi serve --workers N`: the primary process forks N server processes that share
// the port (node:cluster hands connections round-robin), restarts one that dies, and on SIGTERM or
// SIGINT passes the signal on and waits for every worker to drain (main.ts shutdown()).
//
// The primary opens no database and serves nothing. Each worker is a whole `lvzhi serve`: its own
// connection pool and its own timer scheduler (safe on PostgreSQL: timers are leased, see
// docs/runtime.md). Sessions live in the database, so any worker serves any user.

import cluster, { type Worker } from 'node:cluster';

/** Longest a worker may take to drain before it is killed. */
const STOP_MS = 35_000;
const MAX_BACKOFF_MS = 30_000;

export async function runPrimary(count: number): Promise<void> {
  let stopping = false;
  let everListened = false;
  let failed: number | undefined;
  let backoff = 500;
  const listened = new WeakSet<Worker>();
  const log = (line: string): void => { process.stdout.write(`lvzhi: ${line}\n`); };

  const live = new Set<Worker>();
  let allGone: () => void = () => undefined;
  const fork = (): void => { live.add(cluster.fork()); };
  cluster.on('listening', (w, address) => {
    listened.add(w);
    everListened = true;
    backoff = 500;
    log(`worker ${w.process.pid} listening on ${address.address ?? ''}:${address.port}`);
  });
  cluster.on('exit', (w, code, signal) => {
    live.delete(w);
    if (stopping) {
      if (live.size === 0) allGone();
      return;
    }
    // A worker that could not even start (broken definitions 2, database unreachable 3) before any
    // worker ever served: the whole start failed, as it would without --workers.
    if (!everListened && !listened.has(w) && (code === 2 || code === 3)) {
      stopping = true;
      for (const other of live) other.process.kill('SIGTERM');
      failed = code;
      if (live.size === 0) allGone();
      return;
    }
    log(`worker ${w.process.pid} exited (${signal ?? `code ${code}`}); starting a new one in ${backoff} ms`);
    setTimeout(() => { if (!stopping) fork(); }, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  });

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining ${live.size} workers`);
    for (const w of live) w.process.kill('SIGTERM');
    if (live.size === 0) allGone();
    setTimeout(() => {
      for (const w of live) w.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_MS).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < count; i++) fork();
  log(`primary ${process.pid} started ${count} workers`);
  // Once every worker is gone after a stop: 0 after a signal, the worker's code after a failed start.
  await new Promise<void>((resolve) => { allGone = resolve; });
  process.exit(failed ?? 0);
}
