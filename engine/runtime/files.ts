// files.ts: uploads go under DATA_DIR/files (never the web root) after the field's rules and the
// uploader's quota (upload-limits.ts) are checked, all files of a request or none; a file is
// served only to whoever may see its instance (or its uploader before attach).

import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { storedFileName, uploadProblem } from '../forms/fields/file.ts';
import { LvzError } from '../errors.ts';
import { getFile, getInstance, getTask, insertFile, writeTx, type FileRow } from '../store/process/index.ts';
import type { Actor, StoredFile, UploadInput } from './types.ts';
import { actingOn, canSee, holdersOf, notFound } from './access.ts';
import { groupOf, stateOf, workflowOf, type RuntimeContext } from './runtime-context.ts';
import { accessOf, stepForm } from './step-input.ts';
import { ensureStartable } from './start.ts';
import { ensureWithinQuota } from './upload-limits.ts';
import type { CompiledForm } from '../forms/types.ts';
import { uploadFieldOf } from '../forms/upload-fields.ts';

async function formForUpload(rc: RuntimeContext, actor: Actor, target: { taskId?: string; workflowId?: string }): Promise<{ form: CompiledForm; edit: ReadonlySet<string> }> {
  if (target.taskId) {
    const task = await getTask(rc.db, target.taskId);
    const inst = task ? await getInstance(rc.db, task.instanceId) : undefined;
    if (!task || !inst) throw notFound('待办', target.taskId);
    await actingOn(rc, rc.db, actor, task, inst);
    const wf = workflowOf(rc, inst.workflowId, inst.workflowVersion);
    const g = groupOf(wf, task.state, task.grp);
    const form = stepForm(rc, wf, g);
    return { form, edit: accessOf(form, g).edit };
  }
  const wf = workflowOf(rc, target.workflowId ?? '');
  ensureStartable(wf, actor);
  const g = stateOf(wf, wf.def.initial).tasks[0];
  if (!g) throw new LvzError('LVZ_RUN_BAD_REQUEST', '这个流程的第一步不需要上传文件', {});
  const form = stepForm(rc, wf, g);
  return { form, edit: accessOf(form, g).edit };
}

/** One upload checked against its field (name, size, type) and turned into the row that will record it. */
function prepare(rc: RuntimeContext, actor: Actor, form: CompiledForm, edit: ReadonlySet<string>, file: UploadInput, now: Date): FileRow {
  const target = uploadFieldOf(form, edit, file.field);
  if (!target) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', `这一步不能上传“${file.field}”：请在页面上的附件栏上传`, { params: { field: file.field } });
  }
  const { field } = target;
  const problem = uploadProblem(field, { filename: file.filename, mime: file.mime, size: file.size });
  if (problem) throw new LvzError(problem.code, problem.message, { params: { field: file.field } });
  const id = randomUUID();
  const dest = path.join(rc.dataDir, 'files', now.toISOString().slice(0, 7), id);
  // uploadProblem refused every name storedFileName cannot keep.
  const name = storedFileName(file.filename)!;
  // A MIME type is the client's word: a control character in it could not be stored on PostgreSQL.
  const mime = /^[\x20-\x7e]{1,100}$/.test(file.mime) ? file.mime : 'application/octet-stream';
  return { id, instanceId: null, field: target.stored, name, mime, size: file.size, path: dest, uploadedBy: actor.userId, createdAt: now.toISOString() };
}

/**
 * Stores the files of one request all or none: every file is checked first, the quota is checked
 * for their sum, and their rows are written in one transaction; on any refusal no row and no
 * bytes of the request are kept.
 */
export async function uploadAll(rc: RuntimeContext, actor: Actor, target: { taskId?: string; workflowId?: string }, files: UploadInput[]): Promise<StoredFile[]> {
  if (files.length === 0) return [];
  const { form, edit } = await formForUpload(rc, actor, target);
  const now = rc.now();
  const rows = files.map((file) => prepare(rc, actor, form, edit, file, now));
  await fs.mkdir(path.dirname(rows[0]!.path), { recursive: true });
  try {
    // The bytes are in place before the rows name them; a refusal takes them away again.
    for (const [i, row] of rows.entries()) await moveInto(files[i]!.tempPath, row.path);
    await writeTx(rc.db, async (tx) => {
      await ensureWithinQuota(tx, rc.uploads, actor.userId, { files: rows.length, bytes: rows.reduce((n, r) => n + r.size, 0) }, now);
      for (const row of rows) await insertFile(tx, row);
    });
  } catch (e) {
    await Promise.all(rows.map((r) => fs.rm(r.path, { force: true })));
    throw e;
  }
  return rows.map((r) => ({ fileId: r.id, name: r.name, mime: r.mime, size: r.size, path: r.path }));
}

export async function upload(rc: RuntimeContext, actor: Actor, target: { taskId?: string; workflowId?: string }, file: UploadInput): Promise<StoredFile> {
  return (await uploadAll(rc, actor, target, [file]))[0]!;
}

async function moveInto(tempPath: string, dest: string): Promise<void> {
  try {
    await fs.rename(tempPath, dest);
  } catch {
    await fs.copyFile(tempPath, dest); // another device: copy, then drop the temp file
    await fs.rm(tempPath, { force: true });
  }
}

export async function fileFor(rc: RuntimeContext, actor: Actor, fileId: string): Promise<StoredFile> {
  const f = await getFile(rc.db, fileId);
  if (!f) throw notFound('文件', fileId);
  const ok = f.instanceId === null
    ? f.uploadedBy === actor.userId
    : await (async () => {
      const inst = await getInstance(rc.db, f.instanceId!);
      return !!inst && canSee(rc, rc.db, actor, await holdersOf(rc.db, actor, rc.now()), inst);
    })();
  if (!ok) throw notFound('文件', fileId);
  return { fileId: f.id, name: f.name, mime: f.mime, size: f.size, path: f.path };
}
