// app.ts: builds the fastify instance: decorates it once with the engine, registers one plugin per
// area from server/routes/, and sets the only error handler. Nothing here handles a request itself.

import path from 'node:path';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { Engine } from '../engine/runtime/types.ts';
import { errorHandler } from './error-handler.ts';
import { createLoadMonitor, type LoadLimits } from './load.ts';
import { jsonBodyPlugin } from './json-body.ts';
import { multipartPlugin } from './multipart.ts';
import { pagePlugin } from './page.ts';
import { createRenderer } from './render.ts';
import { securityPlugin } from './security.ts';
import { sessionPlugin } from './session.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminDirectoryRoutes } from './routes/admin-directory.ts';
import { apiRoutes } from './routes/api.ts';
import { ballotRoutes } from './routes/ballots.ts';
import { ballotLiveRoutes } from './routes/ballot-live.ts';
import { ballotResultRoutes } from './routes/ballot-result.ts';
import { authRoutes } from './routes/auth.ts';
import { docsRoutes } from './routes/docs.ts';
import { fileRoutes } from './routes/files.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { instanceRoutes } from './routes/instances.ts';
import { passwordRoutes } from './routes/password.ts';
import { settingsRoutes } from './routes/settings.ts';
import { startRoutes } from './routes/start.ts';
import { taskRoutes } from './routes/tasks.ts';
import { pickerRoutes } from './routes/pickers.ts';
import './types.ts';

export interface BuildAppOptions {
  engine: Engine;
  dataDir: string;
  /** Mark cookies Secure even on plain http (the app sits behind a TLS proxy). */
  secureCookies?: boolean;
  /** Trust X-Forwarded-* from a reverse proxy (then https is detected from X-Forwarded-Proto). */
  trustProxy?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Turns /metrics on, for scrapers that send it as a bearer token (METRICS_TOKEN). */
  metricsToken?: string;
  /** PUBLIC_URL: the address users reach the server at; https:// makes cookies Secure and sends HSTS. */
  publicUrl?: string;
  /** When /readyz reports the process saturated (READYZ_MAX_LOOP_DELAY_MS). */
  loadLimits?: LoadLimits;
}

const ROOT = path.resolve(import.meta.dirname, '..');
/** Requests other than uploads stay small; uploads have their own limits (server/multipart.ts). */
export const BODY_LIMIT = 1024 * 1024;

function htmxFile(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('htmx.org/package.json')), 'dist', 'htmx.min.js');
}

/** tom-select's built files (the pickers' widget), served from node_modules like htmx. */
function tomSelectDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('tom-select/package.json')), 'dist');
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { allErrors: false, removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  app.decorate('engine', options.engine);
  app.decorate('renderer', createRenderer({ templatesDir: path.join(ROOT, 'templates') }));
  app.decorate('lvzhi', {
    engine: options.engine, dataDir: options.dataDir, secureCookies: options.secureCookies ?? false,
    publicHttps: /^https:\/\//i.test(options.publicUrl ?? ''),
  });
  const load = createLoadMonitor(options.engine, options.loadLimits);
  app.decorate('load', load);
  app.addHook('onClose', async () => load.close());
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(async (request, reply) => errorHandler(Object.assign(new Error('not found'), { statusCode: 404 }), request, reply));

  await app.register(cookie);
  await app.register(jsonBodyPlugin);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await app.register(securityPlugin);
  await app.register(multipartPlugin);
  await app.register(sessionPlugin);
  await app.register(pagePlugin);

  await app.register(fastifyStatic, { root: path.join(ROOT, 'server', 'public'), prefix: '/static/', index: false, maxAge: '1h' });
  const htmx = htmxFile();
  app.get('/static/htmx.min.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.sendFile(path.basename(htmx), path.dirname(htmx), { maxAge: '1d' }));
  const tomSelect = tomSelectDir();
  app.get('/static/tom-select.complete.min.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.sendFile('tom-select.complete.min.js', path.join(tomSelect, 'js'), { maxAge: '1d' }));
  app.get('/static/tom-select.min.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.sendFile('tom-select.min.css', path.join(tomSelect, 'css'), { maxAge: '1d' }));

  await app.register(docsRoutes);
  await app.register(healthRoutes);
  await app.register(metricsRoutes, { token: options.metricsToken });
  await app.register(authRoutes);
  await app.register(inboxRoutes);
  await app.register(startRoutes);
  await app.register(taskRoutes);
  await app.register(pickerRoutes);
  await app.register(instanceRoutes);
  await app.register(ballotRoutes);
  await app.register(ballotLiveRoutes);
  await app.register(ballotResultRoutes);
  await app.register(fileRoutes);
  await app.register(adminRoutes);
  await app.register(adminDirectoryRoutes);
  await app.register(settingsRoutes);
  await app.register(passwordRoutes);
  await app.register(apiRoutes, { prefix: '/api/v1' });
  return app;
}
