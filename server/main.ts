// main.ts: `lvzhi serve`: reads the environment, creates the engine, starts the scheduler and listens.
// `--workers N` runs N such processes sharing the port (cluster.ts); SIGTERM drains (shutdown()).

import path from 'node:path';
import { isLvzError } from '../engine/errors.ts';
import type { Engine } from '../engine/runtime/types.ts';
import { buildApp } from './app.ts';
import type { UploadLimits } from '../engine/index.ts';
import { uploadLimitsFrom } from './upload-config.ts';
import { rehearsalSettings, type RehearsalSettings } from '../engine/runtime/clock.ts';

export interface ServeConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  demo: boolean;
  secureCookies: boolean;
  trustProxy: boolean;
  /** `--workers N`: N server processes (node:cluster) behind one port; 0: this process serves. */
  workers: number;
  /** TIMER_INTERVAL_MS: how often due timers are looked for (default 30 s). */
  timerIntervalMs: number;
  /** METRICS_TOKEN: turns /metrics on for scrapers sending it as a bearer token. */
  metricsToken?: string;
  /** PUBLIC_URL: where users reach the server (https://… : Secure cookies and HSTS on every response). */
  publicUrl?: string;
  /** READYZ_MAX_LOOP_DELAY_MS: an event-loop stall this long makes /readyz answer `saturated` (0: never). */
  maxLoopDelayMs: number;
  /** UPLOAD_*: upload quotas and the orphan timeout (upload-config.ts); unset ones keep the defaults. */
  uploads: Partial<UploadLimits>;
  /** LVZHI_REHEARSAL_START / LVZHI_REHEARSAL_SPEED: a rehearsal install's clock (docs/deploy.md). */
  rehearsal?: RehearsalSettings;
}

function workersArg(argv: string[]): number {
  const i = argv.findIndex((a) => a === '--workers' || a.startsWith('--workers='));
  if (i < 0) return 0;
  const raw = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`--workers ${raw ?? ''} is not a number of processes: use 1–64 (e.g. --workers 2, one per CPU core)`);
  return n;
}

export function readConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env.PORT} is not a port number: use 1–65535 (default 3000)`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    demo: argv.includes('--demo'),
    secureCookies: env.SECURE_COOKIES === '1' || env.SECURE_COOKIES === 'true',
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    workers: workersArg(argv),
    timerIntervalMs: timerInterval(env.TIMER_INTERVAL_MS),
    metricsToken: env.METRICS_TOKEN || undefined,
    maxLoopDelayMs: loopDelay(env.READYZ_MAX_LOOP_DELAY_MS),
    publicUrl: publicUrl(env.PUBLIC_URL),
    uploads: uploadLimitsFrom(env),
    rehearsal: rehearsalSettings(env),
  };
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^https?:\/\/[^/\s]+/i.test(raw)) throw new Error(`PUBLIC_URL=${raw} is not an http(s) address: use e.g. https://lvzhi.example.gov.cn`);
  return raw;
}

function loopDelay(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`READYZ_MAX_LOOP_DELAY_MS=${raw} is not a number of milliseconds ≥ 0 (default 1000; 0 turns the check off)`);
  return n;
}

function timerInterval(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 30_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 50) throw new Error(`TIMER_INTERVAL_MS=${raw} is not a number of milliseconds ≥ 50 (default 30000)`);
  return n;
}

/**
 * Starts the server; resolves once it listens. When the engine cannot start it prints one line
 * and exits: 3 when the database cannot be reached or migrated (LVZ_STORE_*), 2 for anything
 * else (broken definitions). Exit codes are listed in docs/deploy.md.
 */
export async function main(argv: string[]): Promise<void> {
  let config: ServeConfig;
  try {
    config = readConfig(argv);
  } catch (e) {
    // A setting that cannot be read (PORT, LVZHI_REHEARSAL_START …): its message, not a stack; exit 2 (usage).
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const cluster = (await import('node:cluster')).default;
  if (config.workers > 0 && cluster.isPrimary) {
    const { runPrimary } = await import('./cluster.ts');
    return runPrimary(config.workers);
  }
  const { createEngine, startScheduler } = await import('../engine/index.ts');
  const { clockNotice } = await import('../engine/runtime/clock.ts');
  let engine: Engine;
  try {
    engine = await createEngine({
      dataDir: config.dataDir, databaseUrl: config.databaseUrl, demo: config.demo, uploads: config.uploads,
      ...(config.rehearsal && { rehearsal: config.rehearsal }),
    });
  } catch (e) {
    // Definition, calendar or database errors at start-up: say what is wrong, not a stack trace.
    console.error(isLvzError(e) ? e.format() : e instanceof Error ? e.message : String(e));
    process.exit(isLvzError(e) && e.code.startsWith('LVZ_STORE_') ? 3 : 2);
  }
  const app = await buildApp({
    engine, dataDir: config.dataDir, secureCookies: config.secureCookies, trustProxy: config.trustProxy, metricsToken: config.metricsToken,
    loadLimits: { maxLoopDelayMs: config.maxLoopDelayMs }, publicUrl: config.publicUrl,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  const notice = clockNotice();
  if (notice) app.log.warn(notice);
  const stopScheduler = startScheduler(engine, {
    intervalMs: config.timerIntervalMs,
    onError: (e) => app.log.error({ err: e }, 'periodic work (timers, orphan uploads) failed'),
  });
  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    // A drain that hangs (a request stuck on a dead database) must not keep the process forever.
    setTimeout(() => process.exit(1), DRAIN_MS).unref();
    // /readyz says "draining" from here (routes/health.ts); once close() begins fastify answers 503
    // on connections still open and new ones are refused, so a balancer stops sending either way.
    app.draining = true;
    await app.close(); // stops accepting, then waits for the requests in flight
    await stopScheduler(); // waits for a timer round in progress
    await engine.close(); // the connection pool
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // Before the start line, so whoever waits for that line has seen this one.
  const rehearsal = engine.rehearsal();
  if (rehearsal) {
    console.log(`lvzhi: 演练环境：系统时间为 ${rehearsal.now.toISOString()}，是实际时间的 ${rehearsal.speed} 倍速（LVZHI_REHEARSAL_START=${process.env.LVZHI_REHEARSAL_START}）；期限和提醒按演练时间触发，不可用于正式办理`);
  }
  console.log(`lvzhi: http://${shown}:${port}/  (pid ${process.pid}, data: ${config.dataDir}${config.demo ? ', demo accounts on the login page' : ''})`);
  for (const w of await engine.warnings()) console.warn(`lvzhi: 注意：${w}`);
}

/** How long SIGTERM waits for requests in flight before giving up (exit 1). */
const DRAIN_MS = 30_000;

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
