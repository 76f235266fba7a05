// files.ts: uploads go under DATA_DIR/files (never the web root) after the field's rules are
// checked; a file is served only to whoever may see its instance (or its uploader before attach).

import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { storedFileName, uploadProblem } from '../forms/fields/file.ts';
import { LvzError } from '../errors.ts';
import { getFile, getInstance, getTask, insertFile, writeTx, type FileRow } from '../store/process/index.ts';
import type { Actor, StoredFile, UploadInput } from './types.ts';
import { actingOn, canSee, holdersOf, notFound } from './access.ts';
import { groupOf, stateOf, workflowOf, type RuntimeContext } from './context.ts';
import { accessOf, stepForm } from './form-input.ts';
import { ensureStartable } from './start.ts';
import { ensureWithinQuota } from './upload-limits.ts';
import type { CompiledForm } from '../forms/types.ts';

async function formForUpload(rc: RuntimeContext, actor: Actor, target: { taskId?: string; workflowId?: string }): Promise<{ form: CompiledForm; edit: ReadonlySet<string> }> {
  if (target.taskId) {
    const task = await getTask(rc.db, target.taskId);
    const inst = task ? await getInstance(rc.db, task.instanceId) : undefined;
    if (!task || !inst) throw notFound('任务', target.taskId);
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

export async function upload(rc: RuntimeContext, actor: Actor, target: { taskId?: string; workflowId?: string }, file: UploadInput): Promise<StoredFile> {
  const { form, edit } = await formForUpload(rc, actor, target);
  const field = form.byName.get(file.field);
  if (!field || field.type !== 'file' || !edit.has(file.field)) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', `这一步不能上传“${file.field}”：请在页面上的附件栏上传`, { params: { field: file.field } });
  }
  const problem = uploadProblem(field, { filename: file.filename, mime: file.mime, size: file.size });
  if (problem) throw new LvzError(problem.code, problem.message, { params: { field: file.field } });
  const id = randomUUID();
  const now = rc.now();
  const dir = path.join(rc.dataDir, 'files', now.toISOString().slice(0, 7));
  await fs.mkdir(dir, { recursive: true });
  const dest = path.join(dir, id);
  // uploadProblem refused every name storedFileName cannot keep.
  const name = storedFileName(file.filename)!;
  // A MIME type is the client's word: a control character in it could not be stored on PostgreSQL.
  const mime = /^[\x20-\x7e]{1,100}$/.test(file.mime) ? file.mime : 'application/octet-stream';
  const row: FileRow = { id, instanceId: null, field: file.field, name, mime, size: file.size, path: dest, uploadedBy: actor.userId, createdAt: now.toISOString() };
  // The bytes are in place before the row names them; a refused quota takes them away again.
  await moveInto(file.tempPath, dest);
  try {
    await writeTx(rc.db, async (tx) => {
      await ensureWithinQuota(tx, rc.uploads, actor.userId, file.size, now);
      await insertFile(tx, row);
    });
  } catch (e) {
    await fs.rm(dest, { force: true });
    throw e;
  }
  return { fileId: id, name, mime: row.mime, size: row.size, path: dest };
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
