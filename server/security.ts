// security.ts: response headers every page gets. No inline script anywhere, so scripts are 'self' only.

import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';

const DIRECTIVES = [
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
];
const PAGE_CSP = DIRECTIVES.join('; ');

// The diagram's <style> is the same text on every page: its hash is kept (a pure function of the
// text, so nothing can go stale), up to HASHES_KEPT texts.
const hashes = new Map<string, string>();
const HASHES_KEPT = 256;

function sha256(text: string): string {
  let h = hashes.get(text);
  if (h === undefined) {
    h = `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    if (hashes.size >= HASHES_KEPT) hashes.clear();
    hashes.set(text, h);
  }
  return h;
}

/**
 * The CSP for a page that embeds engine-built SVG (the diagram): its <style> element and style
 * attributes are allowed by hash, so no other inline style is. Hashed per response, so the policy
 * follows whatever the diagram module emits.
 */
export function cspAllowingStylesOf(markup: string): string {
  const blocks = [...markup.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => sha256(m[1]!));
  const attrs = [...markup.matchAll(/\sstyle="([^"]*)"/g)].map((m) => sha256(m[1]!));
  if (blocks.length === 0 && attrs.length === 0) return PAGE_CSP;
  const style = ["style-src 'self'", ...new Set(blocks), ...(attrs.length ? ["'unsafe-hashes'", ...new Set(attrs)] : [])].join(' ');
  return DIRECTIVES.map((d) => (d.startsWith('style-src') ? style : d)).join('; ');
}

/**
 * The CSP for the studio's editor page: CodeMirror injects its own stylesheet as a <style> element
 * (style-mod), which is allowed only with this response's nonce; the editor reads it from the page.
 */
export function cspWithStyleNonce(nonce: string): string {
  return DIRECTIVES.map((d) => (d.startsWith('style-src') ? `style-src 'self' 'nonce-${nonce}'` : d)).join('; ');
}

// Swagger UI (served by @fastify/swagger-ui from node_modules) sets inline styles from its React code.
const DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

// A year, subdomains included (ASVS 14.4.5); sent only on responses that came over HTTPS, so
// http://localhost for `npm start` is never pinned to HTTPS by a browser.
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Whether the browser reached us over HTTPS: PUBLIC_URL says https://, or the connection itself is
 * TLS, or (TRUST_PROXY) the proxy's X-Forwarded-Proto says so. Cookies are then Secure and HSTS is sent.
 */
export function isHttps(request: FastifyRequest): boolean {
  return request.server.lvzhi.publicHttps || request.protocol === 'https';
}

export const securityPlugin = fp(async (app) => {
  app.addHook('onSend', async (request, reply, payload) => {
    if (isHttps(request)) reply.header('Strict-Transport-Security', HSTS);
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
