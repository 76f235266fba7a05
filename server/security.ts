// security.ts: response headers every page gets. No inline script anywhere, so scripts are 'self' only.

import fp from 'fastify-plugin';

const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

// Swagger UI (served by @fastify/swagger-ui from node_modules) sets inline styles from its React code.
const DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

export const securityPlugin = fp(async (app) => {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('Content-Security-Policy', request.url.startsWith('/api/docs') ? DOCS_CSP : PAGE_CSP);
    }
    reply.header('X-Frame-Options', 'DENY');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!reply.hasHeader('cache-control') && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      // Pages carry personal data and CSRF tokens: never kept by shared caches, re-fetched on back.
      reply.header('Cache-Control', 'no-store');
    }
    return payload;
  });
});
