// main.ts: `lvzhi serve`: reads the environment, creates the engine, starts the scheduler and listens.

import path from 'node:path';
import { isLvzError } from '../engine/errors.ts';
import type { Engine } from '../engine/runtime/types.ts';
import { buildApp } from './app.ts';

export interface ServeConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  demo: boolean;
  secureCookies: boolean;
  trustProxy: boolean;
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
  };
}

/**
 * Starts the server; resolves once it listens. When the engine cannot start it prints one line
 * and exits: 3 when the database cannot be reached or migrated (LVZ_STORE_*), 2 for anything
 * else (broken definitions). Exit codes are listed in docs/deploy.md.
 */
export async function main(argv: string[]): Promise<void> {
  const config = readConfig(argv);
  const { createEngine } = await import('../engine/index.ts');
  const { startScheduler } = await import('../engine/runtime/scheduler.ts');
  let engine: Engine;
  try {
    engine = await createEngine({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, demo: config.demo });
  } catch (e) {
    // Definition, calendar or database errors at start-up: say what is wrong, not a stack trace.
    console.error(isLvzError(e) ? e.format() : e instanceof Error ? e.message : String(e));
    process.exit(isLvzError(e) && e.code.startsWith('LVZ_STORE_') ? 3 : 2);
  }
  const app = await buildApp({
    engine, dataDir: config.dataDir, secureCookies: config.secureCookies, trustProxy: config.trustProxy,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  const stopScheduler = startScheduler(engine, { intervalMs: 30_000 });
  const shutdown = async () => {
    stopScheduler();
    await app.close();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  console.log(`lvzhi: http://${shown}:${config.port}/  (data: ${config.dataDir}${config.demo ? ', demo accounts on the login page' : ''})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
