// multipart.ts: file uploads stream to DATA_DIR/tmp (never memory, never the web root), the rest of
// the body becomes plain strings, so the CSRF check and the routes read one shape for every form.
//
// The temp files live only for the request: a route hands them to engine.upload (which moves them
// into DATA_DIR/files) and whatever is left is deleted once the response is sent.

import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import fp from 'fastify-plugin';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { LvzError } from '../engine/errors.ts';
import type { UploadInput } from '../engine/runtime/types.ts';

export const UPLOAD_LIMITS = {
  /** Hard cap per file; each field's own max_size_mb (10 MB for attachments) is checked by the engine. */
  fileSize: 20 * 1024 * 1024,
  files: 5,
  fields: 200,
  fieldSize: 1024 * 1024,
  parts: 220,
};

declare module 'fastify' {
  interface FastifyRequest {
    /** Files of a multipart request, already on disk under DATA_DIR/tmp. */
    uploads: UploadInput[];
  }
}

interface PartLike {
  type?: string;
  value?: unknown;
}

/** `{ name: part | part[] }` from @fastify/multipart -> `{ name: string | string[] }`, files left out. */
function plainFields(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, entry] of Object.entries(body as Record<string, PartLike | PartLike[]>)) {
    const values = (Array.isArray(entry) ? entry : [entry])
      .filter((p) => p && p.type === 'field')
      .map((p) => String(p.value ?? ''));
    if (values.length > 0) out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

async function saveFile(request: FastifyRequest, tmpDir: string, part: MultipartFile): Promise<void> {
  if (!part.filename) {
    // A file input left empty still sends an empty part; nothing to keep.
    part.file.resume();
    return;
  }
  if (!request.actor) {
    part.file.resume();
    throw new LvzError('LVZ_AUTH_REQUIRED', '请先登录，再上传文件。');
  }
  const tempPath = path.join(tmpDir, `${randomUUID()}.upload`);
  request.tempFiles.push(tempPath);
  await pipeline(part.file, fs.createWriteStream(tempPath, { flags: 'wx' }));
  // busboy stops writing at the size cap and marks the stream; multipart then throws a 413.
  if (part.file.truncated) return;
  const size = (await fs.promises.stat(tempPath)).size;
  request.uploads.push({ field: part.fieldname, filename: part.filename, mime: part.mimetype, tempPath, size });
}

/** A temp file older than this was left by a process that died mid-request (requests never last an hour). */
const STALE_TEMP_MS = 3_600_000;

/** Removes temp uploads a killed process left behind; other processes' fresh ones stay. */
async function removeStaleTemps(tmpDir: string): Promise<void> {
  const names = await fs.promises.readdir(tmpDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.upload'))) {
    const file = path.join(tmpDir, name);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > STALE_TEMP_MS) await fs.promises.rm(file, { force: true });
  }
}

export const multipartPlugin = fp(async (app) => {
  const tmpDir = path.join(app.lvzhi.dataDir, 'tmp');
  await fs.promises.mkdir(tmpDir, { recursive: true });
  await removeStaleTemps(tmpDir);
  app.decorateRequest('uploads', null as unknown as UploadInput[]);
  app.decorateRequest('tempFiles', null as unknown as string[]);
  app.addHook('onRequest', async (request) => {
    request.uploads = [];
    request.tempFiles = [];
  });

  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: UPLOAD_LIMITS,
    async onFile(this: FastifyRequest, part: MultipartFile) {
      await saveFile(this, tmpDir, part);
    },
  });

  // Runs after multipart's own preValidation hook (registered just above), before the CSRF check.
  app.addHook('preValidation', async (request) => {
    if (request.isMultipart()) request.body = plainFields(request.body);
  });

  // Removed before the answer goes out (so "nothing stored" holds the moment the client reads it),
  // and again after it, for a request that ended without a reply.
  const cleanUp = async (request: FastifyRequest) => {
    const files = request.tempFiles.splice(0);
    await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
  };
  app.addHook('onSend', async (request, _reply, payload) => {
    await cleanUp(request);
    return payload;
  });
  app.addHook('onResponse', cleanUp);
});
