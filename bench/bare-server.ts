// bare-server.ts: the baseline the POST is compared with: fastify configured like server/app.ts
// (same logger setting, body limit and router options, and the plugins that run on every
// request: cookie and formbody) answering a small HTML page. Started by bench/run.ts as a child.

import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';

// server/app.ts BODY_LIMIT; not imported, so this process loads nothing of ours.
const BODY_LIMIT = 1024 * 1024;

const PAGE = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>履职</title></head><body><main><h1>你好</h1><p>基准页面</p></main></body></html>';

const app = Fastify({
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
  bodyLimit: BODY_LIMIT,
  trustProxy: false,
  routerOptions: { ignoreTrailingSlash: true },
});
await app.register(cookie);
await app.register(formbody, { bodyLimit: BODY_LIMIT });
app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));

const close = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGINT', close);
process.once('SIGTERM', close);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log('bare: listening');
