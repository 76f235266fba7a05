// form-input.ts: a posted form split into the engine's input and our control fields (`_event`, …).
//
// Field inputs keep the names the form partials gave them; every control field starts with `_`,
// which no form field name may (the form schema requires names to start with a letter).

import type { FastifyRequest } from 'fastify';
import { LvzError } from '../engine/errors.ts';
import type { Actor, Engine, RawInput } from '../engine/runtime/types.ts';

export interface FormPost {
  event: string;
  version: number;
  opinion?: string;
  reason?: string;
  savePhrase: boolean;
  input: RawInput;
}

export const DRAFT_EVENT = '_draft';

function first(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : undefined;
}

function text(v: unknown): string | undefined {
  const s = first(v)?.trim();
  return s ? s : undefined;
}

export function readFormPost(body: unknown): FormPost {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const input: RawInput = {};
  // `_add_<group>` is a form control the engine reads (添加一项), so it travels with the input.
  for (const [k, v] of Object.entries(b)) if (!k.startsWith('_') || k.startsWith('_add_')) input[k] = v;
  const version = Number(first(b._version));
  return {
    event: first(b._event) ?? '',
    version: Number.isInteger(version) ? version : -1,
    opinion: text(b._opinion),
    reason: text(b._reason),
    savePhrase: first(b._save_phrase) === '1',
    input,
  };
}

/** Hands each uploaded temp file to the engine and adds its id to the field's value, after the ids already kept. */
export async function attachUploads(
  engine: Engine, actor: Actor, request: FastifyRequest, target: { taskId?: string; workflowId?: string }, input: RawInput,
): Promise<void> {
  if (request.uploads.some((u) => u.field.startsWith('_'))) throw new LvzError('LVZ_RUN_BAD_REQUEST', '上传的文件不属于任何表单项，请刷新页面后重新选择文件。');
  // All or none: a refused file (its name, size, type or the quota) keeps none of the request's files.
  const stored = await engine.uploadAll(actor, target, request.uploads);
  for (const [i, upload] of request.uploads.entries()) {
    const kept = input[upload.field];
    const list = Array.isArray(kept) ? kept : kept === undefined || kept === '' ? [] : [kept];
    input[upload.field] = [...list, stored[i]!.fileId];
  }
}

export function pageNumber(v: unknown): number {
  const n = Number(first(v));
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : 1;
}
