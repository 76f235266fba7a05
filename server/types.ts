// types.ts: what the server adds to fastify's request, reply and instance, declared once.

import type { Actor, Engine, SessionInfo } from '../engine/runtime/types.ts';
import type { Renderer } from './render.ts';
import type { LoadMonitor } from './load.ts';
import type { LiveHub } from './live-hub.ts';

export interface ServerOptions {
  engine: Engine;
  dataDir: string;
  /** Mark cookies Secure even when the request did not arrive as https (behind a TLS proxy). */
  secureCookies: boolean;
  /** PUBLIC_URL starts with https://: every response is treated as HTTPS (Secure cookies, HSTS). */
  publicHttps: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine;
    renderer: Renderer;
    lvzhi: ServerOptions;
    /** Event-loop delay and password-hash queue, for the readiness probe (load.ts). */
    load: LoadMonitor;
    /** The 投屏 pages' event streams and their shared polls (routes/ballot-live.ts). */
    liveHub: LiveHub;
  }
  interface FastifyRequest {
    /** The logged-in user (cookie session for pages, bearer token for /api/v1); undefined when anonymous. */
    actor: Actor | undefined;
    sessionInfo: SessionInfo | undefined;
    /** The CSRF token for forms on the page being rendered. */
    csrfToken: string;
    /** Temporary upload files of this request; removed once the response is sent. */
    tempFiles: string[];
  }
  interface FastifyReply {
    /** Renders a page inside the layout (nav counts, CSRF meta, flash) and sends it. */
    page(name: string, model?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
    /** Renders a fragment (htmx swap) and sends it. */
    fragment(name: string, model?: Record<string, unknown>, status?: number): FastifyReply;
    /** Sets a one-time message shown on the next page. */
    flash(message: string): FastifyReply;
  }
}
