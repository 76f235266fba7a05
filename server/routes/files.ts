// files.ts: downloads. Bytes come from DATA_DIR/files through engine.file, which refuses anyone who
// may not see the instance; nothing is ever served from the web root.

import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../session.ts';

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name, so 中文 names survive every browser. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

export async function fileRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { id: string } }>('/files/:id', async (request, reply) => {
    const actor = requireActor(request);
    const file = await app.engine.file(actor, request.params.id);
    return reply
      .header('Content-Disposition', contentDisposition(file.name))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, no-store')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      // Served as a download whatever it claims to be, so an uploaded HTML file can never run here.
      .type(file.mime && !/html|xml|javascript/i.test(file.mime) ? file.mime : 'application/octet-stream')
      .header('Content-Length', file.size)
      .send(fs.createReadStream(file.path));
  });
}
