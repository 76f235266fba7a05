// form-post.ts: a posted form split into the engine's input and our control fields (`_event`, …).
//
// Field inputs keep the names the form partials gave them; every control field starts with `_`,
// which no form field name may (the form schema requires names to start with a letter).

import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { LvzError } from '../engine/errors.ts';
import { readSubmissionKey } from '../engine/index.ts';
import type { Actor, Engine, RawInput } from '../engine/runtime/types.ts';

export interface FormPost {
  event: string;
  version: number;
  opinion?: string;
  reason?: string;
  savePhrase: boolean;
  input: RawInput;
  /** The form's one-time submission key (`_once`), when the page gave it one. */
  once?: string;
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

/** The group whose 添加一项 was pressed (`_add_<group>`): the page comes back with one more row, nothing saved. */
export function addRowOf(input: RawInput): string | undefined {
  return Object.keys(input).find((k) => k.startsWith('_add_'))?.slice('_add_'.length);
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
    once: readSubmissionKey(first(b._once)),
  };
}

/** A fresh one-time key for a form being rendered: a second POST of the same page is then a replay. */
export function newSubmissionKey(): string {
  return randomUUID();
}

/**
 * The submission key and what it guards, for the engine's fingerprint: the fields as typed (taken
 * before uploads are stored, whose new ids would differ on every repeat), each upload by name and
 * size, and the control fields. Without a key the engine runs the request as before.
 */
export function onceOf(request: FastifyRequest, post: FormPost, extra: Record<string, unknown> = {}): { key: string; request: unknown } | undefined {
  if (!post.once) return undefined;
  const files = request.uploads.map((u) => [u.field, u.filename, u.size]);
  return {
    key: post.once,
    request: { event: post.event, input: structuredClone(post.input), opinion: post.opinion, reason: post.reason, version: post.version, files, ...extra },
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

/** A posted or query value as trimmed text of at most `max` characters ('' when absent or not text; a repeated key: its first). */
export function textOf(v: unknown, max: number): string {
  return first(v)?.trim().slice(0, max) ?? '';
}

export function pageNumber(v: unknown): number {
  const n = Number(first(v));
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : 1;
}
